package io.ctifeeds.crowdsec.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.ctifeeds.crowdsec.mapping.StixChecks;
import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.feed.FeedRun.Counter;
import io.ctifeeds.testing.CapturedLog;
import io.ctifeeds.testing.CtiApiServer;
import io.ctifeeds.testing.CtiApiServer;
import io.ctifeeds.testing.CtiApiServer.Reply;
import io.ctifeeds.testing.FeedServer;
import io.ctifeeds.testing.Fixtures;
import io.ctifeeds.testing.PyctiIds;
import io.ctifeeds.testing.TestApp;
import io.ctifeeds.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IPsum's IPs enriched through CrowdSec smoke/{ip} lookups, end to end: the real routes, the IPsum feed from a
 * local server, a local CTI API with its own strict per-second limiter and quota, the directory sink.
 */
class CrowdSecEnrichmentTest {

    private static final String KEY = "cti-enrich-key-0123456789";

    @TempDir
    Path data;
    private FeedServer feed;
    private CtiApiServer api;
    private TestApp app;
    private List<String> ips;

    @BeforeEach
    void setUp() throws Exception {
        feed = new FeedServer();
        feed.serve(Fixtures.bytes("ipsum/levels_8.txt"));
        ips = Fixtures.lines("ipsum/levels_8.txt");
        api = new CtiApiServer(KEY);
        api.serve(CtiApiServer.itemsFor(ips));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (app != null) {
            app.close();
        }
        api.close();
        feed.close();
    }

    private TestApp start(Map<String, String> overrides) throws Exception {
        Map<String, String> all = new HashMap<>(overrides);
        all.putIfAbsent("connector.ipsum.api-base-url", feed.url("/levels/8.txt"));
        all.putIfAbsent("crowdsec.key", KEY);
        all.putIfAbsent("crowdsec.api-base-url", api.url());
        all.putIfAbsent("crowdsec.import-enabled", "false");
        all.putIfAbsent("crowdsec.enrichment-enabled", "true");
        all.putIfAbsent("crowdsec.enrichment-rate-per-second", "100");
        app = new TestApp(data, all).start();
        return app;
    }

    /** What a reset from the OpenCTI UI does: the feed's snapshot goes, so its IPs are new again. */
    private void forgetFeedState() throws java.io.IOException {
        java.nio.file.Files.delete(data.resolve("state").resolve("ipsum.snapshot.tsv"));
        java.nio.file.Files.delete(data.resolve("state").resolve("ipsum.state.json"));
    }

    private List<CtiApiServer.Request> lookups() {
        return api.requests().stream().filter(r -> r.path().contains("/smoke/") && !r.path().endsWith("/search"))
                .toList();
    }

    private Map<String, JsonNode> byId() throws Exception {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        app.objects().forEach(o -> byId.putIfAbsent(o.get("id").asText(), o));
        return byId;
    }

