package io.ctifeeds.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.ctifeeds.testing.FeedServer;
import io.ctifeeds.testing.Fixtures;
import io.ctifeeds.testing.TestApp;
import org.apache.camel.component.quartz.QuartzComponent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.Trigger;
import org.quartz.TriggerKey;

/**
 * pycti's schedule: the next run comes CONNECTOR_DURATION_PERIOD after the previous run ENDS (a fixed delay), so a
 * run longer than the period is never followed by another at once; a cron keeps its fire times.
 */
class FixedDelayScheduleTest {

    private static final Duration PERIOD = Duration.ofSeconds(2);
    private static final long RUN_MILLIS = 3_000;

    @TempDir
    Path data;

    @Test
    void theNextRunStartsAPeriodAfterThePreviousOneEnded() throws Exception {
        try (FeedServer feed = new FeedServer()) {
            feed.serve(Fixtures.bytes("ipsum/levels_8.txt"));
            feed.validators(false);
            // every download takes longer than the period
            feed.thenReply(new FeedServer.Reply.Delay(RUN_MILLIS), new FeedServer.Reply.Delay(RUN_MILLIS),
                    new FeedServer.Reply.Delay(RUN_MILLIS));
            Map<String, Instant> ends = new ConcurrentHashMap<>();
            try (TestApp app = new TestApp(data, Map.of("connector.ipsum.api-base-url", feed.url("/levels/8.txt"),
                    // no cron: every connector.duration-period, the first run at start-up
                    "connector.ipsum.cron", "", "connector.duration-period", "PT" + PERIOD.toSeconds() + "S"))) {
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
                    assertTrue(idle.compareTo(PERIOD) >= 0, "run " + (i + 2) + " started " + idle.toMillis()
                            + " ms after run " + (i + 1) + " ended (starts " + apart.toMillis() + " ms apart), not "
                            + "the period after it");
                    assertTrue(apart.compareTo(took.plus(PERIOD)) >= 0, apart + " < " + took + " + " + PERIOD);
                }
            }
        }
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
