package io.ctifeeds.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.testing.FeedServer;
import io.ctifeeds.testing.Fixtures;
import io.ctifeeds.testing.Http;
import io.ctifeeds.testing.TestApp;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * POST /feeds/{feed}/run on the application's own HTTP server (routes/http-trigger.camel.yaml): 202 at once with
 * the run going on behind, 409 while that feed runs however it was started, 404 for what is not a feed.
 * The feed's download is held open, so "at once" and "while it runs" are facts, not timings.
 */
class HttpTriggerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path data;
    private FeedServer feed;
    private TestApp app;

    @BeforeEach
    void setUp() throws Exception {
        feed = new FeedServer();
        feed.serve(Fixtures.bytes("ipsum/levels_8.txt"));
        app = new TestApp(data, Map.of("connector.ipsum.api-base-url", feed.url("/levels/8.txt"))).withHttp().start();
    }

    @AfterEach
    void tearDown() throws Exception {
        app.close();
        feed.close();
    }

    private Http.Answer trigger(String feedName) throws Exception {
        return Http.post(app.baseUrl() + "/feeds/" + feedName + "/run");
    }

    private void awaitDownloadStarted(int requests) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (feed.requests().size() < requests) {
            assertTrue(System.nanoTime() < deadline, "the run never reached the feed");
            Thread.sleep(10);
        }
    }

    /** A run's end is reported from inside its route: the exchange completes just after. */
    private void awaitNothingInFlight(String routeId) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (app.context().getInflightRepository().size(routeId) > 0) {
            assertTrue(System.nanoTime() < deadline, routeId + " keeps exchanges in flight");
            Thread.sleep(10);
        }
    }

    @Test
    void aTriggerAnswersAtOnceAndASecondOneWhileItRunsIsRefused() throws Exception {
        CountDownLatch download = new CountDownLatch(1);
        feed.thenReply(new FeedServer.Reply.Held(download));

        Http.Answer first = trigger("ipsum");
        assertEquals(202, first.status(), first.body());
        assertTrue(first.body().contains("ipsum"), first.body());
        // answered while the download is still held: the run goes on without the caller
        awaitDownloadStarted(1);
        assertEquals(List.of(), app.endedRuns());

        Http.Answer second = trigger("ipsum");
        assertEquals(409, second.status(), second.body());

        download.countDown();
        FeedRun run = app.awaitEndedRuns(1, WAIT).get(0);
        assertFalse(run.failed(), run.failure());
        assertEquals(23, run.count(FeedRun.Counter.NEW));
        assertEquals(1, app.bundleFiles().size());

        // the feed is free again once its run has ended
        assertEquals(202, trigger("ipsum").status());
        assertFalse(app.awaitEndedRuns(2, WAIT).get(1).failed());
        assertEquals(2, feed.requests().size(), "one download per accepted trigger, none for the refused one");
        // every request and every triggered run completes: nothing is left in flight
        awaitNothingInFlight("http-trigger");
        awaitNothingInFlight("feed-trigger-run");
    }

    @Test
    void aRunStartedByItsScheduleAlsoBlocksTheTrigger() throws Exception {
        CountDownLatch download = new CountDownLatch(1);
        feed.thenReply(new FeedServer.Reply.Held(download));
        try (ProducerTemplate schedule = app.context().createProducerTemplate()) {
            // what the quartz trigger route does
            schedule.asyncSendBody("direct:ipsum-run", null);
            awaitDownloadStarted(1);

            assertEquals(409, trigger("ipsum").status());

            download.countDown();
            app.awaitEndedRuns(1, WAIT);
            assertEquals(202, trigger("ipsum").status());
            app.awaitEndedRuns(2, WAIT);
        }
    }

    @Test
    void whatIsNotAnEnabledFeedIsNotFound() throws Exception {
        assertEquals(404, trigger("nope").status());
        // the name must be a route's; nothing else can be reached through it
        assertEquals(404, trigger("stix-bundle").status());
        assertEquals(404, trigger("..%2Fstix-bundle").status());
        assertEquals(405, Http.get(app.baseUrl() + "/feeds/ipsum/run").status());
        assertEquals(List.of(), app.endedRuns());
        assertEquals(0, feed.requests().size());
        // no exchange of the trigger route is left behind
        awaitNothingInFlight("http-trigger");
    }
}
