package io.ctifeeds.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ctifeeds.ApplicationExit;
import io.ctifeeds.CtiFeedsApplication;
import io.ctifeeds.feed.FeedRegistry;
import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.feed.FeedRuns;
import io.ctifeeds.feed.RunAndTerminate;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.apache.camel.main.SimpleMainShutdownStrategy;

/**
 * The whole application, booted in-process as main() boots it (the real routes/*.yaml, application.properties,
 * configuration check), with a private data folder and test overrides. Schedules are pushed far into the
 * future so that tests drive each run themselves through its direct: endpoint.
 */
public final class TestApp implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Main main;
    private final Path dataDir;
    private final List<FeedRun> endedRuns = Collections.synchronizedList(new ArrayList<>());
    private ProducerTemplate template;
    private int httpPort;
    private boolean closed;

    public TestApp(Path dataDir, Map<String, String> overrides) {
        this.dataDir = dataDir;
        this.main = CtiFeedsApplication.create(new RunAndTerminate(null), new ApplicationExit());
        // no SIGTERM hook: Camel never removes it, so it would keep every stopped app, with the runs it ended and
        // their snapshots, in the heap until the JVM exits
        main.setShutdownStrategy(new SimpleMainShutdownStrategy());
        main.addOverrideProperty("connector.data-path", dataDir.toString());
        main.addOverrideProperty("connector.send-to-directory-path", dataDir.resolve("bundles").toString());
        main.addOverrideProperty("connector.ipsum.cron", "0 0 0 1 1 ? 2099");
        main.addOverrideProperty("crowdsec.import-cron", "0 0 0 1 1 ? 2099");
        main.addOverrideProperty("connector.fetch-retry-delay-ms", "10");
        // no HTTP server unless a test asks for one (withHttp): no port to share with other builds
        main.addOverrideProperty("camel.server.enabled", "false");
        overrides.forEach(main::addOverrideProperty);
    }

    /** Health, metrics and the manual trigger on a free port of this machine; call before start(). */
    public TestApp withHttp() {
        httpPort = Http.freePort();
        main.addOverrideProperty("camel.server.enabled", "true");
        main.addOverrideProperty("camel.server.port", Integer.toString(httpPort));
        return this;
    }

    /** http://127.0.0.1:port, with {@link #withHttp()}. */
    public String baseUrl() {
        if (httpPort == 0) {
            throw new IllegalStateException("no HTTP server: call withHttp() before start()");
        }
        return "http://127.0.0.1:" + httpPort;
    }

    /** Binds a bean before start(): e.g. an InterceptStrategy, which Camel Main applies to every route's steps. */
    public TestApp bind(String name, Object bean) {
        main.bind(name, bean);
        return this;
    }

    public TestApp start() throws Exception {
        main.start();
        context().getRegistry().lookupByNameAndType("feedRuns", FeedRuns.class).onRunEnd(endedRuns::add);
        template = context().createProducerTemplate();
        return this;
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    /** Runs a feed through its run endpoint (as its schedule does) and returns how the run ended. */
    public FeedRun run(String feed) {
        int before = endedRuns.size();
        fire(feed);
        if (endedRuns.size() != before + 1) {
            throw new AssertionError("expected exactly one ended run, got " + (endedRuns.size() - before));
        }
        return endedRuns.get(endedRuns.size() - 1);
    }

    /** The application's feed registry (the one its start-up report and trigger ask). */
    public FeedRegistry feedRegistry() {
        return context().getRegistry().lookupByNameAndType("feedRegistry", FeedRegistry.class);
    }

    /** The endpoint where a run of the feed starts (the registry's word for it). */
    public String runUri(String feed) {
        return feedRegistry().find(feed)
                .orElseThrow(() -> new AssertionError("no feed " + feed + " registered")).runUri();
    }

    /**
     * Fires the feed as its schedule does and returns when the trigger's exchange has ended, whatever happened to the
     * run (skipped, refused, not started): for tests that look at what a trigger leads to.
     */
    public void fire(String feed) {
        template.send(runUri(feed), exchange -> exchange.setProperty(FeedRegistry.FEED_PROPERTY, feed));
    }

    /** Fires the feed as its schedule does, on another thread; the future completes when that exchange ends. */
    public java.util.concurrent.Future<org.apache.camel.Exchange> startRun(String feed) {
        return template.asyncSend(runUri(feed), exchange -> exchange.setProperty(FeedRegistry.FEED_PROPERTY, feed));
    }

    /** Every run that has ended so far, oldest first. */
    public List<FeedRun> endedRuns() {
        return List.copyOf(endedRuns);
    }

    /** Waits until this many runs have ended (runs started elsewhere than {@link #run}: a trigger, a timer). */
    public List<FeedRun> awaitEndedRuns(int count, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (endedRuns.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " ended runs within " + timeout + ", got "
                        + endedRuns.size());
            }
            Thread.sleep(20);
        }
        return endedRuns();
    }

    public Path bundleDir() {
        return dataDir.resolve("bundles");
    }

    /** The bundle files written so far, oldest name first. */
    public List<Path> bundleFiles() throws IOException {
        if (!Files.isDirectory(bundleDir())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(bundleDir())) {
            return files.sorted().toList();
        }
    }

    public List<JsonNode> bundles() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (Path p : bundleFiles()) {
            out.add(JSON.readTree(p.toFile()));
        }
        return out;
    }

    /** Every object of every bundle written so far, in order. */
    public List<JsonNode> objects() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode bundle : bundles()) {
            bundle.get("objects").forEach(out::add);
        }
        return out;
    }

    public void clearBundles() throws IOException {
        for (Path p : bundleFiles()) {
            Files.delete(p);
        }
    }

    /** Stops the application; closing twice is a no-op, so a test may stop it early and still leave it to a fixture. */
    @Override
    public void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        if (template != null) {
            template.close();
        }
        main.stop();
    }
}
