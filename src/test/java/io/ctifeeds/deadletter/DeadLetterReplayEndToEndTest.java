package io.ctifeeds.deadletter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.GetResponse;
import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.feed.FeedRun.Counter;
import io.ctifeeds.stix.StixIds;
import io.ctifeeds.testing.AppProcess;
import io.ctifeeds.testing.ConnectedPlatform;
import io.ctifeeds.testing.FakeOpenCti;
import io.ctifeeds.testing.FeedServer;
import io.ctifeeds.testing.Fixtures;
import io.ctifeeds.testing.PushQueue;
import io.ctifeeds.testing.TcpProxy;
import io.ctifeeds.testing.TestApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dead-letter replay as the application runs it, never fired by hand: at start-up, on its period, before a
 * run-and-terminate exit, oldest letter first; with the real broker (cut with a {@link TcpProxy}) and the fake
 * platform (failing one operation on demand).
 */
class DeadLetterReplayEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(40);
    private static final List<String> IPS = Fixtures.lines("ipsum/levels_8.txt");
    private static final String BAD_GATEWAY = "<html><body>502 Bad Gateway</body></html>";

    @TempDir
    Path data;
    @RegisterExtension
    final ConnectedPlatform connected = new ConnectedPlatform();
    @RegisterExtension
    final FeedServer feed = FeedServer.ofLines(IPS);
    private FakeOpenCti platform;
    private PushQueue pushQueue;
    private TcpProxy broker;

    /** A queue message as the platform's worker takes it: the work it reports into (none for a replay), its object. */
    private record Message(String workId, JsonNode object) {
        String id() {
            return object.get("id").asText();
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        platform = connected.platform();
        pushQueue = connected.queue();
        broker = new TcpProxy(5672);
    }

    @AfterEach
    void tearDown() throws Exception {
        broker.close();
    }

    private TestApp start(Map<String, String> extra) throws Exception {
        return connected.start(data, Map.of("connector.ipsum.api-base-url", feed.url("/levels/8.txt"),
                "connector.delivery-retries", "0"), extra);
    }

    /** Through the proxy, which is down until a test brings it up. */
    private Map<String, String> viaProxy(Map<String, String> extra) {
        Map<String, String> overrides = new HashMap<>(extra);
        overrides.put("mq.port", Integer.toString(broker.port()));
        return overrides;
    }

    private Path deadLetters() {
        return data.resolve("dead-letter");
    }

    /**
     * The letters waiting, oldest first by the time each one records (not by the store's own order, which is under
     * test), with the objects each one holds.
     */
    private List<List<String>> waitingLetters() throws Exception {
        List<JsonNode> letters = new ArrayList<>();
        try (var files = Files.list(deadLetters())) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")
                    && !f.getFileName().toString().startsWith(".")).toList()) {
                letters.add(JSON.readTree(file.toFile()));
            }
        } catch (java.nio.file.NoSuchFileException e) {
            return List.of();
        }
        letters.sort(java.util.Comparator.comparing(l -> java.time.Instant.parse(l.get("time").asText())));
        List<List<String>> objects = new ArrayList<>();
        for (JsonNode letter : letters) {
            List<String> ids = new ArrayList<>();
            letter.get("payload").get("objects").forEach(o -> ids.add(o.get("id").asText()));
            objects.add(ids);
        }
        return objects;
    }

    /**
     * The letters once this many are waiting. A pass of the replay that finds the broker down claims each letter (a
     * rename) and gives it back: a letter read at that moment is read again.
     */
    private List<List<String>> waitingLetters(int count) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            try {
                List<List<String>> letters = waitingLetters();
                if (letters.size() == count) {
                    return letters;
                }
            } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException e) {
                // claimed meanwhile
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not " + count + " letters waiting: " + waitingLetters());
            }
            LockSupport.parkNanos(20_000_000);
        }
    }

    /** No letter left, waiting or being replayed: each was delivered and deleted. */
    private boolean noLetterLeft() {
        try (var files = Files.list(deadLetters())) {
            return files.noneMatch(Files::isRegularFile);
        } catch (java.nio.file.NoSuchFileException e) {
            return true;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + PATIENCE + ": " + what);
            }
            LockSupport.parkNanos(20_000_000);
        }
    }

    /** Takes this many messages off the push queue, in the queue's order, and checks that no more came. */
    private List<Message> take(int count) throws Exception {
        List<Message> messages = new ArrayList<>();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (messages.size() < count && System.nanoTime() < deadline) {
            GetResponse r = pushQueue.channel().basicGet(pushQueue.name(), true);
            if (r == null) {
                LockSupport.parkNanos(20_000_000);
                continue;
            }
            JsonNode message = JSON.readTree(r.getBody());
            JsonNode bundle = PushQueue.bundle(message);
            assertEquals(1, bundle.get("objects").size(), "pycti's one-object bundles");
            messages.add(new Message(message.path("work_id").isTextual() ? message.get("work_id").asText() : null,
                    bundle.get("objects").get(0)));
        }
        assertEquals(count, messages.size(), "messages on the push queue");
        assertNull(pushQueue.channel().basicGet(pushQueue.name(), true), "no more messages than expected");
        return messages;
    }

    private static List<String> ids(List<Message> messages) {
        return messages.stream().map(Message::id).toList();
    }

    private static String indicator(String ip) {
        return StixIds.indicator("[ipv4-addr:value = '" + ip + "']");
    }

    /**
     * An earlier process, whose broker was down: its first run lists every IP, its second delists the last one,
     * and both runs' bundles are dead-lettered.
     */
    private void lettersFromAnEarlierProcess() throws Exception {
        TestApp earlier = start(viaProxy(Map.of()));
        assertEquals(1, earlier.run("ipsum").count(Counter.DEAD_LETTERED));
        feed.serveLines(IPS.subList(0, IPS.size() - 1));
        FeedRun delisting = earlier.run("ipsum");
        assertEquals(1, delisting.count(Counter.DELISTED));
        assertEquals(1, delisting.count(Counter.DEAD_LETTERED));
        earlier.close();
    }

    /** (a) and (d): what an earlier process dead-lettered goes out when the next one starts, oldest letter first. */
    @Test
    void lettersWaitingAtStartUpAreReplayedAtStartUpOldestFirst() throws Exception {
        lettersFromAnEarlierProcess();
        // the listing run's letter, then the delisting run's
        List<List<String>> letters = waitingLetters(2);
        String delisted = indicator(IPS.get(IPS.size() - 1));
        assertTrue(letters.get(0).contains(delisted) && letters.get(1).contains(delisted), letters.toString());

        // the broker is back; nothing is fired: the application replays on its own as it starts
        TestApp app = start(Map.of());
        await("the letters replayed", this::noLetterLeft);

        List<Message> messages = take(letters.get(0).size() + letters.get(1).size());
        assertTrue(messages.stream().allMatch(m -> m.workId() == null), "replayed outside of any run's work");
        List<String> order = ids(messages);
        assertEquals(Set.copyOf(letters.get(0)), Set.copyOf(order.subList(0, letters.get(0).size())),
                "the older letter first, whole");
        assertEquals(Set.copyOf(letters.get(1)), Set.copyOf(order.subList(letters.get(0).size(), order.size())),
                "then the newer one");
        // what the platform makes of them in that order: the newer state of the delisted IP's indicator wins
        messages.forEach(m -> platform.ingest(JSON.createObjectNode().put("type", "bundle")
                .set("objects", JSON.createArrayNode().add(m.object()))));
        assertTrue(platform.object(delisted).path("revoked").asBoolean(), platform.object(delisted).toString());
        assertEquals(List.of(), app.endedRuns(), "no run: the replay alone delivered them");
    }

    /** (b): a letter made while the application runs goes out on the replay period, with nobody firing it. */
    @Test
    void lettersMadeWhileRunningAreReplayedOnThePeriod() throws Exception {
        TestApp app = start(viaProxy(Map.of("connector.dead-letter-replay-period-ms", "1000")));
        FeedRun listing = app.run("ipsum");
        assertEquals(1, listing.count(Counter.DEAD_LETTERED), "the broker is down");
        int firstLetter = waitingLetters(1).get(0).size();
        broker.up();
        // the first pass of the replay timer (at start-up, or a later one) takes it
        await("the first letter replayed", this::noLetterLeft);
        take(firstLetter);

        broker.down();
        feed.serveLines(IPS.subList(0, IPS.size() - 1));
        FeedRun delisting = app.run("ipsum");
        assertEquals(1, delisting.count(Counter.DEAD_LETTERED));
        List<String> letter = waitingLetters(1).get(0);
        broker.up();

        // the start-up pass is behind: only the period can bring this one out
        await("the second letter replayed on the period", this::noLetterLeft);
        List<Message> messages = take(letter.size());
        assertEquals(Set.copyOf(letter), Set.copyOf(ids(messages)));
        assertTrue(ids(messages).contains(indicator(IPS.get(IPS.size() - 1))), "the delisting");
    }

    /**
     * (c): under run-and-terminate, what the run dead-lettered is replayed before the process exits. The process is
     * a real one (its exit is what is promised). Its start-up pass is made to happen first (the feed answers only once
     * that pass has replayed an earlier letter), and there is no period within the test: the pass that replays the
     * run's own letter can only be the one before the exit.
     */
    @Test
    void runAndTerminateReplaysTheRunsLettersBeforeItExits() throws Exception {
        List<String> before = IPS.subList(0, 5);
        feed.serveLines(before);
        TestApp earlier = start(viaProxy(Map.of()));
        assertEquals(1, earlier.run("ipsum").count(Counter.DEAD_LETTERED));
        earlier.close();
        int earlierLetter = waitingLetters(1).get(0).size();
        feed.serveLines(IPS);
        CountDownLatch fetch = new CountDownLatch(1);
        feed.thenReply(new FeedServer.Reply.Held(fetch));
        // the run's first bundle fails (its expectations cannot be added) and, with no retry, is dead-lettered
        platform.failNext("addExpectations", 1, 502, BAD_GATEWAY);

        Map<String, String> env = connected.environment();
        env.put("CONNECTOR_RUN_AND_TERMINATE", "true");
        env.put("CONNECTOR_DATA_PATH", data.toString());
        env.put("CONNECTOR_IPSUM_API_BASE_URL", feed.url("/levels/8.txt"));
        // bundles of the author, the marking and three IPs
        env.put("CONNECTOR_BUNDLE_SIZE", "11");
        env.put("CONNECTOR_DELIVERY_RETRIES", "0");
        try (AppProcess process = AppProcess.start(AppProcess.mainClass(), Path.of("").toAbsolutePath(), env,
                data.resolve("process.log"))) {
            await("the start-up replay", this::noLetterLeft);
            assertTrue(take(earlierLetter).stream().allMatch(m -> m.workId() == null));
            fetch.countDown();

            assertEquals(0, process.waitFor(PATIENCE), "the run succeeded:\n" + process.log());
            assertTrue(noLetterLeft(), "no letter left at the exit:\n" + process.log());
            List<String> lines = process.log().lines().toList();
            int ran = indexOf(lines, "run-and-terminate: all feeds ran");
            int summary = indexOf(lines, "ipsum run ");
            assertTrue(lines.get(summary).contains("dead_lettered=1"), lines.get(summary));
            assertTrue(lines.subList(ran, lines.size()).stream()
                    .anyMatch(l -> l.contains("dead-letter replay: 1 delivered, none waiting")),
                    "replayed once the run had ended, before the exit:\n" + process.log());
        }
        int newObjects = (IPS.size() - before.size()) * 3;
        // the run's bundles less the dead-lettered one's three IPs, the author and marking once, the replayed letter
        List<Message> messages = take(newObjects - 9 + 2 + 11);
        List<Message> replayed = messages.stream().filter(m -> m.workId() == null).toList();
        assertEquals(11, replayed.size(), "the dead-lettered bundle, whole: " + ids(replayed));
        assertEquals(newObjects + 2, Set.copyOf(ids(messages)).size(),
                "every new IP's three objects, the author and the marking");
        Set<String> all = new HashSet<>(ids(messages));
        for (String ip : IPS.subList(before.size(), IPS.size())) {
            assertTrue(all.contains(indicator(ip)), "every new IP's indicator reached the queue: " + ip);
        }
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no line with '" + text + "':\n" + String.join("\n", lines));
    }

    /** (e): in api mode a bundle the platform fails is retried, dead-lettered, then replayed with stixBundlePush. */
    @Test
    void apiModeFailuresAreDeadLetteredAndReplayed() throws Exception {
        platform.failNext("stixBundlePush", 2, 502, BAD_GATEWAY);
        TestApp app = start(Map.of("connector.queue-protocol", "api", "connector.delivery-retries", "1",
                "connector.dead-letter-replay-period-ms", "1000"));
        FeedRun run = app.run("ipsum");

        assertFalse(run.failed(), "dead-lettered is durable: " + run.failure());
        assertEquals(1, run.count(Counter.DEAD_LETTERED));
        await("the letter replayed on the period", this::noLetterLeft);

        List<FakeOpenCti.Call> pushes = platform.calls("stixBundlePush");
        assertEquals(List.of(FakeOpenCti.Outcome.HTTP_FAILURE, FakeOpenCti.Outcome.HTTP_FAILURE,
                FakeOpenCti.Outcome.OK), pushes.stream().map(FakeOpenCti.Call::outcome).toList(),
                "tried, retried once, then replayed");
        assertEquals(1, platform.bundles().size());
        FakeOpenCti.PushedBundle replayed = platform.bundles().get(0);
        assertNull(replayed.workId(), "a replay belongs to no run's work");
        assertEquals(IPS.size() * 3 + 2, replayed.json().get("objects").size(), "the whole bundle");
        for (String ip : IPS) {
            assertNotNull(platform.object(indicator(ip)), ip);
        }
        assertEquals(0, take(0).size(), "api mode: nothing over AMQP");
    }
}
