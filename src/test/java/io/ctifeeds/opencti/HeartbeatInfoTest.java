package io.ctifeeds.opencti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.testing.ConnectedPlatform;
import io.ctifeeds.testing.FakeOpenCti;
import io.ctifeeds.testing.FeedServer;
import io.ctifeeds.testing.TestApp;
import org.apache.camel.component.quartz.QuartzComponent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.quartz.Scheduler;
import org.quartz.Trigger;
import org.quartz.TriggerKey;

/**
 * The heartbeat's connector_info as pycti's ping sends it, so that the platform's connector page shows when the next
 * run comes and whether the connector waits on its queue: next_run_datetime (the next scheduled start, formatted
 * %Y-%m-%dT%H:%M:%SZ), buffering and queue_messages_size (what the last queue check found). Every ping is validated
 * against the schema of the version the fake platform plays.
 */
class HeartbeatInfoTest {

    private static final DateTimeFormatter PYCTI = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    @TempDir
    Path data;
    @RegisterExtension
    final ConnectedPlatform connected = new ConnectedPlatform();
    @RegisterExtension
    final FeedServer feed = FeedServer.ofFixture("ipsum/levels_8.txt");
    private FakeOpenCti platform;
    private TestApp app;

    @BeforeEach
    void setUp() throws Exception {
        connected.queue();
    }

    private TestApp start(String version, Map<String, String> extra) throws Exception {
        platform = connected.play(version);
        app = connected.start(data, extra, Map.of("connector.ipsum.api-base-url", feed.url("/levels/8.txt")));
        // the start-up heartbeat (the next is 40 s away) is in before the test's own: built earlier and arriving
        // later, it would be taken for the test's ping
        connected.awaitFirstPing(Duration.ofSeconds(30));
        return app;
    }

    private JsonNode heartbeat() {
        app.context().createProducerTemplate().sendBody("direct:opencti-heartbeat-now", null);
        List<FakeOpenCti.Call> pings = platform.calls("pingConnector");
        return pings.get(pings.size() - 1).variables().get("connectorInfo");
    }

    @ParameterizedTest(name = "OpenCTI {0}")
    @FieldSource("io.ctifeeds.testing.FakeOpenCti#VERSIONS")
    void theNextRunIsAPeriodAfterTheLastOneEnded(String version) throws Exception {
        // no cron: the first run at start-up, the next one an hour after it ends
        start(version, Map.of("connector.ipsum.cron", "", "connector.duration-period", "PT1H"));
        FeedRun run = app.awaitEndedRuns(1, Duration.ofSeconds(60)).get(0);
        assertFalse(run.failed(), run.failure());
        Instant ended = Instant.now();
        Scheduler scheduler = app.context().getComponent("quartz", QuartzComponent.class).getScheduler();
        TriggerKey ipsum = TriggerKey.triggerKey("ipsum", "feeds");
        // the run's end re-arms the trigger once Quartz has the job back
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (scheduler.getTriggerState(ipsum) == Trigger.TriggerState.BLOCKED && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Instant next = scheduler.getTrigger(ipsum).getNextFireTime().toInstant();

        JsonNode info = heartbeat();
        assertEquals(PYCTI.format(next), info.get("next_run_datetime").asText(), info.toString());
        Instant reported = Instant.parse(info.get("next_run_datetime").asText());
        assertTrue(!reported.isBefore(ended.plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS)),
                reported + " is not an hour after the run ended at " + ended);
        assertTrue(reported.isBefore(Instant.now().plus(Duration.ofHours(1))), reported.toString());
        assertFalse(info.get("buffering").asBoolean(), info.toString());
        assertTrue(info.get("queue_messages_size").isNumber() && info.get("queue_messages_size").asDouble() == 0,
                info.toString());
        assertEquals(500.0, info.get("queue_threshold").asDouble(), info.toString());
        assertFalse(info.get("last_run_datetime").isNull(), info.toString());
        assertEquals(List.of(), platform.validationFailures());
    }

    @ParameterizedTest(name = "OpenCTI {0}")
    @FieldSource("io.ctifeeds.testing.FakeOpenCti#VERSIONS")
    void aQueueOverTheThresholdIsReportedAsBuffering(String version) throws Exception {
        start(version, Map.of("connector.queue-threshold", "1"));
        JsonNode info = heartbeat();
        assertFalse(info.get("buffering").asBoolean(), "no queue check yet: " + info);
        // a cron far away (TestApp's): the next run is its next fire time
        Instant cron = app.context().getComponent("quartz", QuartzComponent.class).getScheduler()
                .getTrigger(TriggerKey.triggerKey("ipsum", "feeds")).getNextFireTime().toInstant();
        assertEquals(PYCTI.format(cron), info.get("next_run_datetime").asText(), info.toString());

        platform.setQueueMessagesSize(2_500_000);
        app.fire("ipsum");
        assertEquals(0, platform.works().size(), "the run is skipped");
        info = heartbeat();
        assertTrue(info.get("buffering").asBoolean(), info.toString());
        assertEquals(2.5, info.get("queue_messages_size").asDouble(), info.toString());
        assertEquals(1.0, info.get("queue_threshold").asDouble(), info.toString());

        platform.setQueueMessagesSize(0);
        FeedRun run = app.run("ipsum");
        assertFalse(run.failed(), run.failure());
        info = heartbeat();
        assertFalse(info.get("buffering").asBoolean(), info.toString());
        assertEquals(0.0, info.get("queue_messages_size").asDouble(), info.toString());
        assertEquals(List.of(), platform.validationFailures());
    }
}
