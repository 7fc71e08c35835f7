package io.ctifeeds.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ctifeeds.testing.FeedServer;
import io.ctifeeds.testing.Http;
import io.ctifeeds.testing.TestApp;
import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.spi.InterceptStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An Error (a StackOverflowError, an OutOfMemoryError) in a step of a run must end the run like any exception:
 * failed with one line, the feed free to run again (the trigger answers 202, not 409 forever), run-and-terminate
 * able to exit. And a run that never ends, whatever the reason, turns liveness DOWN past CONNECTOR_MAX_RUN_TIME.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FatalErrorRunTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FEED = "1.1.1.1\t3\n8.8.8.8\t5\n";

    @TempDir
    Path data;
    private FeedServer server;
    private TestApp app;
    /** the Error the IP list parse step throws next, once */
    private final AtomicReference<Error> error = new AtomicReference<>();

    @BeforeEach
    void setUp() throws Exception {
        server = new FeedServer();
        server.serve(FEED);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (app != null) {
            app.close();
        }
        server.close();
    }

    /** Makes the parse step of the IP list run (IPsum) throw the next Error, as a step that ran out of memory would. */
    private InterceptStrategy throwingParse() {
        return new InterceptStrategy() {
            @Override
            public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target,
                                                         Processor nextTarget) {
                if (!String.valueOf(definition).startsWith("Bean[ref:ipListRuns method:parseLines]")) {
                    return target;
                }
                return exchange -> {
                    Error next = error.getAndSet(null);
                    if (next != null) {
                        throw next;
                    }
                    target.process(exchange);
                };
            }
        };
    }

    private TestApp start(Map<String, String> overrides) throws Exception {
        Map<String, String> all = new HashMap<>(overrides);
        all.put("connector.ipsum.api-base-url", server.url("/ipsum.txt"));
        all.put("connector.trigger-min-interval", "PT0S"); // the test triggers again right after the failed run
        app = new TestApp(data, all).bind("throwingParse", throwingParse());
        return app;
    }

    @Test
    void anErrorEndsTheRunFailedAndTheFeedRunsAgain() throws Exception {
        start(Map.of()).withHttp().start();
        error.set(new StackOverflowError());

        Http.Answer first = Http.post(app.baseUrl() + "/feeds/ipsum/run");
        assertEquals(202, first.status(), first.body());
        FeedRun failed = app.awaitEndedRuns(1, Duration.ofSeconds(30)).get(0);
        assertTrue(failed.failed());
        assertTrue(failed.failure().contains("StackOverflowError"), failed.failure());

        // the feed is free again: the next trigger starts a run, which succeeds
        Http.Answer second = Http.post(app.baseUrl() + "/feeds/ipsum/run");
        assertEquals(202, second.status(), second.body());
        FeedRun next = app.awaitEndedRuns(2, Duration.ofSeconds(30)).get(1);
        assertFalse(next.failed(), next.failure());
        assertEquals(2, next.count(FeedRun.Counter.NEW));
    }

    /** Run-and-terminate counts the runs that ended through the same end listeners as TestApp's. */
    @Test
    void aScheduledRunThatHitAnErrorEndsSoRunAndTerminateCanExit() throws Exception {
        error.set(new OutOfMemoryError("Java heap space (thrown by the test)"));
        start(Map.of("connector.run-and-terminate", "true")).start();

        FeedRun run = app.awaitEndedRuns(1, Duration.ofSeconds(30)).get(0);
        assertTrue(run.failed());
        assertTrue(run.failure().contains("OutOfMemoryError"), run.failure());
        assertFalse(app.context().getRegistry().lookupByNameAndType("feedRuns", FeedRuns.class).isRunning("ipsum"));
    }

    @Test
    void livenessGoesDownForARunPastTheMaximumRunTime() throws Exception {
        start(Map.of("connector.max-run-time", "PT1S")).withHttp().start();
        assertEquals(200, Http.get(app.baseUrl() + "/observe/health/live?data=true").status());
        CountDownLatch release = new CountDownLatch(1);
        server.thenReply(new FeedServer.Reply.Held(release));
        Http.post(app.baseUrl() + "/feeds/ipsum/run");

        Http.Answer live = awaitLiveness(503);
        JsonNode check = findCheck(JSON.readTree(live.body()), "feed-run-time");
        assertEquals("DOWN", check.path("status").asText(), live.body());
        assertTrue(check.path("message").asText().contains("CONNECTOR_MAX_RUN_TIME"), live.body());

        release.countDown();
        app.awaitEndedRuns(1, Duration.ofSeconds(30));
        assertEquals(200, awaitLiveness(200).status(), "the run ended: alive again");
    }

    private Http.Answer awaitLiveness(int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Http.Answer answer;
        do {
            answer = Http.get(app.baseUrl() + "/observe/health/live?data=true");
            if (answer.status() == status) {
                return answer;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("liveness never answered " + status + ": " + answer.body() + " all: "
                + Http.get(app.baseUrl() + "/observe/health?data=true").body());
    }

    private static JsonNode findCheck(JsonNode health, String id) {
        for (JsonNode check : health.path("checks")) {
            if (id.equals(check.path("name").asText())) {
                return check;
            }
        }
        throw new AssertionError("no check " + id + " in " + health);
    }
}
