package io.ctifeeds.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.feed.FeedRun.Counter;
import io.ctifeeds.feed.FeedRuns;
import io.ctifeeds.testing.CapturedLog;
import io.ctifeeds.testing.FeedServer;
import io.ctifeeds.testing.Fixtures;
import io.ctifeeds.testing.TcpProxy;
import io.ctifeeds.testing.TestApp;
import io.ctifeeds.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared database goes away after a run's bundles are out and before its state is committed (the real
 * PostgreSQL behind a TCP proxy, cut by the sink's own "bundle delivered" report, so at that point and no other):
 * the run fails with one line that says why, the application goes on, and once the database is back the next run
 * sends again every IP the failed one sent (at least once: its commit never happened), and commits.
 */
class PostgresLostBeforeCommitTest {

    @TempDir
    Path data;

    @Test
    void aRunWhoseCommitFindsNoDatabaseFailsInOneLineAndTheNextSendsItsIpsAgain() throws Exception {
        try (TestDatabase db = new TestDatabase(); TcpProxy database = new TcpProxy(5432).up();
             FeedServer feed = new FeedServer()) {
            feed.serve(Fixtures.bytes("ipsum/levels_8.txt"));
            Map<String, String> settings = new HashMap<>(db.settings());
            settings.put("connector.postgresql.url", "jdbc:postgresql://127.0.0.1:" + database.port() + "/test");
            settings.put("connector.ipsum.api-base-url", feed.url("/levels/8.txt"));
            try (TestApp app = new TestApp(data, settings).start()) {
                FeedRun first = app.run("ipsum");
                assertFalse(first.failed(), first.failure());
                assertEquals(23, first.count(Counter.NEW));

                // the next run has IPs to send: the 23 are known, the others of levels_5 are new
                feed.serve(Fixtures.bytes("ipsum/levels_5.txt"));
                AtomicBoolean cutOnDelivery = new AtomicBoolean(true);
                app.context().getRegistry().lookupByNameAndType("feedRuns", FeedRuns.class).onBundleDelivered(
                        objects -> {
                            if (cutOnDelivery.getAndSet(false)) {
                                try {
                                    database.down();
                                } catch (java.io.IOException e) {
                                    throw new java.io.UncheckedIOException(e);
                                }
                            }
                        });
                app.clearBundles();
                CapturedLog<FeedRun> cut = CapturedLog.of(() -> app.run("ipsum"));
                FeedRun lost = cut.result();
                assertFalse(cutOnDelivery.get(), "the database was cut after a bundle went out");
                assertTrue(lost.failed(), "a run whose state was not committed did not succeed");
                assertTrue(lost.failure().contains("PostgreSQL"), lost.failure());
                long sent = lost.count(Counter.NEW);
                assertTrue(sent > 0, "the run sent its new IPs before the cut");
                Set<String> sentIps = indicatorPatterns(app.objects());
                assertEquals(sent, sentIps.size(), "every new IP of the failed run is in its bundles");
                // one line, the run's summary, says what happened and what comes next; no stack trace (Quartz's
                // own cluster check may log that it lost the database too: that is not the run's)
                assertEquals(1, cut.lines("[ERROR] FeedRuns"), cut.text());
                assertEquals(1, cut.lines("ipsum run " + lost.id() + " FAILED"), cut.text());
                assertTrue(lost.failure().contains("the next run sends this run's IPs again"), lost.failure());
                assertEquals(List.of(), loggersWithStackTraces(cut.text()).stream()
                        .filter(PostgresLostBeforeCommitTest::ours).toList(), cut.text());

                database.up();
                app.clearBundles();
                FeedRun after = runOnceTheDatabaseAnswers(app);
                assertFalse(after.failed(), after.failure());
                assertEquals(sent, after.count(Counter.NEW), "what was not committed is new again");
                assertEquals(sentIps, indicatorPatterns(app.objects()), "the same IPs sent again");

                app.clearBundles();
                FeedRun settled = app.run("ipsum");
                assertFalse(settled.failed(), settled.failure());
                assertEquals(0, settled.count(Counter.NEW), "committed now: nothing sent a third time");
            }
        }
    }

    /**
     * The pool lends again a connection idle for less than half a second without checking it: the first trigger
     * after the outage may meet one the cut killed, and start no run. Triggers until one starts.
     */
    private static FeedRun runOnceTheDatabaseAnswers(TestApp app) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (true) {
            int before = app.endedRuns().size();
            app.fire("ipsum");
            List<FeedRun> ended = app.endedRuns();
            if (ended.size() > before) {
                return ended.get(ended.size() - 1);
            }
            assertTrue(System.nanoTime() < deadline, "no run started after the database came back");
            Thread.sleep(100);
        }
    }

    private static Set<String> indicatorPatterns(List<JsonNode> objects) {
        Set<String> patterns = new HashSet<>();
        for (JsonNode o : objects) {
            if ("indicator".equals(o.path("type").asText())) {
                patterns.add(o.path("pattern").asText());
            }
        }
        return patterns;
    }

    /** The loggers (short names) of the records of this output that carry a stack trace. */
    private static Set<String> loggersWithStackTraces(String output) {
        java.util.regex.Pattern record = java.util.regex.Pattern.compile("^\\S+ \\[\\w+\\] (\\S+) - ");
        Set<String> loggers = new java.util.TreeSet<>();
        String current = null;
        for (String line : output.lines().toList()) {
            java.util.regex.Matcher m = record.matcher(line);
            if (m.find()) {
                current = m.group(1);
            } else if (line.startsWith("\tat ") && current != null) {
                loggers.add(current);
            }
        }
        return loggers;
    }

    /** Whether a logger's short name is one of our classes (Quartz's and Hikari's own reports are not). */
    private static boolean ours(String shortName) {
        try (var files = java.nio.file.Files.walk(java.nio.file.Path.of("src/main/java/io/ctifeeds"))) {
            return files.anyMatch(f -> f.getFileName().toString().equals(shortName + ".java"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
