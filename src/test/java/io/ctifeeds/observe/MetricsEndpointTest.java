package io.ctifeeds.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.ctifeeds.feed.DelistingPolicy;
import io.ctifeeds.feed.FeedPolicy;
import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.state.FeedState;
import io.ctifeeds.state.Snapshot;
import io.ctifeeds.testing.CtiApiServer;
import io.ctifeeds.testing.FeedServer;
import io.ctifeeds.testing.Fixtures;
import io.ctifeeds.testing.Http;
import io.ctifeeds.testing.TestApp;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /observe/metrics in Prometheus text: the feed figures of real runs, next to Camel's own. */
class MetricsEndpointTest {

    @TempDir
    Path data;

    /** The value of one sample line, e.g. {@code ctifeeds_feed_fetched_total{feed="ipsum"}}. */
    static double sample(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
        assertTrue(m.find(), series + " not in:\n" + metrics);
        return Double.parseDouble(m.group(1));
    }

    private static String scrape(TestApp app) throws Exception {
        Http.Answer answer = Http.get(app.baseUrl() + "/observe/metrics");
        assertEquals(200, answer.status(), answer.body());
        return answer.body();
    }

    @Test
    void aRunShowsUpPerFeed() throws Exception {
        try (FeedServer feed = new FeedServer()) {
            feed.serve(String.join("\n", Fixtures.lines("ipsum/levels_8.txt")) + "\nnot-an-ip\n");
            Instant before = Instant.now().minusSeconds(1);
            try (TestApp app = new TestApp(data, Map.of("connector.ipsum.api-base-url", feed.url("/levels/8.txt")))
                    .withHttp().start()) {
                FeedRun run = app.run("ipsum");
                assertFalse(run.failed(), run.failure());
                Files.createDirectories(data.resolve("dead-letter"));
                Files.writeString(data.resolve("dead-letter/20260101T000000000Z-ipsum-x-1.json"), "{}");
                Files.writeString(data.resolve("dead-letter/20260101T000000001Z-ipsum-x-2.json"), "{}");
                Files.createDirectories(data.resolve("dead-letter/rejected"));
                Files.writeString(data.resolve("dead-letter/rejected/20260101T000000002Z-ipsum-x-3.json"), "{}");

                String metrics = scrape(app);
                assertEquals(23, sample(metrics, "ctifeeds_feed_fetched_total{feed=\"ipsum\"}"));
                assertEquals(1, sample(metrics, "ctifeeds_feed_rejected_total{feed=\"ipsum\"}"));
                assertEquals(run.count(FeedRun.Counter.OBJECTS),
                        (long) sample(metrics, "ctifeeds_feed_objects_total{feed=\"ipsum\"}"));
                assertEquals(0, sample(metrics, "ctifeeds_feed_messages_total{feed=\"ipsum\"}"), "no OpenCTI here");
                assertEquals(1, sample(metrics, "ctifeeds_feed_runs_total{feed=\"ipsum\",outcome=\"succeeded\"}"));
                assertEquals(2, sample(metrics, "ctifeeds_dead_letters_waiting"), "a rejected letter does not wait");
                assertEquals(1, sample(metrics, "ctifeeds_dead_letters_rejected"));
                double lastSuccess = sample(metrics, "ctifeeds_feed_last_success_timestamp_seconds{feed=\"ipsum\"}");
                assertTrue(lastSuccess >= before.getEpochSecond(), "last success " + lastSuccess);
                assertTrue(sample(metrics, "ctifeeds_feed_last_run_duration_seconds{feed=\"ipsum\"}") >= 0);
                // Camel's own figures are there too
                assertTrue(metrics.contains("camel_exchanges_total{"), metrics);

                // a failed run counts as failed and leaves the last success as it was
                feed.thenReply(new FeedServer.Reply.Status(404, "Not Found"));
                assertTrue(app.run("ipsum").failed());
                metrics = scrape(app);
                assertEquals(1, sample(metrics, "ctifeeds_feed_runs_total{feed=\"ipsum\",outcome=\"failed\"}"));
                assertEquals(lastSuccess,
                        sample(metrics, "ctifeeds_feed_last_success_timestamp_seconds{feed=\"ipsum\"}"));
            }

            // after a restart, the last success comes back from the state before any run
            try (TestApp again = new TestApp(data, Map.of("connector.ipsum.api-base-url", feed.url("/levels/8.txt")))
                    .withHttp().start()) {
                String metrics = scrape(again);
                assertTrue(sample(metrics, "ctifeeds_feed_last_success_timestamp_seconds{feed=\"ipsum\"}")
                        >= before.getEpochSecond());
                assertEquals(0, sample(metrics, "ctifeeds_feed_fetched_total{feed=\"ipsum\"}"));
            }
        }
    }

    @Test
    void aRunThatCannotStartIsCountedSoItCanBeAlertedOn() throws Exception {
        Files.createDirectories(data.resolve("state"));
        Files.writeString(data.resolve("state/ipsum.snapshot.tsv"), "1.2.3.4\tnot a score\n");
        try (FeedServer feed = new FeedServer();
             TestApp app = new TestApp(data, Map.of("connector.ipsum.api-base-url", feed.url("/levels/8.txt")))
                     .withHttp().start()) {
            app.fire("ipsum");

            String metrics = scrape(app);
            assertEquals(1, sample(metrics, "ctifeeds_feed_runs_total{feed=\"ipsum\",outcome=\"not_started\"}"));
            assertEquals(0, feed.requests().size());
        }
    }