    @Test
    void theAnswerIsMergedIntoWhatTheFeedSends() throws Exception {
        FeedRun run = start(Map.of()).run("ipsum");

        assertFalse(run.failed(), run.failure());
        assertEquals(23, run.count(CrowdSecEnrichment.LOOKED_UP));
        assertEquals(23, run.count(CrowdSecEnrichment.ENRICHED));
        assertEquals(KEY, lookups().get(0).header("x-api-key"));
        assertEquals("cti-feeds/crowdsec-enrichment", lookups().get(0).header("User-Agent"));
        assertEquals("application/json", lookups().get(0).header("Accept"));
        assertEquals(ips.stream().map(ip -> "/v2/smoke/" + ip).sorted().toList(),
                lookups().stream().map(CtiApiServer.Request::path).sorted().toList());
        for (JsonNode bundle : app.bundles()) {
            assertEquals(List.of(), StixChecks.VALIDATOR.validateBundleDeep(bundle));
        }
        Map<String, JsonNode> byId = byId();
        String ip = ips.get(0);
        JsonNode observable = byId.get(PyctiIds.observable(ip));
        List<String> labels = new ArrayList<>();
        observable.get("x_opencti_labels").forEach(l -> labels.add(l.asText()));
        assertTrue(labels.contains("ipsum"), labels.toString());
        assertTrue(labels.contains("malicious"), "CrowdSec's reputation label is merged in: " + labels);
        // one observable and one indicator per IP in the output, the feed's, with CrowdSec's score if higher
        assertEquals(23, app.objects().stream().filter(o -> o.get("type").asText().equals("ipv4-addr"))
                .map(o -> o.get("id").asText()).distinct().count());
        JsonNode indicator = byId.get(PyctiIds.indicator(ip));
        assertEquals(PyctiIds.IPSUM, indicator.get("created_by_ref").asText());
        assertEquals(100, indicator.get("x_opencti_score").asInt(), "CrowdSec's 5/5 beats IPsum's 60");
        assertEquals(90, indicator.get("confidence").asInt(), "CrowdSec's confidence: high");
        // CrowdSec's own objects come along, authored by CrowdSec
        assertNotNull(byId.get(PyctiIds.T1110_OPENCTI_7), "the folder sink: newest id rules");
        String crowdsec = PyctiIds.CROWDSEC;
        assertTrue(byId.containsKey(crowdsec));
        assertTrue(app.objects().stream().anyMatch(o -> o.get("type").asText().equals("sighting")
                && o.get("created_by_ref").asText().equals(crowdsec)));
    }

    /**
     * With the feeds' state in PostgreSQL, the lookup cache and the budget are there too, where every replica sees
     * them, and no file of theirs is left in the data folder.
     */
    @Test
    void withStateInPostgresTheCacheAndBudgetAreThereToo() throws Exception {
        try (TestDatabase db = new TestDatabase()) {
            Map<String, String> settings = new HashMap<>(db.settings());
            settings.put("crowdsec.enrichment-daily-budget", "1000");
            FeedRun run = start(settings).run("ipsum");

            assertFalse(run.failed(), run.failure());
            assertEquals(23, run.count(CrowdSecEnrichment.LOOKED_UP));
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                assertEquals(23, count(s, "SELECT count(*) FROM enrichment_lookup"), "the run's lookups, cached");
                assertEquals(23, count(s, "SELECT coalesce(max(used), 0) FROM enrichment_budget"),
                        "the lookups taken from the budget");
            }
            try (Stream<Path> files = Files.walk(data)) {
                assertEquals(List.of(), files.map(f -> f.getFileName().toString())
                        .filter(f -> f.startsWith("crowdsec-enrichment")).toList());
            }
            app.close();
            app = null;
        }
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void atTheConfiguredRateTheApisOwnLimiterNeverSaysNo() throws Exception {
        int rate = 10;
        api.maxPerSecond(rate);
        FeedRun run = start(Map.of("crowdsec.enrichment-rate-per-second", Integer.toString(rate))).run("ipsum");

        assertFalse(run.failed(), run.failure());
        assertEquals(0, api.throttledCount(), "no 429 from the API's limiter");
        assertEquals(23, run.count(CrowdSecEnrichment.ENRICHED));
        List<CtiApiServer.Request> lookups = lookups();
        double measured = steadyRate(lookups, rate);
        // never faster than the rate; slower is what a loaded machine does, so no lower bound
        assertTrue(measured <= 1.1 * rate, "measured " + measured + "/s against " + rate + "/s");
    }

    /**
     * The Throttle EIP admits a burst of {@code rate} per period: the steady rate is what came after the first burst,
     * over the time it took.
     */
    static double steadyRate(List<CtiApiServer.Request> lookups, int rate) {
        int lastBurstStart = (lookups.size() - 1) / rate * rate;
        double seconds = (lookups.get(lastBurstStart).nanoTime() - lookups.get(0).nanoTime()) / 1e9;
        return lastBurstStart / seconds;
    }

