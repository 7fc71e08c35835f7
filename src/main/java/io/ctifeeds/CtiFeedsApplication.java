package io.ctifeeds;

import java.util.List;

import io.ctifeeds.config.ConfigurationCheck;
import io.ctifeeds.config.ConfigurationError;
import io.ctifeeds.config.ConnectorSettings;
import io.ctifeeds.config.LogLevels;
import io.ctifeeds.config.Setting;
import io.ctifeeds.feed.FeedRegistry;
import io.ctifeeds.feed.FeedRuns;
import io.ctifeeds.feed.RunAndTerminate;
import io.ctifeeds.observe.StartupReport;
import io.ctifeeds.opencti.OpenCtiApi;
import io.ctifeeds.opencti.OpenCtiConnector;
import io.ctifeeds.ops.OperationsSettings;
import io.ctifeeds.ops.ServerPortCheck;
import io.ctifeeds.ops.StopOnSignal;
import io.ctifeeds.state.Storage;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point for {@code mvn compile camel:run}, {@code java -jar target/cti-feeds.jar} and the container.
 * Settings come from application.properties (the copy in the working directory wins over the one in the
 * jar), overridden by environment variables.
 */
public final class CtiFeedsApplication {

    /**
     * The file in the working directory is the one users edit (or mount); the jar's copy only supplies defaults.
     * Camel takes a key from the first location that has it, so the file comes first.
     */
    static final String PROPERTIES = "file:application.properties;optional=true,"
            + "classpath:application.properties;optional=true";

    private CtiFeedsApplication() {
    }

    public static void main(String[] args) throws Exception {
        // before the first logger exists: slf4j-simple reads its levels once
        LogLevels.apply();
        Logger log = LoggerFactory.getLogger(CtiFeedsApplication.class);

        RunAndTerminate runAndTerminate = new RunAndTerminate(null);
        ApplicationExit exit = new ApplicationExit();
        Main main = create(runAndTerminate, exit);
        StopOnSignal.install(main::completed);

        int status;
        try {
            status = main.run(args);
            status = Math.max(status, Math.max(runAndTerminate.exitCode(), exit.status()));
        } catch (Exception e) {
            ConfigurationError config = rootConfigurationError(e);
            if (config != null) {
                config.getMessage().lines().forEach(log::error);
                status = 2;
            } else {
                log.error("cti-feeds could not start: {}", rootMessage(e));
                status = 1;
            }
        }
        System.exit(status);
    }

    /**
     * The application as main() runs it, for tests too: properties location, configuration check, and the
     * run-and-terminate hooks.
     */
    public static Main create(RunAndTerminate runAndTerminate, ApplicationExit exit) {
        Main main = new Main(CtiFeedsApplication.class);
        main.setDefaultPropertyPlaceholderLocation(PROPERTIES);
        // Camel Main skips environment variables whose name ends in _PORT (Kubernetes service links), and these
        // are ours; a -D system property still wins, as it does for every other key
        for (String key : List.of(OperationsSettings.SERVER_PORT, ConnectorSettings.METRICS_PORT)) {
            String port = System.getenv(Setting.environmentVariable(key));
            if (port != null && System.getProperty(key) == null) {
                main.addOverrideProperty(key, port);
            }
        }
        runAndTerminate.setComplete(main::completed);
        exit.setStop(main::completed);
        main.bind("applicationExit", exit);
        // before the route files are read: their beans register their feeds in the registry, and are given the
        // others (#bean:), which CtiFeedsConfiguration then sets up from the properties
        FeedRegistry feedRegistry = new FeedRegistry();
        FeedRuns feedRuns = new FeedRuns();
        main.bind("feedRegistry", feedRegistry);
        main.bind("feedRuns", feedRuns);
        main.bind("storage", new Storage());
        OpenCtiApi platformApi = new OpenCtiApi();
        main.bind("openCtiApi", platformApi);
        main.bind("openCtiConnector", new OpenCtiConnector(platformApi));
        main.addMainListener(new ConfigurationCheck());
        main.addMainListener(new ServerPortCheck());
        main.addMainListener(new StartupReport(feedRegistry));
        main.addMainListener(new io.ctifeeds.ops.TemplatedRouteReload());
        main.addMainListener(new MainListenerSupport() {
            private boolean enabled;

            @Override
            public void beforeStart(BaseMainSupport m) {
                enabled = ConnectorSettings.runsOnce(key -> m.getCamelContext().getPropertiesComponent()
                        .resolveProperty(key).orElse("").trim());
                if (enabled) {
                    feedRuns.onRunEnd(runAndTerminate::runEnded);
                    feedRuns.onRunNotStarted(runAndTerminate::runNotStarted);
                }
            }

            @Override
            public void afterStart(BaseMainSupport m) {
                if (enabled) {
                    CamelContext context = m.getCamelContext();
                    // what earlier runs dead-lettered goes out too before the application exits
                    runAndTerminate.setBeforeStop(() -> {
                        if (context.getRouteController().getRouteStatus("dead-letter-replay-schedule") != null
                                && context.getRouteController().getRouteStatus("dead-letter-replay-schedule")
                                .isStarted()) {
                            try (ProducerTemplate template = context.createProducerTemplate()) {
                                template.sendBody("direct:dead-letter-replay", null);
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }
                    });
                    runAndTerminate.watch(feedRegistry);
                }
            }
        });
        return main;
    }

    private static ConfigurationError rootConfigurationError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigurationError c) {
                return c;
            }
        }
        return null;
    }

    /**
     * Our own words if we said something (they name the setting to fix, and end with the root cause already),
     * else the root cause: Camel's wrappers above it say only which bean or route failed to start.
     */
    private static String rootMessage(Throwable e) {
        Throwable root = e;
        Throwable ours = null;
        while (true) {
            StackTraceElement[] at = root.getStackTrace();
            if (ours == null && root.getMessage() != null && at.length > 0
                    && at[0].getClassName().startsWith("io.ctifeeds.")) {
                ours = root;
            }
            if (root.getCause() == null || root.getCause() == root) {
                break;
            }
            root = root.getCause();
        }
        Throwable shown = ours != null ? ours : root;
        return shown.getMessage() == null ? shown.getClass().getName() : shown.getMessage();
    }
}
