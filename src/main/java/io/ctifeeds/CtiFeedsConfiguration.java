package io.ctifeeds;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.ctifeeds.bundle.StixBundleAggregator;
import io.ctifeeds.bundle.StixBundleWriter;
import io.ctifeeds.config.ConnectorSettings;
import io.ctifeeds.config.PyctiValues;
import io.ctifeeds.config.SchedulePropertiesFunction;
import io.ctifeeds.config.Setting;
import io.ctifeeds.config.SinkPropertiesFunction;
import io.ctifeeds.config.SwitchPropertiesFunction;
import io.ctifeeds.crowdsec.CrowdSecSettings;
import io.ctifeeds.deadletter.DeadLetterReplay;
import io.ctifeeds.deadletter.DeadLetterStore;
import io.ctifeeds.feed.DownloadGuard;
import io.ctifeeds.feed.FeedRegistry;
import io.ctifeeds.feed.FeedRuns;
import io.ctifeeds.feed.FeedSchedule;
import io.ctifeeds.feed.FetchLimits;
import io.ctifeeds.feed.FetchRetryLog;
import io.ctifeeds.feed.SnapshotDelta;
import io.ctifeeds.feed.StepErrors;
import io.ctifeeds.iplist.IpListRuns;
import io.ctifeeds.metrics.PyctiMetrics;
import io.ctifeeds.metrics.PyctiMetricsServer;
import io.ctifeeds.observe.BrokerHealthCheck;
import io.ctifeeds.observe.DatabaseHealthCheck;
import io.ctifeeds.observe.FeedMetrics;
import io.ctifeeds.observe.OpenCtiHealthCheck;
import io.ctifeeds.observe.RunTimeHealthCheck;
import io.ctifeeds.opencti.AmqpPublisher;
import io.ctifeeds.opencti.BrokerOverrides;
import io.ctifeeds.opencti.BrokerTlsSettings;
import io.ctifeeds.opencti.OpenCtiApi;
import io.ctifeeds.opencti.OpenCtiConnector;
import io.ctifeeds.opencti.OpenCtiRuns;
import io.ctifeeds.opencti.OpenCtiSink;
import io.ctifeeds.ops.FeedTrigger;
import io.ctifeeds.ops.OperationsSettings;
import io.ctifeeds.ops.TriggerAccess;
import io.ctifeeds.state.FileStateStore;
import io.ctifeeds.state.PostgresStateStore;
import io.ctifeeds.state.SharedDatabase;
import io.ctifeeds.state.StateSettings;
import io.ctifeeds.state.StateStore;
import io.ctifeeds.state.Storage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Builds the feed-independent beans the route files call (found by Camel Main's package scan) from
 * application.properties. Feed-specific beans are declared in each feed's route file, next to its route.
 */
public class CtiFeedsConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) {
        SchedulePropertiesFunction schedule = new SchedulePropertiesFunction();
        schedule.setCamelContext(context);
        context.getPropertiesComponent().addPropertiesFunction(schedule);
        SwitchPropertiesFunction switches = new SwitchPropertiesFunction();
        switches.setCamelContext(context);
        context.getPropertiesComponent().addPropertiesFunction(switches);
        SinkPropertiesFunction sinks = new SinkPropertiesFunction();
        sinks.setCamelContext(context);
        context.getPropertiesComponent().addPropertiesFunction(sinks);

        Settings settings = new Settings(context);
        Registry registry = context.getRegistry();
        // an Error in a step ends its run like an exception (Camel's processors let Errors through)
        context.getCamelContextExtension().addInterceptStrategy(new StepErrors());
        String data = settings.get("connector.data-path", "data");

