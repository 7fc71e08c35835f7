package io.ctifeeds.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.ctifeeds.testing.FeedServer;
import io.ctifeeds.testing.Fixtures;
import io.ctifeeds.testing.TestApp;
import io.ctifeeds.testing.TestDatabase;
import org.apache.camel.component.quartz.QuartzComponent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quartz.Scheduler;
import org.quartz.Trigger;
import org.quartz.TriggerKey;

/**
 * pycti's schedule: the next run comes CONNECTOR_DURATION_PERIOD after the previous run ENDS (a fixed delay), so a
 * run longer than the period is never followed by another at once; a cron keeps its fire times.
 */
class FixedDelayScheduleTest {

    private static final Duration PERIOD = Duration.ofSeconds(2);
    private static final long RUN_MILLIS = 3_000;
    /**
     * How early Quartz may fire: its scheduler thread stops waiting once a fire time is 2 ms away or less
     * (QuartzSchedulerThread), and fire times are whole milliseconds.
     */
    private static final Duration QUARTZ_EARLY = Duration.ofMillis(3);

    @TempDir
    Path data;

    /** With the file store (Quartz in memory), and with the clustered JDBC job store replicas share. */
    @ParameterizedTest(name = "state store {0}")
    @ValueSource(strings = {"file", "postgresql"})
    void theNextRunStartsAPeriodAfterThePreviousOneEnded(String store) throws Exception {
        try (FeedServer feed = new FeedServer(); TestDatabase database = new TestDatabase()) {
            feed.serve(Fixtures.bytes("ipsum/levels_8.txt"));
            feed.validators(false);
            // every download takes longer than the period
            feed.thenReply(new FeedServer.Reply.Delay(RUN_MILLIS), new FeedServer.Reply.Delay(RUN_MILLIS),
                    new FeedServer.Reply.Delay(RUN_MILLIS));
            Map<String, Instant> ends = new ConcurrentHashMap<>();
            Map<String, String> settings = new HashMap<>(Map.of("connector.ipsum.api-base-url",
                    feed.url("/levels/8.txt"),
                    // no cron: every connector.duration-period, the first run at start-up
                    "connector.ipsum.cron", "", "connector.duration-period", "PT" + PERIOD.toSeconds() + "S"));
            if (store.equals("postgresql")) {
                settings.putAll(database.settings());
            }
            try (TestApp app = new TestApp(data, settings)) {
                app.start();
                app.context().getRegistry().lookupByNameAndType("feedRuns", FeedRuns.class)
                        .onRunEnd(run -> ends.put(run.id(), Instant.now()));
                List<FeedRun> runs = app.awaitEndedRuns(3, Duration.ofSeconds(90));

                for (int i = 0; i < 2; i++) {
                    FeedRun previous = runs.get(i);
                    FeedRun next = runs.get(i + 1);
                    assertFalse(previous.failed(), previous.failure());
                    Duration took = Duration.between(previous.started(), ends.get(previous.id()));
                    assertTrue(took.toMillis() >= RUN_MILLIS, "the run took its download's time: " + took);
                    Duration apart = Duration.between(previous.started(), next.started());
                    Duration idle = Duration.between(ends.get(previous.id()), next.started());
                    assertTrue(idle.plus(QUARTZ_EARLY).compareTo(PERIOD) >= 0, "run " + (i + 2) + " started " + idle.toMillis()
                            + " ms after run " + (i + 1) + " ended (starts " + apart.toMillis() + " ms apart), not "
                            + "the period after it");
                    assertTrue(apart.plus(QUARTZ_EARLY).compareTo(took.plus(PERIOD)) >= 0,
                            apart + " < " + took + " + " + PERIOD);
                }
            }
        }
    }

    /** With replicas, the re-armed trigger is in the shared job store: a restart neither runs the feed nor moves it. */
    @Test
    void aReplicaRestartKeepsTheNextRun() throws Exception {
        try (FeedServer feed = new FeedServer(); TestDatabase database = new TestDatabase()) {
            feed.serve(Fixtures.bytes("ipsum/levels_8.txt"));
            Map<String, String> settings = new HashMap<>(database.settings());
            settings.putAll(Map.of("connector.ipsum.api-base-url", feed.url("/levels/8.txt"),
                    "connector.ipsum.cron", "", "connector.duration-period", "PT1H"));
            Instant ended;
            Instant next;
            try (TestApp app = new TestApp(data, settings)) {
                app.start();
                assertFalse(app.awaitEndedRuns(1, Duration.ofSeconds(60)).get(0).failed());
                ended = Instant.now();
                next = awaitRearmed(app);
                assertTrue(!next.isBefore(ended.plus(Duration.ofHours(1)).minusSeconds(1)), next + " vs " + ended);
            }
            try (TestApp again = new TestApp(data, settings)) {
                again.start();
                assertEquals(next, trigger(again).getNextFireTime().toInstant(), "the stored next run");
                assertEquals(List.of(), again.endedRuns());
                assertEquals(1, feed.requests().size(), "no run at the restart");
            }
        }
    }

    private static Trigger trigger(TestApp app) throws Exception {
        return app.context().getComponent("quartz", QuartzComponent.class).getScheduler()
                .getTrigger(TriggerKey.triggerKey("ipsum", "feeds"));
    }

    /** The next fire time once the run's end has re-armed the trigger (Quartz unblocks it then). */
    private static Instant awaitRearmed(TestApp app) throws Exception {
        Scheduler scheduler = app.context().getComponent("quartz", QuartzComponent.class).getScheduler();
        TriggerKey key = TriggerKey.triggerKey("ipsum", "feeds");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (scheduler.getTriggerState(key) == Trigger.TriggerState.BLOCKED) {
            assertTrue(System.nanoTime() < deadline, "the trigger stays blocked");
            Thread.sleep(20);
        }
        return scheduler.getTrigger(key).getNextFireTime().toInstant();
    }

    /** A cron's fire times do not move with the runs: after a run longer than its step, it still fires on them. */
    @Test
    void aCronKeepsItsFireTimes() throws Exception {
        try (FeedServer feed = new FeedServer()) {
            feed.serve(Fixtures.bytes("ipsum/levels_8.txt"));
            feed.thenReply(new FeedServer.Reply.Delay(RUN_MILLIS));
            try (TestApp app = new TestApp(data, Map.of("connector.ipsum.api-base-url", feed.url("/levels/8.txt"),
                    "connector.ipsum.cron", "0/2 * * * * ?"))) {
                app.start();
                FeedRun run = app.awaitEndedRuns(1, Duration.ofSeconds(60)).get(0);
                assertFalse(run.failed(), run.failure());

                QuartzComponent quartz = app.context().getComponent("quartz", QuartzComponent.class);
                Trigger trigger = quartz.getScheduler().getTrigger(TriggerKey.triggerKey("ipsum", "feeds"));
                long next = trigger.getNextFireTime().getTime();
                assertEquals(0, next % 2_000, "an even second, as the cron says, not a period after the run: "
                        + trigger.getNextFireTime().toInstant());
                Instant reported = app.context().getRegistry().lookupByNameAndType("feedSchedule", FeedSchedule.class)
                        .nextRun().orElseThrow();
                assertEquals(0, reported.toEpochMilli() % 2_000, reported.toString());
            }
        }
    }
}