    @Test
    void lookupsOfARunThatFailedAreNotCachedSoTheNextRunEnrichesTheIps() throws Exception {
        // the bundle folder cannot be written: the run fails after its lookups, nothing reached a sink
        java.nio.file.Files.writeString(data.resolve("bundles"), "not a folder");
        FeedRun failed = start(Map.of("crowdsec.enrichment-which", "new")).run("ipsum");
        assertTrue(failed.failed(), "the bundles could not be written");
        assertEquals(23, lookups().size());

        java.nio.file.Files.delete(data.resolve("bundles"));
        FeedRun again = app.run("ipsum");

        assertFalse(again.failed(), again.failure());
        assertEquals(0, again.count(CrowdSecEnrichment.CACHED), "nothing of the failed run counts as enriched");
        assertEquals(46, lookups().size(), "looked up again: the enrichment must reach the platform");
        assertEquals(23, again.count(CrowdSecEnrichment.ENRICHED));
    }

    @Test
    void anIpLookedUpOnceIsNotLookedUpAgainWithinTheDelayEvenAfterARestart() throws Exception {
        start(Map.of("crowdsec.enrichment-which", "all")).run("ipsum");
        assertEquals(23, lookups().size());
        app.close();

        // the feed's state is gone (every IP is new again), the lookup cache is not
        app = null;
        forgetFeedState();
        FeedRun again = start(Map.of("crowdsec.enrichment-which", "all")).run("ipsum");
        assertFalse(again.failed(), again.failure());
        assertEquals(23, again.count(Counter.NEW));
        assertEquals(23, again.count(CrowdSecEnrichment.CACHED));
        assertEquals(23, lookups().size(), "no second lookup");
    }

    @Test
    void theBudgetStopsLookupsAtExactlyTheBudgetAndKeepsCountingAcrossRestarts() throws Exception {
        FeedRun run = start(Map.of("crowdsec.enrichment-daily-budget", "7")).run("ipsum");

        assertFalse(run.failed(), run.failure());
        assertEquals(7, lookups().size());
        assertEquals(7, run.count(CrowdSecEnrichment.ENRICHED));
        assertEquals(16, run.count(CrowdSecEnrichment.OVER_BUDGET));
        assertEquals(0.0, run.gauges().get("crowdsec_lookups_left"), "the metric of the lookups left");
        assertEquals(23, app.objects().stream().filter(o -> o.get("type").asText().equals("ipv4-addr")).count(),
                "every feed IP still goes out");
        app.close();
        app = null;

        forgetFeedState();
        FeedRun next = start(Map.of("crowdsec.enrichment-daily-budget", "7")).run("ipsum");
        assertEquals(7, lookups().size(), "today's budget was spent before the restart");
        assertEquals(16, next.count(CrowdSecEnrichment.OVER_BUDGET));
        assertEquals(7, next.count(CrowdSecEnrichment.CACHED));
    }

    @Test
    void limitExceededMidRunStopsLookupsAndDeliversEveryFeedIp() throws Exception {
        api.quota(5);
        FeedRun run = start(Map.of()).run("ipsum");

        assertFalse(run.failed(), run.failure());
        assertEquals(5, run.count(CrowdSecEnrichment.ENRICHED));
        assertEquals(6, lookups().size(), "five answers, then one Limit Exceeded, then no more");
        assertEquals(17, run.count(CrowdSecEnrichment.OVER_BUDGET));
        assertEquals(23, app.objects().stream().filter(o -> o.get("type").asText().equals("indicator")
                && o.get("created_by_ref").asText().equals(PyctiIds.IPSUM)).count());
    }