        SharedDatabase shared = sharedDatabase(context, settings);
        Storage storage = registry.lookupByNameAndType("storage", Storage.class);
        if (shared != null) {
            storage.useDatabase(shared);
        } else {
            storage.useFiles(Path.of(data, "state"));
        }
        StateStore stateStore = storage.choose(dir -> {
            FileStateStore files = new FileStateStore();
            files.setDirectory(dir.toString());
            return files;
        }, PostgresStateStore::new);
        FeedRuns feedRuns = registry.lookupByNameAndType("feedRuns", FeedRuns.class);
        feedRuns.setStateStore(stateStore);
        DownloadGuard downloadGuard = new DownloadGuard();
        downloadGuard.setDirectory(Path.of(data, "downloads").toString());
        downloadGuard.setMaxGrowth(Integer.parseInt(settings.get(ConnectorSettings.FETCH_MAX_GROWTH, "10")));
        downloadGuard.setMaxLineLength(Integer.parseInt(settings.get(ConnectorSettings.FETCH_MAX_LINE_LENGTH,
                "8192")));
        bindFetchLimits(registry, settings);
        StixBundleAggregator aggregator = new StixBundleAggregator();
        aggregator.setMaxObjects(Integer.parseInt(settings.get("connector.bundle-size", "1000")));
        registry.bind("stateStore", stateStore);
        FeedRegistry feeds = registry.lookupByNameAndType("feedRegistry", FeedRegistry.class);
        feeds.setCamelContext(context);
        registry.bind("ipListRuns", new IpListRuns(feeds, feedRuns));
        registry.bind("fetchRetryLog", new FetchRetryLog());
        registry.bind("snapshotDelta", new SnapshotDelta());
        registry.bind("downloadGuard", downloadGuard);
        registry.bind("stixBundleAggregator", aggregator);
        registry.bind("stixBundleWriter", new StixBundleWriter());
        int deliveryThreads = Integer.parseInt(settings.get("connector.delivery-threads", "1"));
        feedRuns.setPagesInFlight(deliveryThreads);
        registry.bind("bundleDeliveryExecutor", bundleDeliveryExecutor(deliveryThreads));

        OpenCtiConnector connector = registry.lookupByNameAndType("openCtiConnector", OpenCtiConnector.class);
        OpenCtiApi api = registry.lookupByNameAndType("openCtiApi", OpenCtiApi.class);
        api.setCamelContext(context);
        api.setUrl(settings.get("opencti.url", ""));
        api.setToken(settings.get("opencti.token", ""));
        api.setSslVerify(PyctiValues.bool(settings.get("opencti.ssl-verify", "true"), true));
        api.setCustomHeaders(settings.get("opencti.custom-headers", ""));
        connector.setConnectorId(settings.get("connector.id", ""));
        connector.setName(settings.get("connector.name", "cti-feeds"));
        connector.setScope(settings.get("connector.scope", ""));
        connector.setQueueThresholdMb(Double.parseDouble(settings.get("connector.queue-threshold", "500")));
        connector.setRunAndTerminate(ConnectorSettings.runsOnce(key -> settings.get(key, "")));
        connector.setBrokerOverrides(new BrokerOverrides(settings.get("mq.host", ""), settings.get("mq.port", ""),
                settings.get("mq.vhost", ""), settings.get("mq.user", ""), settings.get("mq.pass", ""),
                settings.get("mq.use-ssl", "")));
        connector.onReset(feedRuns::resetAll);
        connector.onNoPlatformState(feedRuns::startOverIfRemembering);
        FeedSchedule feedSchedule = new FeedSchedule(context, java.time.Clock.systemUTC());
        context.getComponent("quartz", QuartzComponent.class).addScheduleInitTask(feedSchedule);
        registry.bind("feedSchedule", feedSchedule);
        try {
            context.addStartupListener(feedSchedule);
        } catch (Exception e) {
            throw new IllegalStateException("cannot watch the start-up", e);
        }
        connector.setNextRun(feedSchedule::nextRun);
        AmqpPublisher publisher = new AmqpPublisher();
        // one TLS set-up for every AMQP connection: publishing, dead-letter replay and the readiness probe
        // read as the configuration check read them, so that what it passed is what is used
        publisher.setTls(BrokerTlsSettings.load(key -> context.getPropertiesComponent().resolveProperty(key)));
        OpenCtiSink sink = new OpenCtiSink(connector, publisher);
        sink.setQueueProtocol(settings.get("connector.queue-protocol", "amqp"));
        sink.setUpdateExistingData(PyctiValues.bool(settings.get("connector.update-existing-data", "false"), false));
        registry.bind("amqpPublisher", publisher);
        registry.bind("openCtiSink", sink);
        PyctiMetrics pycti = pyctiMetrics(context, settings);
        connector.setMetrics(pycti);
        sink.setMetrics(pycti);
        feedRuns.addHook(pycti);
        feedRuns.onRunNotStarted((feed, failed) -> {
            if (failed) {
                pycti.error();
            }
        });
        if (!sinks.opencti()) {
            // pycti counts only what goes to the platform; with no platform, the bundle files are what is sent
            feedRuns.onBundleDelivered(objects -> pycti.bundlesSent(1, objects));
        }
        if (sinks.opencti()) {
            OpenCtiRuns runs = new OpenCtiRuns(connector, publisher, stateStore);
            runs.setConnectorName(settings.get("connector.name", "cti-feeds"));
            runs.setWorkerWait(java.time.Duration.parse(settings.get("connector.worker-wait", "PT30S")));
            feedRuns.addHook(runs);
        }
        if (!PyctiValues.bool(settings.get("opencti.ssl-verify", "true"), true)) {
            OpenCtiApi.bindTrustAll(registry);
        }

