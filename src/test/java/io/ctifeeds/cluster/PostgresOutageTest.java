package io.ctifeeds.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.feed.FeedRun.Counter;
import io.ctifeeds.testing.FeedServer;
import io.ctifeeds.testing.Fixtures;
import io.ctifeeds.testing.TcpProxy;
import io.ctifeeds.testing.TestApp;
import io.ctifeeds.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared database goes away between two runs (the real PostgreSQL behind a TCP proxy that cuts every
 * connection): the next trigger starts no run, says why in one line and throws nothing at the scheduler; once the
 * database is back, the run after goes through on the state it had.
 */
class PostgresOutageTest {

    @TempDir
    Path data;

    /** IPsum's level 5 from the feed server, the state in the test database reached through the proxy. */
    private static Map<String, String> settings(TestDatabase db, TcpProxy database, FeedServer feed) {
        feed.serve(Fixtures.bytes("ipsum/levels_5.txt"));
        Map<String, String> settings = new HashMap<>(db.settings());
        settings.put("connector.postgresql.url", "jdbc:postgresql://127.0.0.1:" + database.port() + "/test");
        settings.put("connector.ipsum.api-base-url", feed.url("/levels/5.txt"));
        return settings;
    }

    @Test
    void aTriggerWhileTheDatabaseIsDownStartsNoRunAndTheNextOneGoesOn() throws Exception {
        try (TestDatabase db = new TestDatabase(); TcpProxy database = new TcpProxy(5432).up();
             FeedServer feed = new FeedServer()) {
            Map<String, String> settings = settings(db, database, feed);
            try (TestApp app = new TestApp(data, settings).start()) {
                FeedRun first = app.run("ipsum");
                assertFalse(first.failed(), first.failure());

                database.down();
                // what the Quartz trigger does: any exception here would go to the scheduler's log as a stack trace
                app.fire("ipsum");
                assertEquals(1, app.endedRuns().size(), "no run started without its state");
                assertEquals(1, feed.requests().size(), "the feed is not fetched");

                database.up();
                // the pool checks a connection idle for more than half a second before lending it again
                Thread.sleep(1_000);
                FeedRun after = app.run("ipsum");
                assertFalse(after.failed(), after.failure());
                assertEquals(0, after.count(Counter.NEW), "the state from before the outage: nothing sent again");
            }
        }
    }

    /**
     * A stop (SIGTERM) while the shared database is away ends the application: Quartz's bookkeeping of the fire
     * times in flight retries against the database forever, and must not hold the shutdown with it.
     */
    @Test
    void aStopWhileTheDatabaseIsDownEnds() throws Exception {
        try (TestDatabase db = new TestDatabase(); TcpProxy database = new TcpProxy(5432).up();
             FeedServer feed = new FeedServer()) {
            Map<String, String> settings = settings(db, database, feed);
            // a fire time through Quartz itself, whose completion Quartz records in the database
            settings.put("connector.ipsum.cron", "0/1 * * * * ?");
            TestApp app = new TestApp(data, settings).start();
            try {
                app.awaitEndedRuns(1, java.time.Duration.ofSeconds(60));
                database.down();
                // the next fire times come while the database is away
                Thread.sleep(3_000);
            } finally {
                assertTimeoutPreemptively(java.time.Duration.ofSeconds(90), app::close,
                        "the application stopped while its database was away");
            }
        }
    }
}
