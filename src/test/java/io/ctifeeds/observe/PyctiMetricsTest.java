package io.ctifeeds.observe;

import io.ctifeeds.metrics.PyctiMetrics;
import static io.ctifeeds.observe.MetricsEndpointTest.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;

import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.testing.AppProcess;
import io.ctifeeds.testing.FakeOpenCti;
import io.ctifeeds.testing.FeedServer;
import io.ctifeeds.testing.Fixtures;
import io.ctifeeds.testing.Http;
import io.ctifeeds.testing.PushQueue;
import io.ctifeeds.testing.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pycti's connector metrics on their own port (CONNECTOR_EXPOSE_METRICS, CONNECTOR_METRICS_PORT), with the names,
 * labels and values of OpenCTIMetricHandler, so that the dashboards made for OpenCTI's connectors read this one.
 */
class PyctiMetricsTest {

    @TempDir
    Path data;

    private static String scrape(int port) throws Exception {
        Http.Answer answer = Http.get("http://127.0.0.1:" + port + "/metrics");
        assertEquals(200, answer.status(), answer.body());
        return answer.body();
    }

    private static String awaitScrape(int port, Predicate<String> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            String metrics;
            try {
                metrics = scrape(port);
            } catch (java.io.IOException e) {
                metrics = "";
            }
            if (condition.test(metrics)) {
                return metrics;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not as expected in time:\n" + metrics);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void pyctisNamesCountWhatReachesThePlatform() throws Exception {
        String connectorId = UUID.randomUUID().toString();
        int port = Http.freePort();
        try (FeedServer feed = new FeedServer();
             PushQueue queue = new PushQueue(connectorId);
             FakeOpenCti platform = FakeOpenCti.start(FakeOpenCti.OPENCTI_7_VERSION)) {
            feed.serve(Fixtures.bytes("ipsum/levels_8.txt"));
            Map<String, String> overrides = new HashMap<>(Map.of(
                    "connector.ipsum.api-base-url", feed.url("/levels/8.txt"),
                    "opencti.url", platform.url(), "opencti.token", platform.token(), "connector.id", connectorId,
                    // only the heartbeats this test asks for
                    "opencti.ping-period-ms", "3600000", "connector.dead-letter-replay-period-ms", "3600000",
                    "connector.expose-metrics", "true", "connector.metrics-port", Integer.toString(port),
                    "connector.metrics-host", "127.0.0.1"));
            try (TestApp app = new TestApp(data, overrides).start()) {
                String metrics = awaitScrape(port, m -> m.contains("ping_api_total 1.0"));
                for (String zero : List.of("bundles_sent_total", "records_sent_total", "runs_total",
                        "ping_api_errors_total", "errors_total", "client_errors_total")) {
                    assertEquals(0, sample(metrics, zero), zero);
                }
                assertState(metrics, "idle");
                assertFalse(metrics.contains("ctifeeds_"), "our own series stay on /observe/metrics");

                FeedRun run = app.run("ipsum");
                assertFalse(run.failed(), run.failure());
                metrics = scrape(port);
                assertEquals(71, run.count(FeedRun.Counter.MESSAGES));
                assertEquals(run.count(FeedRun.Counter.MESSAGES), (long) sample(metrics, "bundles_sent_total"),
                        "pycti counts a queue message as a bundle sent");
                assertEquals(run.count(FeedRun.Counter.OBJECTS), (long) sample(metrics, "records_sent_total"));
                assertEquals(1, sample(metrics, "runs_total"));
                assertEquals(platform.calls("pingConnector").size(), (long) sample(metrics, "ping_api_total"),
                        "the start-up heartbeat and the one at the run's end");
                assertEquals(0, sample(metrics, "errors_total"));
                assertState(metrics, "idle");

                double pinged = sample(metrics, "ping_api_total");
                platform.failNext(502, "<html>Bad Gateway</html>");
                app.context().createProducerTemplate().sendBody("direct:opencti-heartbeat-now", null);
                metrics = scrape(port);
                assertEquals(1, sample(metrics, "ping_api_errors_total"));
                assertEquals(pinged, sample(metrics, "ping_api_total"), "a failed ping is no ping");

                // running while a run is under way
                CountDownLatch release = new CountDownLatch(1);
                feed.thenReply(new FeedServer.Reply.Held(release));
                var running = app.startRun("ipsum");
                awaitScrape(port, m -> m.contains("state{state=\"running\"} 1.0"));
                release.countDown();
                running.get();
                metrics = scrape(port);
                assertState(metrics, "idle");
                assertEquals(2, sample(metrics, "runs_total"));

                feed.thenReply(new FeedServer.Reply.Status(404, "Not Found"));
                assertTrue(app.run("ipsum").failed());
                metrics = scrape(port);
                assertEquals(3, sample(metrics, "runs_total"));
                assertEquals(1, sample(metrics, "errors_total"), "the failed run");

                // stopped while the shutdown waits for a run to end
                CountDownLatch last = new CountDownLatch(1);
                feed.thenReply(new FeedServer.Reply.Held(last));
                var lastRun = app.startRun("ipsum");
                awaitScrape(port, m -> m.contains("state{state=\"running\"} 1.0"));
                Thread stopping = new Thread(() -> app.context().stop());
                stopping.start();
                awaitScrape(port, m -> m.contains("state{state=\"stopped\"} 1.0")
                        && m.contains("state{state=\"running\"} 0.0"));
                last.countDown();
                lastRun.get();
                stopping.join(60_000);
            }
        }
    }

    private static void assertState(String metrics, String state) {
        for (String s : PyctiMetrics.STATES) {
            assertEquals(s.equals(state) ? 1 : 0, sample(metrics, "state{state=\"" + s + "\"}"), s + " in\n" + metrics);
        }
    }

    /** pycti's CONNECTOR_METRICS_NAMESPACE and _SUBSYSTEM prefix every name, and the state's label. */
    @Test
    void aNamespaceAndSubsystemPrefixEveryName() {
        PyctiMetrics metrics = new PyctiMetrics("opencti", "ipsum");
        metrics.bundlesSent(3, 30);
        String text = metrics.scrape();
        assertEquals(3, sample(text, "opencti_ipsum_bundles_sent_total"));
        assertEquals(30, sample(text, "opencti_ipsum_records_sent_total"));
        assertEquals(1, sample(text, "opencti_ipsum_state{opencti_ipsum_state=\"idle\"}"));
        assertTrue(text.contains("# TYPE opencti_ipsum_bundles_sent_total counter")
                || text.contains("# TYPE opencti_ipsum_bundles_sent counter"), text);
        assertTrue(text.contains("# TYPE opencti_ipsum_state gauge"), text);
    }

    /**
     * As a container runs it: the settings as environment variables, CONNECTOR_METRICS_PORT included (Camel Main
     * itself skips variables ending in _PORT); without a platform, a bundle file written is a bundle sent.
     */
    @Test
    void theEnvironmentOpensThePortAndBundleFilesCountAsSent() throws Exception {
        int port = Http.freePort();
        try (FeedServer feed = new FeedServer()) {
            feed.serve(Fixtures.bytes("ipsum/levels_8.txt"));
            Path bundles = data.resolve("bundles");
            try (AppProcess app = AppProcess.start(AppProcess.mainClass(), Path.of("").toAbsolutePath(), Map.of(
                    "CONNECTOR_EXPOSE_METRICS", "yes", "CONNECTOR_METRICS_PORT", Integer.toString(port),
                    "CONNECTOR_METRICS_HOST", "127.0.0.1", "CONNECTOR_DATA_PATH", data.toString(),
                    "CONNECTOR_IPSUM_API_BASE_URL", feed.url("/levels/8.txt"),
                    "CONNECTOR_DURATION_PERIOD", "PT1H", "CONNECTOR_BUNDLE_SIZE", "10"), data.resolve("app.log"))) {
                String metrics = awaitScrape(port, m -> m.contains("runs_total 1.0")
                        && m.contains("state{state=\"idle\"} 1.0"));
                long files;
                try (var list = Files.list(bundles)) {
                    files = list.filter(p -> p.getFileName().toString().endsWith(".json")).count();
                }
                assertTrue(files > 1, "several bundles: " + files);
                assertEquals(files, (long) sample(metrics, "bundles_sent_total"), app.log());
                assertTrue(sample(metrics, "records_sent_total") > files, metrics);
                assertEquals(0, sample(metrics, "ping_api_total"), "no platform, no heartbeat");
            }
        }
    }

    @Test
    void aTakenPortStopsStartUpWithOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            try (AppProcess app = AppProcess.start(AppProcess.mainClass(), Path.of("").toAbsolutePath(), Map.of(
                    "CONNECTOR_EXPOSE_METRICS", "true", "CONNECTOR_METRICS_PORT",
                    Integer.toString(taken.getLocalPort()), "CONNECTOR_METRICS_HOST", "127.0.0.1",
                    "CONNECTOR_DATA_PATH", data.toString(), "CONNECTOR_IPSUM_ENABLED", "false"),
                    data.resolve("app.log"))) {
                assertEquals(2, app.waitFor(Duration.ofSeconds(60)), app.log());
                List<String> lines = app.log().lines().filter(l -> l.contains("CONNECTOR_METRICS_PORT")).toList();
                assertEquals(1, lines.size(), app.log());
                assertTrue(lines.get(0).contains("Invalid configuration: CONNECTOR_METRICS_PORT "
                        + "(connector.metrics-port) = '" + taken.getLocalPort() + "'"), lines.get(0));
                assertFalse(app.log().contains("\tat "), "no stack trace:\n" + app.log());
            }
        }
    }
}