    @Test
    void unknownIpsAreRecordedAndNotAskedAgain() throws Exception {
        api.serve(CtiApiServer.itemsFor(ips.subList(0, 10)));
        FeedRun run = start(Map.of("crowdsec.enrichment-which", "all")).run("ipsum");

        assertEquals(10, run.count(CrowdSecEnrichment.ENRICHED));
        assertEquals(13, run.count(CrowdSecEnrichment.UNKNOWN));
        assertEquals(23, lookups().size(), "a 404 is not retried");
        app.close();
        app = null;
        forgetFeedState();
        FeedRun again = start(Map.of("crowdsec.enrichment-which", "all")).run("ipsum");
        assertEquals(23, again.count(CrowdSecEnrichment.CACHED));
        assertEquals(23, lookups().size());
    }

    @Test
    void tooManyRequestsSlowsDownAndRetries() throws Exception {
        start(Map.of());
        api.afterRequests(3, new Reply.Status(429, CtiApiServer.TOO_MANY_REQUESTS, Map.of("Retry-After", "0")));
        FeedRun run = app.run("ipsum");

        assertFalse(run.failed(), run.failure());
        assertEquals(1, run.count(CrowdSecEnrichment.THROTTLED));
        assertEquals(23, run.count(CrowdSecEnrichment.ENRICHED), "the throttled lookup was retried");
        assertEquals(24, lookups().size());
    }

    @Test
    void aRefusedKeyStopsEnrichmentButNotTheFeed() throws Exception {
        FeedRun run = start(Map.of("crowdsec.key", "not-the-key")).run("ipsum");

        assertFalse(run.failed(), run.failure());
        assertEquals(1, lookups().size());
        assertEquals(0, run.count(CrowdSecEnrichment.ENRICHED));
        assertEquals(22, run.count(CrowdSecEnrichment.OVER_BUDGET));
        assertEquals(23, app.objects().stream().filter(o -> o.get("type").asText().equals("ipv4-addr")).count());
    }

    @Test
    void timeoutsAreRetriedABoundedNumberOfTimes() throws Exception {
        start(Map.of("camel.component.http.so-timeout", "300", "camel.component.http.response-timeout", "300",
                "connector.fetch-retries", "1"));
        api.thenReply(new Reply.Slow(1500), new Reply.Slow(1500));
        FeedRun run = app.run("ipsum");

        assertFalse(run.failed(), run.failure());
        assertEquals(1, run.count(CrowdSecEnrichment.LOOKUP_FAILED));
        assertEquals(22, run.count(CrowdSecEnrichment.ENRICHED));
        assertEquals(23, app.objects().stream().filter(o -> o.get("type").asText().equals("ipv4-addr")).count());
    }

    @Test
    void onlyIpsAboveTheScoreOrCount() throws Exception {
        feed.serve(Fixtures.bytes("ipsum/ipsum_sample_by_count.txt"));
        List<String> lines = Fixtures.lines("ipsum/ipsum_sample_by_count.txt").stream()
                .filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
        api.serve(CtiApiServer.itemsFor(lines.stream().map(l -> l.split("\t")[0]).toList()));
        long atLeastFive = lines.stream().filter(l -> Integer.parseInt(l.split("\t")[1].trim()) >= 5).count();
        FeedRun run = start(Map.of("connector.ipsum.api-base-url", feed.url("/ipsum.txt"),
                "crowdsec.enrichment-min-count", "5")).run("ipsum");

        assertFalse(run.failed(), run.failure());
        assertEquals(atLeastFive, lookups().size());
        assertTrue(atLeastFive > 0 && atLeastFive < lines.size(), "the sample has counts on both sides of 5");
    }