    /** A trigger that comes while the feed's run is under way starts nothing, and says so as outcome=skipped. */
    @Test
    void aTriggerWhileTheFeedRunsIsCountedAsSkipped() throws Exception {
        try (FeedServer feed = new FeedServer();
             TestApp app = new TestApp(data, Map.of("connector.ipsum.api-base-url", feed.url("/levels/8.txt")))
                     .withHttp().start()) {
            feed.serveLines(Fixtures.lines("ipsum/levels_8.txt"));
            CountDownLatch release = new CountDownLatch(1);
            feed.thenReply(new FeedServer.Reply.Held(release));
            Future<?> first = app.startRun("ipsum");
            try {
                until(() -> feed.requests().size() == 1, "the first run's download started");

                app.fire("ipsum");
                String metrics = scrape(app);
                assertEquals(1, sample(metrics, "ctifeeds_feed_runs_total{feed=\"ipsum\",outcome=\"skipped\"}"));
                assertEquals(1, feed.requests().size(), "the skipped trigger fetched nothing");
            } finally {
                release.countDown();
            }
            first.get(2, TimeUnit.MINUTES);
            String metrics = scrape(app);
            assertEquals(1, sample(metrics, "ctifeeds_feed_runs_total{feed=\"ipsum\",outcome=\"succeeded\"}"));
            assertEquals(1, sample(metrics, "ctifeeds_feed_runs_total{feed=\"ipsum\",outcome=\"skipped\"}"));
            assertEquals(1, app.endedRuns().size());
        }
    }

    /**
     * A CrowdSec import whose key's quota runs out mid-run (429 Limit Exceeded) delivers what it took but is no
     * success: outcome=fell_short, and the last success stays that of the run before.
     */
    @Test
    void anImportCutShortByTheQuotaFellShortAndLeavesTheLastSuccess() throws Exception {
        try (CtiApiServer api = new CtiApiServer("cti-test-key-0123456789");
             TestApp app = new TestApp(data, Map.of("crowdsec.key", "cti-test-key-0123456789",
                     "crowdsec.api-base-url", api.url(), "crowdsec.import-page-size", "3",
                     "connector.ipsum.enabled", "false")).withHttp().start()) {
            api.serve(CtiApiServer.fixtureItems());
            FeedRun ok = app.run("crowdsec-import");
            assertTrue(ok.succeeded(), ok.summary(Instant.now()));
            double lastSuccess = sample(scrape(app),
                    "ctifeeds_feed_last_success_timestamp_seconds{feed=\"crowdsec-import\"}");
            assertEquals(ok.started().getEpochSecond(), (long) lastSuccess);
            // the gauge has a resolution of a second: a later success must be told apart from this one
            until(() -> Instant.now().getEpochSecond() > (long) lastSuccess, "the next second");

            api.quota(1);
            FeedRun shortRun = app.run("crowdsec-import");
            assertFalse(shortRun.failed(), shortRun.failure());
            assertTrue(shortRun.shortfall() != null && shortRun.shortfall().contains("quota"), shortRun.summary(Instant.now()));
            String metrics = scrape(app);
            assertEquals(1, sample(metrics,
                    "ctifeeds_feed_runs_total{feed=\"crowdsec-import\",outcome=\"fell_short\"}"));
            assertEquals(1, sample(metrics,
                    "ctifeeds_feed_runs_total{feed=\"crowdsec-import\",outcome=\"succeeded\"}"));
            assertEquals(lastSuccess, sample(metrics,
                    "ctifeeds_feed_last_success_timestamp_seconds{feed=\"crowdsec-import\"}"));
        }
    }

    private static void until(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "waited a minute for: " + what);
            Thread.sleep(10);
        }
    }

    /**
     * The binder knows no feed nor figure by name: another feed, its counters and a gauge its run set (the
     * quota an enrichment API has left) appear as they are.
     */
    @Test
    void anyFeedAndAnyRunGaugeAreExportedWithoutMetricCode() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        FeedMetrics metrics = new FeedMetrics(registry);
        FeedRun run = new FeedRun("crowdsec-import", Instant.now(), "https://cti.api.crowdsec.net/v2/smoke/search",
                new FeedPolicy(0.5, java.time.Duration.ofDays(15), DelistingPolicy.KEEP), FeedState.EMPTY,
                new Snapshot(), List.of());
        run.add(FeedRun.Counter.FETCHED, 250);
        run.add(FeedRun.Counter.optional("widgets_seen"), 3);
        run.gauge("quota_left", 4750);
        metrics.ended(run);

        String text = registry.scrape();
        assertEquals(250, sample(text, "ctifeeds_feed_fetched_total{feed=\"crowdsec-import\"}"));
        assertEquals(4750, sample(text, "ctifeeds_feed_quota_left{feed=\"crowdsec-import\"}"));
        assertEquals(3, sample(text, "ctifeeds_feed_widgets_seen_total{feed=\"crowdsec-import\"}"),
                "a counter a feed declared for itself is exported by its name");
        for (FeedRun.Counter counter : FeedRun.Counter.STANDARD) {
            assertTrue(text.contains("ctifeeds_feed_" + counter.name() + "_total{feed=\"crowdsec-import\"}"),
                    counter + " missing:\n" + text);
        }
    }
}
