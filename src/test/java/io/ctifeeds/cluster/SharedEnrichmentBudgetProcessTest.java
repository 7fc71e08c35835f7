package io.ctifeeds.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.ctifeeds.testing.AppProcess;
import io.ctifeeds.testing.CtiApiServer;
import io.ctifeeds.testing.FeedServer;
import io.ctifeeds.testing.Fixtures;
import io.ctifeeds.testing.Http;
import io.ctifeeds.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CrowdSec enrichment's daily budget, shared by two application processes on one PostgreSQL schema: each runs a
 * feed of its own (23 IPs each, no IP in both), the two downloads let go at the same moment, so both enrich at
 * once against a budget of 30. Either process alone could spend 23; together they must spend exactly 30 lookups,
 * counted by the CTI API itself, never more. Budgets kept per process would make 46.
 */
class SharedEnrichmentBudgetProcessTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String KEY = "cti-shared-budget-key-0123456789";
    private static final int BUDGET = 30;
    private static final Pattern LOOKED_UP = Pattern.compile(" run \\S+ succeeded: .* looked_up=(\\d+)");

    @TempDir
    Path dir;

    /** The second feed: one more instance of the ip-list-feed template, run only by its trigger. */
    private static String secondFeed(String url) {
        return """
                - templatedRoute:
                    routeTemplateRef: ip-list-feed
                    routeId: second
                    parameters:
                      - name: feed
                        value: second
                      - name: url
                        value: %s
                      - name: author
                        value: Second
                      - name: cron
                        value: "0 0 0 1 1 ? 2099"
                """.formatted(url);
    }

    @Test
    void twoProcessesEnrichingAtOnceSpendTheSharedBudgetExactly() throws Exception {
        List<String> ipsum = Fixtures.lines("ipsum/levels_8.txt");
        List<String> others = Fixtures.lines("ipsum/levels_5.txt").stream().filter(ip -> !ipsum.contains(ip))
                .limit(ipsum.size()).toList();
        List<String> all = new ArrayList<>(ipsum);
        all.addAll(others);
        Path routes = Fixtures.copyOfRoutes(dir);
        Files.copy(Path.of("application.properties"), dir.resolve("application.properties"));
        try (TestDatabase db = new TestDatabase(); FeedServer first = new FeedServer();
             FeedServer second = new FeedServer(); CtiApiServer api = new CtiApiServer(KEY)) {
            first.serve(String.join("\n", ipsum) + "\n");
            second.serve(String.join("\n", others) + "\n");
            Files.writeString(routes.resolve("second.camel.yaml"), secondFeed(second.url("/list.txt")));
            api.serve(CtiApiServer.itemsFor(all));

            Map<String, String> env = new HashMap<>(db.environment());
            env.put("CONNECTOR_IPSUM_API_BASE_URL", first.url("/levels/8.txt"));
            env.put("CONNECTOR_IPSUM_CRON", "0 0 0 1 1 ? 2099");
            env.put("CROWDSEC_KEY", KEY);
            env.put("CROWDSEC_API_BASE_URL", api.url());
            env.put("CROWDSEC_ENRICHMENT_ENABLED", "true");
            // the import would start at start-up with the key set: its searches are no lookups, but cost time
            env.put("CROWDSEC_IMPORT_ENABLED", "false");
            env.put("CROWDSEC_ENRICHMENT_DAILY_BUDGET", Integer.toString(BUDGET));
            env.put("CROWDSEC_ENRICHMENT_RATE_PER_SECOND", "50");
            try (AppProcess a = start("replica-a", env); AppProcess b = start("replica-b", env)) {
                a.awaitHealthy(WAIT);
                b.awaitHealthy(WAIT);
                CountDownLatch go = new CountDownLatch(1);
                first.thenReply(new FeedServer.Reply.Held(go));
                second.thenReply(new FeedServer.Reply.Held(go));
                assertEquals(202, Http.post(a.baseUrl() + "/feeds/ipsum/run").status());
                assertEquals(202, Http.post(b.baseUrl() + "/feeds/second/run").status());
                awaitRequest(first);
                awaitRequest(second);
                go.countDown();

                int lookedUpA = lookedUp(a.awaitLog(WAIT, "ipsum run ipsum-", " succeeded: "));
                int lookedUpB = lookedUp(b.awaitLog(WAIT, "second run second-", " succeeded: "));
                long lookups = api.requests().stream().filter(r -> r.path().startsWith("/v2/smoke/")
                        && !r.path().equals("/v2/smoke/search")).count();
                assertEquals(BUDGET, lookups, "lookups the CTI API answered: " + api.requests().stream()
                        .map(r -> r.path() + " " + r.status()).toList() + "\n" + a.log() + "\n" + b.log());
                assertEquals(BUDGET, lookedUpA + lookedUpB, "lookups the runs counted: " + lookedUpA + " + "
                        + lookedUpB);
                // neither could spend the budget alone: both drew on it
                assertTrue(lookedUpA > 0 && lookedUpB > 0, lookedUpA + " + " + lookedUpB);
                try (var c = db.connect(); var q = c.prepareStatement(
                        "SELECT used FROM enrichment_budget WHERE period = ?")) {
                    q.setString(1, "day:" + LocalDate.now(ZoneOffset.UTC));
                    try (var rs = q.executeQuery()) {
                        assertTrue(rs.next(), "today's budget row");
                        assertEquals(BUDGET, rs.getLong(1));
                    }
                }
                assertEquals(0, a.terminate(WAIT), a.log());
                assertEquals(0, b.terminate(WAIT), b.log());
            }
        }
    }

    private AppProcess start(String name, Map<String, String> shared) throws Exception {
        Map<String, String> env = new HashMap<>(shared);
        env.put("CONNECTOR_DATA_PATH", dir.resolve(name).toString());
        env.put("CONNECTOR_SEND_TO_DIRECTORY_PATH", dir.resolve(name).resolve("bundles").toString());
        env.put("CONNECTOR_REPLICA_ID", name);
        return AppProcess.start(AppProcess.mainClass(), dir, env, dir.resolve(name + ".log"));
    }

    private static int lookedUp(String output) {
        Matcher m = LOOKED_UP.matcher(output);
        assertTrue(m.find(), "a summary line with looked_up=:\n" + output);
        return Integer.parseInt(m.group(1));
    }

    private static void awaitRequest(FeedServer feed) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (feed.requests().isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the run never reached its feed");
            Thread.sleep(20);
        }
    }
}
