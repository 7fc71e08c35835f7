package io.ctifeeds.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import io.ctifeeds.testing.AppProcess;
import io.ctifeeds.testing.FeedServer;
import io.ctifeeds.testing.Fixtures;
import io.ctifeeds.testing.Http;
import io.ctifeeds.testing.TcpProxy;
import io.ctifeeds.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manual trigger across replicas (two JVMs on one PostgreSQL schema): a POST on replica B for a feed that
 * replica A is running is refused with 409 and says so, instead of a 202 for a run that is then skipped; once A's
 * run has ended, B runs the feed. When B cannot reach the database to tell, it answers 503, not 202.
 */
class ReplicaTriggerProcessTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path work;

    private AppProcess start(String name, TestDatabase db, String postgresUrl, FeedServer feed) throws Exception {
        Map<String, String> env = new HashMap<>(db.environment());
        env.put("CONNECTOR_POSTGRESQL_URL", postgresUrl);
        env.put("CONNECTOR_DATA_PATH", work.resolve(name).toString());
        env.put("CONNECTOR_SEND_TO_DIRECTORY_PATH", work.resolve(name).resolve("bundles").toString());
        env.put("CONNECTOR_REPLICA_ID", name);
        env.put("CONNECTOR_IPSUM_API_BASE_URL", feed.url("/levels/8.txt"));
        // only the triggers of the test run the feed
        env.put("CONNECTOR_IPSUM_CRON", "0 0 0 1 1 ? 2099");
        env.put("CONNECTOR_TRIGGER_MIN_INTERVAL", "PT0S");
        return AppProcess.start(AppProcess.mainClass(), Path.of("").toAbsolutePath(), env,
                work.resolve(name + ".log"));
    }

    @Test
    void aTriggerForAFeedAnotherReplicaRunsIsRefusedAndSaysSo() throws Exception {
        try (TestDatabase db = new TestDatabase(); FeedServer feed = new FeedServer();
             TcpProxy toDatabase = new TcpProxy(5432).up()) {
            feed.serve(Fixtures.bytes("ipsum/levels_8.txt"));
            try (AppProcess a = start("replica-a", db, TestDatabase.URL, feed);
                 AppProcess b = start("replica-b", db,
                         "jdbc:postgresql://127.0.0.1:" + toDatabase.port() + "/test", feed)) {
                a.awaitHealthy(WAIT);
                b.awaitHealthy(WAIT);

                // A's run holds the feed while its download is held
                CountDownLatch download = new CountDownLatch(1);
                feed.thenReply(new FeedServer.Reply.Held(download));
                assertEquals(202, Http.post(a.baseUrl() + "/feeds/ipsum/run").status());
                feed.awaitRequests(1, WAIT);

                Http.Answer refused = Http.post(b.baseUrl() + "/feeds/ipsum/run");
                assertEquals(409, refused.status(), refused.body());
                assertTrue(refused.body().contains("another replica"), refused.body());

                download.countDown();
                a.awaitLog(WAIT, "ipsum run ipsum-", "succeeded: fetched=23");
                // A's lock is released before its summary line: B may run the feed now (the shared state has A's
                // validators, so the feed answers 304)
                assertEquals(202, Http.post(b.baseUrl() + "/feeds/ipsum/run").status());
                String output = b.awaitLog(WAIT, "ipsum run ipsum-", "succeeded: fetched=0");
                assertTrue(output.contains("new=0"), output);
                assertFalse(output.contains("run skipped"), output);
                assertEquals(2, feed.requests().size(), "one download per accepted trigger, none for the refused");

                // B cannot tell whether another replica runs the feed: no 202 for a run that may never happen
                toDatabase.down();
                Http.Answer unknown = Http.post(b.baseUrl() + "/feeds/ipsum/run");
                assertEquals(503, unknown.status(), unknown.body());
                assertTrue(unknown.body().contains("database"), unknown.body());
                assertEquals(2, feed.requests().size(), "no run started");

                assertEquals(0, a.terminate(WAIT), a.log());
            }
        }
    }
}
