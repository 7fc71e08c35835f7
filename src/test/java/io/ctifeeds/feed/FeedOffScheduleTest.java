package io.ctifeeds.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.ctifeeds.testing.FeedServer;
import io.ctifeeds.testing.TestApp;
import io.ctifeeds.testing.TestApps;
import org.apache.camel.component.quartz.QuartzComponent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.Scheduler;
import org.quartz.Trigger.TriggerState;
import org.quartz.TriggerKey;

/**
 * A feed turned off has no running schedule: its trigger is paused from start-up (Camel schedules a Quartz
 * endpoint's job whether or not its route starts, so it fired every period for nothing), and a feed turned on later
 * (its route started) has its trigger resumed and runs.
 */
class FeedOffScheduleTest {

    @TempDir
    Path data;
    @RegisterExtension
    final FeedServer feed = FeedServer.ofFixture("ipsum/levels_8.txt");
    @RegisterExtension
    final TestApps apps = new TestApps();

    private static TriggerState state(Scheduler scheduler, String feed) throws Exception {
        return scheduler.getTriggerState(TriggerKey.triggerKey(feed, "feeds"));
    }

    @Test
    void aFeedTurnedOffHasItsTriggerPausedUntilItsRouteStarts() throws Exception {
        // IPsum off too (the feed turned on below); blocklist.de and Spamhaus DROP ship off; the period's first run
        // would be now
        TestApp app = apps.start(data, Map.of("connector.ipsum.enabled", "false",
                "connector.ipsum.api-base-url", feed.url("/levels/8.txt"), "connector.ipsum.cron", ""));
        Scheduler scheduler = app.context().getComponent("quartz", QuartzComponent.class).getScheduler();

        for (String off : List.of("ipsum", "blocklist-de", "spamhaus-drop")) {
            assertEquals(TriggerState.PAUSED, state(scheduler, off), off);
        }
        assertEquals(List.of(), app.endedRuns());
        assertEquals(0, feed.requests().size());

        app.context().getRouteController().startRoute("ipsum");
        FeedRun run = app.awaitEndedRuns(1, Duration.ofSeconds(60)).get(0);
        assertEquals("ipsum", run.feed());
        assertFalse(run.failed(), run.failure());
        assertEquals(TriggerState.PAUSED, state(scheduler, "blocklist-de"), "the others stay off");
    }

    /** Turned on in its file under live reload: its routes are replaced (as TemplatedRouteReload does), and it runs. */
    @Test
    void aFeedTurnedOnByReplacingItsRouteRuns() throws Exception {
        TestApp app = apps.start(data, Map.of("connector.ipsum.enabled", "false"));
        Scheduler scheduler = app.context().getComponent("quartz", QuartzComponent.class).getScheduler();
        assertEquals(TriggerState.PAUSED, state(scheduler, "blocklist-de"));

        app.context().getRouteController().stopRoute("blocklist-de");
        app.context().removeRoute("blocklist-de");
        app.context().addRouteFromTemplate("blocklist-de", "ip-list-feed", Map.of("feed", "blocklist-de",
                "url", feed.url("/all.txt"), "author", "blocklist.de", "enabled", "true"));
        FeedRun run = app.awaitEndedRuns(1, Duration.ofSeconds(60)).get(0);
        assertEquals("blocklist-de", run.feed());
        assertFalse(run.failed(), run.failure());
    }
}