        DeadLetterStore deadLetters = new DeadLetterStore();
        deadLetters.setDirectory(settings.get("connector.dead-letter-path", Path.of(data, "dead-letter").toString()));
        deadLetters.setReplicaId(replicaId(settings, shared != null));
        DeadLetterReplay replay = new DeadLetterReplay(deadLetters);
        replay.setCamelContext(context);
        registry.bind("deadLetters", deadLetters);
        registry.bind("deadLetterReplay", replay);

        registry.bind("feedTrigger", new FeedTrigger(feedRuns, feeds, context,
                Duration.parse(settings.get(OperationsSettings.TRIGGER_MIN_INTERVAL, "PT1M"))));
        registry.bind("triggerAccess", new TriggerAccess(settings.get(OperationsSettings.HTTP_TOKEN, "")));

        // readiness depends on the platform and its broker only when bundles go there
        Duration probeTimeout = Duration.ofMillis(Long.parseLong(settings.get("connector.health-check-timeout-ms",
                "5000")));
        Duration probeCache = Duration.ofMillis(Long.parseLong(settings.get(OperationsSettings.HEALTH_CHECK_CACHE,
                "5000")));
        if (sinks.opencti()) {
            registry.bind("openCtiHealthCheck", new OpenCtiHealthCheck(api, probeTimeout, probeCache));
            if (!"api".equalsIgnoreCase(settings.get("connector.queue-protocol", "amqp"))) {
                registry.bind("brokerHealthCheck", new BrokerHealthCheck(connector, publisher, probeTimeout,
                        probeCache));
            }
        }
        registry.bind("runTimeHealthCheck", new RunTimeHealthCheck(feedRuns, Duration.parse(settings.get(
                ConnectorSettings.MAX_RUN_TIME, "PT6H"))));
        if (shared != null) {
            registry.bind("databaseHealthCheck", new DatabaseHealthCheck(shared, probeTimeout, probeCache));
        }
        if (Boolean.parseBoolean(settings.get("camel.metrics.enabled", "false"))) {
            new FeedMetrics(meterRegistry(registry)).bind(feedRuns, deadLetters);
        }
    }

    /**
     * pycti's connector metrics, counted always (a few counters) and served on their own port with
     * CONNECTOR_EXPOSE_METRICS=true.
     */
    private static PyctiMetrics pyctiMetrics(CamelContext context, Settings settings) {
        PyctiMetrics metrics = new PyctiMetrics(settings.get(ConnectorSettings.METRICS_NAMESPACE, ""),
                settings.get(ConnectorSettings.METRICS_SUBSYSTEM, ""));
        context.getRegistry().bind("pyctiMetrics", metrics);
        // "stopped" from the moment shutdown begins: runs under way may take a while to end, the port still answers
        context.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                metrics.stopped();
            }

            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof CamelEvent.CamelContextStoppingEvent;
            }
        });
        if (PyctiValues.bool(settings.get(ConnectorSettings.EXPOSE_METRICS, "false"), false)) {
            PyctiMetricsServer server = new PyctiMetricsServer(metrics, settings.get(ConnectorSettings.METRICS_HOST,
                    "0.0.0.0"), Integer.parseInt(settings.get(ConnectorSettings.METRICS_PORT, "9095")));
            try {
                context.addService(server, true, true);
            } catch (Exception e) {
                throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
            }
        }
        return metrics;
    }

    /**
     * The bounds of the feeds' HTTP endpoints ({@code httpClientConfigurer=#fetchLimits}, {@code #crowdsecLimits}):
     * what an answer may weigh, and how long a request may take.
     */
    private static void bindFetchLimits(Registry registry, Settings settings) {
        Duration deadline = Duration.ofMillis(Long.parseLong(settings.get(ConnectorSettings.FETCH_DEADLINE_MS,
                "300000")));
        String deadlineSetting = env(ConnectorSettings.FETCH_DEADLINE_MS);
        registry.bind("fetchLimits", new FetchLimits(Long.parseLong(settings.get(ConnectorSettings.FETCH_MAX_BYTES,
                "67108864")), env(ConnectorSettings.FETCH_MAX_BYTES), env(ConnectorSettings.FETCH_MAX_GROWTH),
                deadline, deadlineSetting));
        registry.bind("crowdsecLimits", new FetchLimits(Long.parseLong(settings.get(CrowdSecSettings.PAGE_MAX_BYTES,
                "16777216")), env(CrowdSecSettings.PAGE_MAX_BYTES), env(CrowdSecSettings.PAGE_MAX_BYTES), deadline,
                deadlineSetting));
    }

    private static String env(String key) {
        return Setting.environmentVariable(key);
    }

    /**
     * With CONNECTOR_STATE_STORE=postgresql: the shared database (made and migrated now), where the state storage
     * then keeps every store, and Quartz clustered on it; null otherwise.
     */
    private static SharedDatabase sharedDatabase(CamelContext context, Settings settings) {
        if (!"postgresql".equalsIgnoreCase(settings.get(StateSettings.STORE, "file"))) {
            return null;
        }
        SharedDatabase db = new SharedDatabase(settings.get("connector.postgresql.url", ""),
                settings.get("connector.postgresql.user", ""), settings.get("connector.postgresql.password", ""),
                settings.get("connector.postgresql.schema", "cti_feeds"));
        try {
            context.addService(db, true, true);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        QuartzComponent quartz = context.getComponent("quartz", QuartzComponent.class);
        quartz.setProperties(db.quartzProperties(
                Long.parseLong(settings.get("connector.cluster-checkin-interval-ms", "7500")), 5));
        return db;
    }

    /** The replica's name for its dead-letter sub-folder: set, else the host name when replicas share state. */
    private static String replicaId(Settings settings, boolean sharedState) {
        String id = settings.get("connector.replica-id", "");
        if (!id.isEmpty() || !sharedState) {
            return id;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "replica-" + ProcessHandle.current().pid();
        }
    }

    /**
     * The registry camel-micrometer-prometheus exports at /observe/metrics: ours if it is not made yet, which it
     * then adopts (it looks one up by this name before it makes its own).
     */
    private static MeterRegistry meterRegistry(Registry registry) {
        MeterRegistry found = registry.lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME,
                MeterRegistry.class);
        if (found == null) {
            found = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            registry.bind(MicrometerConstants.METRICS_REGISTRY_NAME, found);
        }
        return found;
    }

    /**
     * Delivery threads send the bundles while the feed thread goes on reading and mapping, so a run costs the
     * longer of the two, not their sum. Two bundles may wait; past that the feed thread waits (back-pressure),
     * which bounds the memory a slow sink can take. Each thread has its own broker channel, so with more than one
     * a bundle is published while another waits for its confirms (see connector.delivery-threads).
     */
    private static ExecutorService bundleDeliveryExecutor(int threads) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        ThreadFactory factory = task -> {
            Thread t = new Thread(task, "bundle-delivery-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(2), factory,
                (task, executor) -> {
                    try {
                        executor.getQueue().put(task);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new RejectedExecutionException("interrupted while waiting to deliver a bundle", e);
                    }
                });
    }

    /** Reads settings through Camel's properties, so environment variables override the file. */
    private record Settings(CamelContext context) {
        String get(String key, String defaultValue) {
            // through the placeholder resolver, so that values may refer to other keys ({{connector.data-path}})
            return context.getPropertiesComponent().resolveProperty(key)
                    .map(v -> context.resolvePropertyPlaceholders(v).trim()).orElse(defaultValue);
        }
    }
}