    @Test
    void theMonthlyBudgetStopsLookupsAtExactlyTheBudget() throws Exception {
        CapturedLog<FeedRun> captured = CapturedLog.of(
                () -> start(Map.of("crowdsec.enrichment-monthly-budget", "7")).run("ipsum"));
        FeedRun run = captured.result();

        assertFalse(run.failed(), run.failure());
        assertEquals(7, lookups().size());
        assertEquals(7, run.count(CrowdSecEnrichment.ENRICHED));
        assertEquals(16, run.count(CrowdSecEnrichment.OVER_BUDGET));
        assertEquals(0.0, run.gauges().get("crowdsec_lookups_left"));
        assertEquals(1, captured.lines("CROWDSEC_ENRICHMENT_MONTHLY_BUDGET (7) is spent"), captured.text());
        assertEquals(23, app.objects().stream().filter(o -> o.get("type").asText().equals("ipv4-addr")).count(),
                "every feed IP still goes out");
        app.close();
        app = null;

        forgetFeedState();
        FeedRun next = start(Map.of("crowdsec.enrichment-monthly-budget", "7")).run("ipsum");
        assertEquals(7, lookups().size(), "this month's budget was spent before the restart");
        assertEquals(16, next.count(CrowdSecEnrichment.OVER_BUDGET));
    }

    /** IPsum's score of an IP is min(100, 20 + 10 * (count - 1)): the sample has 3 IPs of each count 1 to 10. */
    @Test
    void onlyIpsAtOrAboveTheMinimumScoreAreLookedUp() throws Exception {
        feed.serve(Fixtures.bytes("ipsum/ipsum_sample_by_count.txt"));
        List<String[]> lines = Fixtures.lines("ipsum/ipsum_sample_by_count.txt").stream()
                .filter(l -> !l.startsWith("#") && !l.isBlank()).map(l -> l.split("\t")).toList();
        api.serve(CtiApiServer.itemsFor(lines.stream().map(l -> l[0]).toList()));
        // score 60 is count 5: the boundary itself is looked up
        Set<String> expected = lines.stream().filter(l -> Integer.parseInt(l[1].trim()) >= 5).map(l -> l[0])
                .collect(Collectors.toSet());
        FeedRun run = start(Map.of("connector.ipsum.api-base-url", feed.url("/ipsum.txt"),
                "crowdsec.enrichment-min-score", "60")).run("ipsum");

        assertFalse(run.failed(), run.failure());
        assertEquals(18, expected.size());
        assertEquals(expected, lookups().stream().map(r -> r.path().substring(r.path().lastIndexOf('/') + 1))
                .collect(Collectors.toSet()));
        assertEquals(18, lookups().size());
        assertEquals(30, app.objects().stream().filter(o -> o.get("type").asText().equals("ipv4-addr")).count());
    }

    /**
     * A 429 Too Many Requests (no Retry-After: CrowdSec documents none) lowers the rate: with the API allowing half
     * the configured rate, the lookups after the first 429 go measurably slower than configured.
     */
    @Test
    void aTooManyRequestsLowersTheRate() throws Exception {
        int rate = 20;
        List<String> many = Fixtures.lines("ipsum/levels_5.txt").subList(0, 100);
        feed.serveLines(many);
        api.serve(CtiApiServer.itemsFor(many));
        api.maxPerSecond(rate / 2);
        // no backoff between tries: only the rate may slow the lookups down
        FeedRun run = start(Map.of("crowdsec.enrichment-rate-per-second", Integer.toString(rate),
                "connector.fetch-retry-delay-ms", "1", "connector.fetch-retries", "10")).run("ipsum");

        assertFalse(run.failed(), run.failure());
        assertTrue(run.count(CrowdSecEnrichment.THROTTLED) > 0, "the API said 429");
        List<CtiApiServer.Request> lookups = lookups();
        int first429 = 0;
        while (lookups.get(first429).status() != 429) {
            first429++;
        }
        List<CtiApiServer.Request> after = lookups.subList(first429, lookups.size());
        assertTrue(after.size() > 3 * rate, "enough lookups after the 429 to measure: " + after.size());
        double seconds = (after.get(after.size() - 1).nanoTime() - after.get(0).nanoTime()) / 1e9;
        double measured = (after.size() - 1) / seconds;
        // at the configured rate the requests would keep coming 20 a second, 429 or not
        assertTrue(measured < 0.8 * rate, "measured " + measured + "/s after the 429, configured " + rate + "/s");
    }

