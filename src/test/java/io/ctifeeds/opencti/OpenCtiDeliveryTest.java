package io.ctifeeds.opencti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.feed.FeedRun.Counter;
import io.ctifeeds.stix.IdRules;
import io.ctifeeds.stix.StixSchemaValidator;
import io.ctifeeds.testing.CapturedLog;
import io.ctifeeds.testing.ConnectedPlatform;
import io.ctifeeds.testing.FakeOpenCti;
import io.ctifeeds.testing.FeedServer;
import io.ctifeeds.testing.Fixtures;
import io.ctifeeds.testing.PushQueue;
import io.ctifeeds.testing.PyctiIds;
import io.ctifeeds.testing.TcpProxy;
import io.ctifeeds.testing.TestApp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The IPsum pipeline delivering to OpenCTI: a fake platform that validates every GraphQL operation against
 * the real schema, and the real RabbitMQ of this machine, declared as the platform would declare it.
 */
class OpenCtiDeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StixSchemaValidator STIX = StixSchemaValidator.fromClasspath("stix2.1-schemas");

    @TempDir
    Path data;
    @RegisterExtension
    final ConnectedPlatform connected = new ConnectedPlatform();
    @RegisterExtension
    final FeedServer feed = FeedServer.ofFixture("ipsum/levels_8.txt");
    private FakeOpenCti platform;
    private TestApp app;
    private Channel channel;

    @BeforeEach
    void setUp() throws Exception {
        channel = connected.queue().channel();
    }

    private String queue() throws Exception {
        return connected.queue().name();
    }

    /** The fake platform reporting this version and validating against its schema. */
    private void platform(String version) throws Exception {
        platform = connected.play(version);
    }

    private TestApp start(Map<String, String> extra) throws Exception {
        platform = connected.platform();
        app = connected.start(data, Map.of("connector.ipsum.api-base-url", feed.url("/levels/8.txt")), extra);
        return app;
    }

    private List<JsonNode> drain(int expected) throws Exception {
        List<JsonNode> messages = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 10_000;
        while (messages.size() < expected && System.currentTimeMillis() < deadline) {
            GetResponse r = channel.basicGet(queue(), true);
            if (r == null) {
                Thread.sleep(20);
                continue;
            }
            assertEquals(2, r.getProps().getDeliveryMode(), "persistent");
            assertEquals("utf-8", r.getProps().getContentEncoding());
            messages.add(JSON.readTree(r.getBody()));
        }
        assertEquals(null, channel.basicGet(queue(), true), "no more messages than expected");
        return messages;
    }

    @ParameterizedTest(name = "OpenCTI {0}")
    @FieldSource("io.ctifeeds.testing.FakeOpenCti#VERSIONS")
    void aRunIsAWorkWhoseMessagesArePyctisOneObjectBundles(String version) throws Exception {
        platform(version);
        boolean seven = version.startsWith("7.");
        FeedRun run = start(Map.of("opencti.custom-headers", "X-Proxy-Tenant: blue ;X-Trace:1")).run("ipsum");

        assertFalse(run.failed(), run.failure());
        int expected = 23 * 3 + 2;
        assertEquals(expected, run.count(Counter.MESSAGES));
        List<JsonNode> messages = drain(expected);
        assertEquals(expected, messages.size());

        Set<String> ids = new HashSet<>();
        int sequence = 0;
        for (JsonNode message : messages) {
            List<String> keys = new ArrayList<>();
            message.fieldNames().forEachRemaining(keys::add);
            // pycti 7 sends no_split (false) after draft_id; pycti 6.9 has no such key
            assertEquals(seven ? List.of("bundle_type", "applicant_id", "action_sequence", "entities_types",
                    "content", "update", "draft_id", "no_split", "work_id") : List.of("bundle_type", "applicant_id",
                    "action_sequence", "entities_types", "content", "update", "draft_id", "work_id"), keys);
            assertFalse(message.get("update").asBoolean(), "CONNECTOR_UPDATE_EXISTING_DATA defaults to false");
            assertEquals("QUEUE_BUNDLE", message.get("bundle_type").asText());
            assertEquals(FakeOpenCti.DEFAULT_CONNECTOR_USER_ID, message.get("applicant_id").asText());
            assertEquals(++sequence, message.get("action_sequence").asInt());
            assertEquals(PlatformRun.of(run).workId(), message.get("work_id").asText());
            JsonNode bundle = PushQueue.bundle(message);
            assertEquals("bundle", bundle.get("type").asText());
            assertEquals(1, bundle.get("objects").size());
            JsonNode object = bundle.get("objects").get(0);
            assertEquals(object.get("nb_deps").asInt(), bundle.get("x_opencti_seq").asInt());
            ObjectNode stix = object.deepCopy();
            stix.remove("nb_deps");
            assertEquals(List.of(), STIX.validateObject(stix).stream().map(Object::toString).toList(),
                    stix.toString());
            ids.add(object.get("id").asText());
        }
        assertEquals(expected, ids.size(), "every object once");
        String first = Fixtures.lines("ipsum/levels_8.txt").get(0);
        assertTrue(ids.contains(PyctiIds.observable(first)));
        assertTrue(ids.contains(PyctiIds.indicator(first)));
        // dependencies first: marking and author (1) before indicator/observable (3) before relationships
        int lastSeq = 0;
        for (JsonNode message : messages) {
            int seq = PushQueue.bundle(message).get("x_opencti_seq").asInt();
            assertTrue(seq >= lastSeq, "sorted by nb_deps");
            lastSeq = seq;
        }

        assertEquals(List.of(), platform.validationFailures());
        List<String> fields = platform.calls().stream().map(FakeOpenCti.Call::field).toList();
        assertTrue(fields.indexOf("registerConnector") < fields.indexOf("workAdd"), fields.toString());
        assertTrue(fields.indexOf("workAdd") < fields.indexOf("addExpectations"), fields.toString());
        assertTrue(fields.indexOf("addExpectations") < fields.indexOf("toProcessed"), fields.toString());
        assertTrue(fields.contains("pingConnector"), fields.toString());
        assertFalse(fields.contains("deleteConnector"));
        // 7.260422.0+: a multipart work, which completes only after toProcessed and its last expectation
        assertEquals(seven, platform.calls("workAdd").get(0).variables().path("isMultiPartWork").asBoolean(false));
        assertEquals(seven ? IdRules.NEWEST : IdRules.OPENCTI_6, run.idRules(), "the platform's id rules");
        FakeOpenCti.Work work = platform.works().get(0);
        assertEquals(PlatformRun.of(run).workId(), work.id());
        assertEquals(expected, work.expectations());
        assertEquals("progress", work.status(), "no worker reported the expectations yet");
        assertTrue(work.processed());
        assertFalse(work.inError());
        assertTrue(work.message().contains("new=23"), work.message());
        for (FakeOpenCti.Call call : platform.calls()) {
            assertEquals("Bearer " + platform.token(), call.header("Authorization"));
            assertEquals("blue", call.header("X-Proxy-Tenant"));
            assertEquals("1", call.header("X-Trace"));
        }
        assertNotNull(platform.state(), "the state went out with a ping");
        assertTrue(JSON.readTree(platform.state()).path("feeds").has("ipsum"), platform.state());
        assertFalse(Files.exists(data.resolve("bundles")), "no folder copy unless asked for");
    }

    @Test
    void brokerDownDeadLettersEverythingAndReplayDeliversItOnce() throws Exception {
        try (TcpProxy broker = new TcpProxy(5672)) {
            FeedRun run = start(Map.of("mq.port", Integer.toString(broker.port()),
                    "connector.delivery-retries", "1")).run("ipsum");

            assertFalse(run.failed(), "dead-lettered is durable: " + run.failure());
            assertEquals(1, run.count(Counter.DEAD_LETTERED));
            Path deadLetters = data.resolve("dead-letter");
            List<Path> files;
            try (var list = Files.list(deadLetters)) {
                files = list.toList();
            }
            assertEquals(1, files.size());
            JsonNode letter = JSON.readTree(files.get(0).toFile());
            assertEquals("deliver-opencti", letter.get("route").asText());
            assertEquals(2, letter.get("attempts").asInt());
            assertTrue(letter.get("exception").asText().contains("broker"), letter.toString());
            assertEquals(71, letter.get("payload").get("objects").size());

            broker.up();
            app.context().createProducerTemplate().sendBody("direct:dead-letter-replay", null);

            assertEquals(71, drain(71).size());
            try (var list = Files.list(deadLetters)) {
                assertEquals(0, list.count(), "a delivered dead letter is removed");
            }
            app.context().createProducerTemplate().sendBody("direct:dead-letter-replay", null);
            assertEquals(0, drain(0).size(), "nothing is delivered twice");
        }
    }

    @Test
    void brokerCutMidRunLosesNothing() throws Exception {
        List<String> ips = Fixtures.lines("ipsum/levels_5.txt");
        feed.serve(Fixtures.bytes("ipsum/levels_5.txt"));
        try (TcpProxy broker = new TcpProxy(5672).up()) {
            start(Map.of("mq.port", Integer.toString(broker.port()), "connector.bundle-size", "100",
                    "connector.delivery-retries", "0"));
            // a few bundles' worth of traffic, far less than the run's: the cut falls mid-run on any machine
            broker.cutAfter(200_000);
            FeedRun run = app.run("ipsum");

            assertTrue(broker.wasCut(), "the broker went away during the run");
            assertFalse(run.failed(), run.failure());
            assertTrue(run.count(Counter.MESSAGES) > 0, "some bundles were confirmed before the cut");
            assertTrue(run.count(Counter.DEAD_LETTERED) > 0, "the rest were dead-lettered");

            broker.up();
            app.context().createProducerTemplate().sendBody("direct:dead-letter-replay", null);
            Set<String> ids = new HashSet<>();
            GetResponse r;
            while ((r = channel.basicGet(queue(), true)) != null) {
                ids.add(PushQueue.bundle(r.getBody()).get("objects").get(0).get("id").asText());
            }
            assertTrue(ids.contains(PyctiIds.IPSUM), "the author");
            assertTrue(ids.contains(PyctiIds.TLP_WHITE), "the marking");
            for (String ip : ips) {
                assertTrue(ids.contains(PyctiIds.observable(ip)), "observable " + ip);
                assertTrue(ids.contains(PyctiIds.indicator(ip)), "indicator " + ip);
                assertTrue(ids.contains(PyctiIds.basedOn(ip)), "based-on " + ip);
            }
            assertEquals(ips.size() * 3 + 2, ids.size(), "nothing else");
        }
    }

    @ParameterizedTest(name = "OpenCTI {0}")
    @FieldSource("io.ctifeeds.testing.FakeOpenCti#VERSIONS")
    void apiModePushesWholeBundlesWithTheWork(String version) throws Exception {
        platform(version);
        // a slow worker: it splits the pushed bundle, and adds its expectations to the work, only once the run has
        // ended (the connector reads the work, or closes it)
        CompletableFuture<Integer> worker = CompletableFuture.supplyAsync(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while ((platform.bundles().isEmpty() || platform.calls("work").isEmpty()
                    && platform.calls("toProcessed").isEmpty()) && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
            }
            FakeOpenCti.PushedBundle bundle = platform.bundles().get(0);
            int pieces = StixSplitter.split((ObjectNode) bundle.json()).expectations();
            platform.workerAddsExpectations(bundle.workId(), pieces);
            return pieces;
        });
        FeedRun run = start(Map.of("connector.queue-protocol", "api")).run("ipsum");

        assertFalse(run.failed(), run.failure());
        assertEquals(1, platform.bundles().size());
        FakeOpenCti.PushedBundle pushed = platform.bundles().get(0);
        assertEquals(PlatformRun.of(run).workId(), pushed.workId());
        assertEquals(71, pushed.json().get("objects").size());
        // the work was closed only once the workers' expectations were on it, so it did not complete at 0 of 0
        FakeOpenCti.Work work = platform.works().get(0);
        assertEquals(worker.get(), work.expectations());
        assertTrue(work.processed());
        assertEquals("progress", work.status(), "complete only when the workers report the pieces");
        assertEquals(List.of(), platform.validationFailures());
        assertEquals(0, drain(0).size(), "api mode opens no AMQP connection");
    }

    /** CONNECTOR_UPDATE_EXISTING_DATA (in pycti's spelling) sets every queue message's update flag. */
    @Test
    void updateExistingDataSetsTheMessagesUpdateFlag() throws Exception {
        FeedRun run = start(Map.of("connector.update-existing-data", "Yes")).run("ipsum");

        assertFalse(run.failed(), run.failure());
        List<JsonNode> messages = drain(71);
        assertEquals(71, messages.size());
        assertTrue(messages.stream().allMatch(m -> m.get("update").asBoolean()), "update: true in every message");
    }

    /** pycti: with CONNECTOR_SEND_TO_QUEUE=false the connector still registers and pings, and sends nothing. */
    @Test
    void withoutSendingToTheQueueTheConnectorStillRegistersAndPings() throws Exception {
        FeedRun run = start(Map.of("connector.send-to-queue", "false", "connector.send-to-directory", "true"))
                .run("ipsum");

        assertFalse(run.failed(), run.failure());
        connected.awaitFirstPing(Duration.ofSeconds(60));
        assertFalse(platform.calls("registerConnector").isEmpty(), "registered");
        assertFalse(platform.calls("pingConnector").isEmpty(), "pinged");
        assertEquals(List.of(), platform.calls("workAdd"), "no work: nothing goes to the platform");
        assertEquals(0, drain(0).size());
        assertTrue(Files.list(data.resolve("bundles")).findAny().isPresent(), "the bundles went to the folder");
        assertEquals(List.of(), platform.validationFailures());
    }

    @Test
    void aRelistedIpIsNoLongerRevokedOnThePlatform() throws Exception {
        List<String> ips = Fixtures.lines("ipsum/levels_8.txt");
        String relisted = ips.get(22);
        String indicatorId = PyctiIds.indicator(relisted);
        feed.serveLines(ips);
        start(Map.of("connector.queue-protocol", "api", "connector.worker-wait", "PT1S"));
        assertFalse(app.run("ipsum").failed());
        assertFalse(platform.object(indicatorId).path("revoked").asBoolean(), "listed");

        feed.serveLines(ips.subList(0, 22));
        assertEquals(1, app.run("ipsum").count(Counter.DELISTED));
        assertTrue(platform.object(indicatorId).path("revoked").asBoolean(), "delisted: revoked");

        feed.serveLines(ips);
        FeedRun relisting = app.run("ipsum");

        assertEquals(1, relisting.count(Counter.NEW));
        JsonNode indicator = platform.object(indicatorId);
        assertFalse(indicator.path("revoked").asBoolean(), "listed again, the platform's indicator is live: " + indicator);
        assertTrue(indicator.get("valid_until").asText().compareTo(relisting.timestamp()) > 0, indicator.toString());
        assertEquals(List.of(), platform.validationFailures());
    }

    @Test
    void platformErrorsAreRetriedWithOneLineEach() throws Exception {
        start(Map.of());
        app.run("ipsum"); // registered, first work done
        drain(71);
        feed.serve(Fixtures.bytes("ipsum/levels_5.txt"));
        platform.failNext(2, 500, "<html><body>502 Bad Gateway</body></html>");
        int callsBefore = platform.calls().size();
        CapturedLog<FeedRun> captured = CapturedLog.of(() -> app.run("ipsum"));
        FeedRun run = captured.result();
        String logged = captured.text();

        assertFalse(run.failed(), run.failure());
        assertTrue(run.count(Counter.MESSAGES) > 0);
        List<FakeOpenCti.Call> failed = platform.calls().subList(callsBefore, platform.calls().size()).stream()
                .filter(c -> c.outcome() == FakeOpenCti.Outcome.HTTP_FAILURE).toList();
        // the queue-size check and workAdd: by design neither is retried, the run goes on (without a work) and
        // says so once; the bundles themselves go over AMQP, which these 500s cannot touch
        assertEquals(List.of("connector", "workAdd"), failed.stream().map(FakeOpenCti.Call::field).toList());
        assertEquals(1, captured.lines("cannot read the queue size"), logged);
        assertEquals(1, captured.lines("no OpenCTI work for this run"), logged);
        assertEquals(2, captured.lines("HTTP 500"), "one line each: " + logged);
        assertEquals(List.of(), platform.validationFailures());
    }

    @Test
    void aResetFromTheUiMakesTheNextRunSendEverythingAgain() throws Exception {
        start(Map.of());
        app.run("ipsum");
        drain(71);
        assertEquals(0, app.run("ipsum").count(Counter.NEW), "unchanged feed");

        platform.resetState();
        app.context().createProducerTemplate().sendBody("direct:opencti-heartbeat-now", null);
        FeedRun after = app.run("ipsum");

        assertEquals(23, after.count(Counter.NEW), "a reset starts from scratch");
        assertEquals(71, drain(71).size());
    }

    /** No worker counts the pushed bundle: the run's end waits CONNECTOR_WORKER_WAIT, says so, and closes the work. */
    @Test
    void apiModeWaitsForTheWorkersOnlyAsLongAsConfigured() throws Exception {
        start(Map.of("connector.queue-protocol", "api", "connector.worker-wait", "PT1S"));
        long startedAt = System.nanoTime();
        CapturedLog<FeedRun> captured = CapturedLog.of(() -> app.run("ipsum"));
        long seconds = Duration.ofNanos(System.nanoTime() - startedAt).toSeconds();

        assertFalse(captured.result().failed(), captured.result().failure());
        assertEquals(1, captured.lines("had not split the pushed bundles within 1 s (CONNECTOR_WORKER_WAIT)"),
                captured.text());
        assertTrue(seconds < 20, "the default wait is 30 s; this one took " + seconds + " s");
        assertTrue(platform.works().get(0).processed(), "the work is closed all the same");
    }

    /**
     * Runs into the folder first, then OpenCTI configured: the platform has no state for this connector, so what
     * the local snapshot remembers was delivered elsewhere; the first run sends the whole feed. A restart against
     * the same platform (whose state the pings now hold) does not start over again.
     */
    @Test
    void aPlatformWithNoStateGetsTheWholeFeedEvenAfterRunsIntoTheFolder() throws Exception {
        try (TestApp folderOnly = new TestApp(data, Map.of("connector.ipsum.api-base-url",
                feed.url("/levels/8.txt"))).start()) {
            assertEquals(23, folderOnly.run("ipsum").count(Counter.NEW));
            assertEquals(0, folderOnly.run("ipsum").count(Counter.NEW), "the folder got it all");
        }

        FeedRun first = start(Map.of()).run("ipsum");
        assertFalse(first.failed(), first.failure());
        assertEquals(23, first.count(Counter.NEW), "the platform had nothing: everything goes");
        assertEquals(71, drain(71).size());

        app.close();
        app = null;
        FeedRun afterRestart = start(Map.of()).run("ipsum");
        assertEquals(0, afterRestart.count(Counter.NEW), "the platform's state says it got it: nothing again");
        assertEquals(0, drain(0).size());
    }

    @ParameterizedTest(name = "OpenCTI {0}")
    @FieldSource("io.ctifeeds.testing.FakeOpenCti#VERSIONS")
    void aFailedRunClosesItsWorkInError(String version) throws Exception {
        platform(version);
        feed.thenReply(new FeedServer.Reply.Status(404, "Not Found"));
        FeedRun run = start(Map.of()).run("ipsum");

        assertTrue(run.failed());
        FakeOpenCti.Work work = platform.works().get(0);
        assertEquals(PlatformRun.of(run).workId(), work.id());
        assertTrue(work.processed());
        assertTrue(work.inError(), "a failed run is reported in error");
        assertTrue(work.message().contains("HTTP 404"), work.message());
        assertEquals(List.of(), platform.validationFailures());
    }

    @Test
    void aQueueOverTheThresholdSkipsTheRun() throws Exception {
        start(Map.of("connector.queue-threshold", "1"));
        platform.setQueueMessagesSize(2_000_000);
        Iterator<FakeOpenCti.Work> none = platform.works().iterator();
        assertFalse(none.hasNext());
        app.fire("ipsum");
        assertEquals(0, platform.works().size(), "no work for a skipped run");
        assertEquals(0, feed.requests().size(), "the feed is not even fetched");
    }

    @Test
    void aMissingQueueDeadLettersTheBundleInsteadOfLosingIt() throws Exception {
        // the exchange is there, but no queue for this connector: deleted in the platform, or never made
        String orphan = UUID.randomUUID().toString();
        FeedRun run = start(Map.of("connector.id", orphan, "connector.delivery-retries", "1")).run("ipsum");

        assertFalse(run.failed(), "dead-lettered is durable: " + run.failure());
        assertEquals(1, run.count(Counter.DEAD_LETTERED), "not confirmed and dropped as pycti's are");
        Path letter;
        try (var list = Files.list(data.resolve("dead-letter"))) {
            letter = list.findFirst().orElseThrow();
        }
        String exception = JSON.readTree(letter.toFile()).get("exception").asText();
        assertTrue(exception.contains("the connector's queue is missing"), exception);
        assertTrue(exception.contains("push_routing_" + orphan), exception);

        try (PushQueue created = new PushQueue(orphan)) {
            app.context().createProducerTemplate().sendBody("direct:dead-letter-replay", null);
            int received = 0;
            while (created.channel().basicGet(created.name(), true) != null) {
                received++;
            }
            assertEquals(71, received, "delivered once the queue exists");
        }
    }
}
