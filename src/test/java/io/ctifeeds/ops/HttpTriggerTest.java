package io.ctifeeds.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
        // these tests trigger a feed again as soon as its run has ended
        app = start(Map.of("connector.trigger-min-interval", "PT0S"));
    }

    private TestApp start(Map<String, String> settings) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.put("connector.ipsum.api-base-url", feed.url("/levels/8.txt"));
        return new TestApp(data, all).withHttp().start();
    }

    /** The application again, with these settings instead. */
    private void restart(Map<String, String> settings) throws Exception {
        app.close();
        app = start(settings);
    }

    private HttpResponse<String> trigger(String feedName, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.baseUrl() + "/feeds/" + feedName + "/run"))
                .timeout(WAIT).POST(HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @AfterEach
    void tearDown() throws Exception {
        app.close();
        feed.close();
    }


    private static final String TOKEN = "trigger-token-0123456789abcdef";
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

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

        HttpResponse<String> first = trigger("ipsum");
        assertEquals(202, first.statusCode(), first.body());
        assertTrue(first.body().contains("ipsum"), first.body());
        // answered while the download is still held: the run goes on without the caller
        feed.awaitRequests(1, WAIT);
        assertEquals(List.of(), app.endedRuns());

        HttpResponse<String> second = trigger("ipsum");
        assertEquals(409, second.statusCode(), second.body());

        download.countDown();
        FeedRun run = app.awaitEndedRuns(1, WAIT).get(0);
        assertFalse(run.failed(), run.failure());
        assertEquals(23, run.count(FeedRun.Counter.NEW));
        assertEquals(1, app.bundleFiles().size());

        // the feed is free again once its run has ended
        assertEquals(202, trigger("ipsum").statusCode());
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
        // what the quartz trigger route does
        app.startRun("ipsum");
        feed.awaitRequests(1, WAIT);

        assertEquals(409, trigger("ipsum").statusCode());

        download.countDown();
        app.awaitEndedRuns(1, WAIT);
        assertEquals(202, trigger("ipsum").statusCode());
        app.awaitEndedRuns(2, WAIT);
    }

    @Test
    void whatIsNotAnEnabledFeedIsNotFound() throws Exception {
        assertEquals(404, trigger("nope").statusCode());
        // the name must be a route's; nothing else can be reached through it
        assertEquals(404, trigger("stix-bundle").statusCode());
        assertEquals(404, trigger("..%2Fstix-bundle").statusCode());
        assertEquals(405, Http.get(app.baseUrl() + "/feeds/ipsum/run").status());
        assertEquals(List.of(), app.endedRuns());
        assertEquals(0, feed.requests().size());
        // no exchange of the trigger route is left behind
        awaitNothingInFlight("http-trigger");
    }

    @Test
    void withATokenSetOnlyItsBearersMayTrigger() throws Exception {
        restart(Map.of("connector.http-token", TOKEN, "connector.trigger-min-interval", "PT0S"));

        HttpResponse<String> anonymous = trigger("ipsum");
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"),
                anonymous.headers().map().toString());
        assertEquals(401, trigger("ipsum", "Authorization", "Bearer " + TOKEN + "x").statusCode());
        assertEquals(401, trigger("ipsum", "Authorization", "Basic " + TOKEN).statusCode());
        // an unknown feed is not told apart from a known one before the caller has shown the token
        assertEquals(401, trigger("nope").statusCode());
        assertEquals(0, feed.requests().size(), "nothing ran for a refused request");

        HttpResponse<String> bearer = trigger("ipsum", "Authorization", "Bearer " + TOKEN);
        assertEquals(202, bearer.statusCode(), bearer.body());
        assertFalse(app.awaitEndedRuns(1, WAIT).get(0).failed());
        assertFalse(bearer.body().contains(TOKEN));
        // health and metrics stay open
        assertEquals(200, Http.get(app.baseUrl() + "/observe/health/live").status());
        assertEquals(200, Http.get(app.baseUrl() + "/observe/metrics").status());
    }

    @Test
    void aRequestFromAPageOfAnotherOriginIsRefused() throws Exception {
        HttpResponse<String> crossSite = trigger("ipsum", "Origin", "http://evil.example",
                "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(403, crossSite.statusCode(), crossSite.body());
        assertEquals(403, trigger("ipsum", "Origin", "null").statusCode());
        assertEquals(403, trigger("ipsum", "Origin", "http://127.0.0.1:1").statusCode());
        assertEquals(0, feed.requests().size(), "nothing ran for a refused request");

        // the server's own pages (same scheme, host and port) may
        assertEquals(202, trigger("ipsum", "Origin", app.baseUrl()).statusCode());
        app.awaitEndedRuns(1, WAIT);
    }

    @Test
    void aFeedIsTriggeredAtMostOnceInTheMinimumInterval() throws Exception {
        restart(Map.of("connector.trigger-min-interval", "PT1H"));

        assertEquals(202, trigger("ipsum").statusCode());
        app.awaitEndedRuns(1, WAIT);
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> again = trigger("ipsum");
            assertEquals(429, again.statusCode(), again.body());
            long retryAfter = Long.parseLong(again.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter > 3000 && retryAfter <= 3600, "Retry-After " + retryAfter);
        }
        assertEquals(1, feed.requests().size(), "one run, one download: " + feed.requests().size());
        assertEquals(1, app.endedRuns().size());
    }

    @Test
    void withoutATokenOnlyCallersOnThisHostAreAdmitted() {
        TriggerAccess open = new TriggerAccess("");
        assertEquals(TriggerAccess.Verdict.ADMITTED, open.check(null, null, "127.0.0.1:8080", "127.0.0.1"));
        assertEquals(TriggerAccess.Verdict.ADMITTED, open.check(null, "http://localhost:8080", "127.0.0.1:8080",
                "127.0.0.1"));
        assertEquals(TriggerAccess.Verdict.ADMITTED, open.check(null, null, "0:0:0:0:0:0:0:1:8080",
                "0:0:0:0:0:0:0:1"));
        assertEquals(TriggerAccess.Verdict.NOT_LOOPBACK, open.check(null, null, "10.0.0.5:8080", "10.0.0.9"));
        assertEquals(TriggerAccess.Verdict.NOT_LOOPBACK, open.check(null, null, "127.0.0.1:8080", null));
        // a page whose name was re-bound to 127.0.0.1 calls from this host, but under its own name
        assertEquals(TriggerAccess.Verdict.FOREIGN_ORIGIN, open.check(null, "http://evil.example:8080",
                "127.0.0.1:8080", "127.0.0.1"));

        TriggerAccess closed = new TriggerAccess(TOKEN);
        assertEquals(TriggerAccess.Verdict.ADMITTED, closed.check("Bearer " + TOKEN, null, "10.0.0.5:8080",
                "10.0.0.9"));
        assertEquals(TriggerAccess.Verdict.ADMITTED, closed.check("bearer " + TOKEN, null, "10.0.0.5:8080",
                "10.0.0.9"));
        assertEquals(TriggerAccess.Verdict.NO_TOKEN, closed.check(null, null, "127.0.0.1:8080", "127.0.0.1"));
        assertEquals(TriggerAccess.Verdict.FOREIGN_ORIGIN, closed.check("Bearer " + TOKEN, "https://evil.example",
                "127.0.0.1:8080", "127.0.0.1"));
    }
}
