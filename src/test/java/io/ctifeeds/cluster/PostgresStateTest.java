package io.ctifeeds.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.ctifeeds.crowdsec.store.LookupBudget;
import io.ctifeeds.crowdsec.store.PostgresLookupBudget;
import io.ctifeeds.crowdsec.store.PostgresLookupCache;
import io.ctifeeds.state.FeedState;
import io.ctifeeds.state.PostgresStateStore;
import io.ctifeeds.state.SharedDatabase;
import io.ctifeeds.state.Snapshot;
import io.ctifeeds.state.SnapshotEntry;
import io.ctifeeds.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The state replicas share, in this machine's PostgreSQL: tables made at start-up, round trips, locks, budgets. */
@SuppressWarnings("unchecked")
class PostgresStateTest {

    private TestDatabase database;
    private SharedDatabase one;
    private SharedDatabase two;

    @BeforeEach
    void setUp() {
        database = new TestDatabase();
        one = new SharedDatabase(TestDatabase.URL, TestDatabase.USER, "", database.schema());
        // a second replica: its own pool on the same schema, migrations already applied
        two = new SharedDatabase(TestDatabase.URL, TestDatabase.USER, "", database.schema());
    }

    @AfterEach
    void tearDown() throws Exception {
        one.stop();
        two.stop();
        database.close();
    }

    @Test
    void theApplicationMakesItsTablesAndQuartzs() throws Exception {
        try (Connection c = database.connect();
             ResultSet rs = c.createStatement().executeQuery("SELECT table_name FROM information_schema.tables "
                     + "WHERE table_schema = '" + database.schema() + "'")) {
            List<String> tables = new ArrayList<>();
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
            for (String t : List.of("feed_state", "feed_snapshot", "enrichment_lookup", "enrichment_budget",
                    "qrtz_triggers", "qrtz_locks", "qrtz_scheduler_state", "flyway_schema_history")) {
                assertTrue(tables.contains(t), t + " in " + tables);
            }
        }
    }

    @Test
    void aReplicaSeesWhatAnotherCommittedAndCheckpointed() {
        PostgresStateStore a = new PostgresStateStore(one);
        PostgresStateStore b = new PostgresStateStore(two);
        Snapshot snapshot = new Snapshot();
        snapshot.put("1.1.1.1", new SnapshotEntry(60, 100));
        snapshot.put("2001:db8::1", new SnapshotEntry(255, 0));
        FeedState state = new FeedState("http://x/feed", "\"v1\"", null, 10, 2, "2026-12-01T00:00:00Z",
                "2026-12-01T00:00:00Z");
        a.commit("ipsum", state, snapshot);

        assertEquals(state, b.loadState("ipsum"));
        assertEquals(2, b.loadSnapshot("ipsum").size());
        assertEquals(new SnapshotEntry(255, 0), b.loadSnapshot("ipsum").get("2001:db8::1"));
        assertEquals(List.of("ipsum"), b.feeds());

        b.checkpoint("ipsum", List.of(Map.entry("3.3.3.3", new SnapshotEntry(20, 300)),
                Map.entry("1.1.1.1", new SnapshotEntry(80, 400))));
        Snapshot seen = a.loadSnapshot("ipsum");
        assertEquals(3, seen.size());
        assertEquals(new SnapshotEntry(80, 400), seen.get("1.1.1.1"));

        // a commit replaces the snapshot, checkpoints included
        Snapshot next = new Snapshot();
        next.put("4.4.4.4", new SnapshotEntry(30, 500));
        a.commit("ipsum", state, next);
        assertEquals(1, b.loadSnapshot("ipsum").size());

        b.deleteAll();
        assertEquals(FeedState.EMPTY, a.loadState("ipsum"));
        assertEquals(0, a.loadSnapshot("ipsum").size());
    }