    @Test
    void anUnauthorizedKeyIsNotRetriedAndSaysSoInOneLineWithoutTheKey() throws Exception {
        start(Map.of());
        api.thenReply(new Reply.Status(401, CtiApiServer.UNAUTHORIZED));
        CapturedLog<FeedRun> captured = CapturedLog.of(() -> app.run("ipsum"));
        FeedRun run = captured.result();

        assertFalse(run.failed(), run.failure());
        assertEquals(1, lookups().size(), "a refused key is not retried");
        assertEquals(0, run.count(CrowdSecEnrichment.ENRICHED));
        assertEquals(22, run.count(CrowdSecEnrichment.OVER_BUDGET));
        assertEquals(1, captured.lines("CROWDSEC_KEY"), captured.text());
        assertTrue(captured.text().lines().anyMatch(l -> l.contains("CROWDSEC_KEY") && l.contains("401")),
                captured.text());
        assertFalse(captured.text().contains(KEY), "the key is never logged");
        assertFalse(captured.text().contains("smoke/search"), "a lookup's refusal is about the key, not the search "
                + "endpoint's plan: " + captured.text());
        assertEquals(23, app.objects().stream().filter(o -> o.get("type").asText().equals("ipv4-addr")).count());
    }

    @Test
    void aRequestTimeoutIsRetriedABoundedNumberOfTimesAndTheFeedGoesOn() throws Exception {
        start(Map.of("connector.fetch-retries", "2", "connector.fetch-retry-delay-ms", "10"));
        Reply timeout = new Reply.Status(408, "{\"message\": \"Request Timeout\"}");
        api.thenReply(timeout, timeout, timeout, timeout);
        FeedRun run = app.run("ipsum");

        assertFalse(run.failed(), run.failure());
        assertEquals(1, run.count(CrowdSecEnrichment.LOOKUP_FAILED), "the first IP: three 408s, then no more tries");
        assertEquals(22, run.count(CrowdSecEnrichment.ENRICHED), "the second IP's 408 was retried");
        assertEquals(3 + 2 + 21, lookups().size());
        assertEquals(23, app.objects().stream().filter(o -> o.get("type").asText().equals("ipv4-addr")).count());
    }

    @Test
    void aLookupCutOffMidTransferIsRetriedAndTheFeedGoesOn() throws Exception {
        start(Map.of("connector.fetch-retries", "1", "connector.fetch-retry-delay-ms", "10"));
        api.thenReply(new Reply.CutTransfer(100), new Reply.CutTransfer(100), new Reply.CutTransfer(100));
        FeedRun run = app.run("ipsum");

        assertFalse(run.failed(), run.failure());
        assertEquals(1, run.count(CrowdSecEnrichment.LOOKUP_FAILED), "the first IP: cut twice, then no more tries");
        assertEquals(22, run.count(CrowdSecEnrichment.ENRICHED), "the second IP's cut was retried");
        assertEquals(2 + 2 + 21, lookups().size());
        assertEquals(23, app.objects().stream().filter(o -> o.get("type").asText().equals("ipv4-addr")).count());
    }

    @Test
    void offByDefault() throws Exception {
        // application.properties' default, with a key and an API: the switch itself is left alone
        app = new TestApp(data, Map.of("connector.ipsum.api-base-url", feed.url("/levels/8.txt"),
                "crowdsec.key", KEY, "crowdsec.api-base-url", api.url(), "crowdsec.import-enabled", "false")).start();
        FeedRun run = app.run("ipsum");
        assertFalse(run.failed(), run.failure());
        assertEquals(0, lookups().size());
        assertEquals(23 * 3 + 2, app.objects().size());
    }
}