    @Test
    void oneReplicaAtATimeRunsAFeed() {
        PostgresStateStore a = new PostgresStateStore(one);
        PostgresStateStore b = new PostgresStateStore(two);
        assertTrue(a.tryLock("ipsum"));
        assertFalse(b.tryLock("ipsum"), "held by the other replica");
        assertTrue(b.tryLock("crowdsec-import"), "another feed is free");
        a.unlock("ipsum");
        assertTrue(b.tryLock("ipsum"));
        b.unlock("ipsum");
        b.unlock("crowdsec-import");
    }

    @Test
    void replicasTogetherNeverGrantMoreThanTheBudget() throws Exception {
        LookupBudget a = new PostgresLookupBudget(one, 25, 0);
        LookupBudget b = new PostgresLookupBudget(two, 25, 0);
        Instant now = Instant.parse("2026-12-01T10:00:00Z");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> granted = new ArrayList<>();
            for (LookupBudget budget : List.of(a, b, a, b)) {
                granted.add(pool.submit(() -> {
                    int n = 0;
                    for (int i = 0; i < 20; i++) {
                        if (budget.take(now) == LookupBudget.Refusal.NONE) {
                            n++;
                        }
                    }
                    return n;
                }));
            }
            int total = 0;
            for (Future<Integer> f : granted) {
                total += f.get();
            }
            assertEquals(25, total);
            assertEquals(0, a.left(now));
            assertEquals(LookupBudget.Refusal.NONE, a.take(now.plusSeconds(86_400)), "a new day, a new budget");
        } finally {
            pool.shutdownNow();
        }
        b.quotaSpent(now);
        assertEquals(LookupBudget.Refusal.QUOTA, a.take(now.plusSeconds(3600)));
    }

    @Test
    void aLookupByOneReplicaIsCachedForTheOther() {
        PostgresLookupCache a = new PostgresLookupCache(one, 86_400);
        PostgresLookupCache b = new PostgresLookupCache(two, 86_400);
        a.lookedUp("192.0.2.10", 1_000_000);
        assertTrue(b.isFresh("192.0.2.10", 1_000_100));
        assertFalse(b.isFresh("192.0.2.10", 1_000_000 + 86_400));
        assertFalse(b.isFresh("192.0.2.11", 1_000_100));
    }

    @Test
    void feedsWhoseNamesHashAlikeHaveLocksOfTheirOwn() {
        assertEquals("Aa".hashCode(), "BB".hashCode(), "the two names collide in String.hashCode");
        PostgresStateStore first = new PostgresStateStore(one);
        PostgresStateStore second = new PostgresStateStore(two);
        assertTrue(first.tryLock("Aa"));
        try {
            assertTrue(second.tryLock("BB"), "another feed: not held back by Aa's run");
            second.unlock("BB");
            assertFalse(second.tryLock("Aa"), "the same feed: held");
        } finally {
            first.unlock("Aa");
        }
    }

    @Test
    void aFailedUnlockDoesNotGoBackToThePoolHoldingTheLock() throws Exception {
        PostgresStateStore first = new PostgresStateStore(one);
        PostgresStateStore second = new PostgresStateStore(two);
        assertTrue(first.tryLock("ipsum"));
        // the lock's connection in a state where the unlock statement fails (an aborted transaction), as a
        // cancelled or timed-out statement leaves it
        java.lang.reflect.Field locks = PostgresStateStore.class.getDeclaredField("locks");
        locks.setAccessible(true);
        Connection held = ((Map<String, Connection>) locks.get(first)).get("ipsum");
        held.setAutoCommit(false);
        try (var s = held.createStatement()) {
            s.execute("SELECT 1/0");
        } catch (java.sql.SQLException expected) {
            // the transaction is aborted now
        }

        first.unlock("ipsum");

        // the server ends the closed session (and its locks) a moment after the client closed it
        long deadline = System.nanoTime() + 10_000_000_000L;
        boolean locked = second.tryLock("ipsum");
        while (!locked && System.nanoTime() < deadline) {
            Thread.sleep(20);
            locked = second.tryLock("ipsum");
        }
        assertTrue(locked, "the run ended: another replica can run the feed");
        second.unlock("ipsum");
    }
}
