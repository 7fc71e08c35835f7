package io.ctifeeds.opencti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.GetResponse;
import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.feed.FeedRun.Counter;
import io.ctifeeds.stix.StixIds;
import io.ctifeeds.testing.ConnectedPlatform;
import io.ctifeeds.testing.FeedServer;
import io.ctifeeds.testing.Fixtures;
import io.ctifeeds.testing.PushQueue;
import io.ctifeeds.testing.TestApp;
import io.ctifeeds.testing.TestApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CONNECTOR_DELIVERY_THREADS above 1: several threads deliver one run's bundles at once, to the real broker or to
 * the folder, and still every object reaches the platform exactly once, the objects all bundles share included
 * (they go once per run, not once per thread), and every bundle file is written and none overwritten.
 */
class DeliveryThreadsTest {

    /** IPs of IPsum's level 5 list: enough for many bundles of {@link #BUNDLE_SIZE}, so the threads overlap. */
    private static final List<String> IPS = Fixtures.lines("ipsum/levels_5.txt").subList(0, 400);
    private static final int BUNDLE_SIZE = 20;
    /** A bundle holds the author and marking, and whole records of three objects each. */
    private static final int RECORDS_PER_BUNDLE = (BUNDLE_SIZE - 2) / 3;
    private static final String AUTHOR = StixIds.identity("IPsum", "organization");
    private static final String TLP_WHITE = "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9";

    @TempDir
    Path data;
    @RegisterExtension
    final ConnectedPlatform connected = new ConnectedPlatform();
    @RegisterExtension
    final FeedServer feed = FeedServer.ofLines(IPS);
    private TestApp app;

    private TestApp start(Map<String, String> extra) throws Exception {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("connector.ipsum.api-base-url", feed.url("/levels/5.txt"));
        overrides.put("connector.bundle-size", Integer.toString(BUNDLE_SIZE));
        overrides.put("connector.delivery-retry-delay-ms", "10");
        overrides.put("connector.dead-letter-replay-period-ms", "3600000");
        overrides.putAll(extra);
        app = connected.apps().start(data, overrides);
        return app;
    }

    /** Delivering to the fake platform and its push queue. */
    private TestApp startConnected(Map<String, String> extra) throws Exception {
        // declared before the run, as the platform's registration declares it
        connected.queue();
        return start(TestApps.merged(connected.settings(), extra));
    }

    /** Every id the list's run must send: the author, the marking, and per IP its observable, indicator, based-on. */
    private static List<String> expectedIds() throws Exception {
        List<String> ids = new ArrayList<>(List.of(AUTHOR, TLP_WHITE));
        for (String ip : IPS) {
            String observable = StixIds.observable("ipv4-addr", ip);
            String indicator = StixIds.indicator("[ipv4-addr:value = '" + ip + "']");
            ids.add(observable);
            ids.add(indicator);
            ids.add(StixIds.relationship("based-on", indicator, observable));
        }
        return ids;
    }

    /** How many times each id came, for those that did not come exactly once. */
    private static Map<String, Long> notOnce(List<String> received, List<String> expected) {
        Map<String, Long> counts = received.stream().collect(Collectors.groupingBy(id -> id, TreeMap::new,
                Collectors.counting()));
        Map<String, Long> wrong = new TreeMap<>();
        for (String id : expected) {
            long n = counts.getOrDefault(id, 0L);
            if (n != 1) {
                wrong.put(id, n);
            }
        }
        counts.keySet().stream().filter(id -> !expected.contains(id)).forEach(id -> wrong.put(id, counts.get(id)));
        return wrong;
    }

    @ParameterizedTest(name = "{0} delivery threads")
    @ValueSource(ints = {2, 4})
    void everyObjectReachesTheBrokerExactlyOnce(int threads) throws Exception {
        List<String> expected = expectedIds();
        FeedRun run = startConnected(Map.of("connector.delivery-threads", Integer.toString(threads))).run("ipsum");

        assertFalse(run.failed(), run.failure());
        assertEquals(0, run.count(Counter.DEAD_LETTERED));
        assertTrue(run.count(Counter.BUNDLES) >= 2L * threads, "enough bundles for the threads to overlap: "
                + run.count(Counter.BUNDLES));
        List<String> received = ids(drain(expected.size()));
        assertEquals(Map.of(), notOnce(received, expected), "each object once, the author and marking included");
        assertEquals(expected.size(), run.count(Counter.MESSAGES));
        // the work counts what the workers will process: a shared object sent twice would be expected twice
        assertEquals(expected.size(), connected.platform().works().get(0).expectations());
    }

    /** An object that came in a queue message, and the work the message reports into (none for a replay). */
    private record Received(String workId, String objectId) {
    }

    /** Drains the push queue: every object of every message, until {@code atLeast} came and no more come. */
    private List<Received> drain(int atLeast) throws Exception {
        List<Received> received = new ArrayList<>();
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        GetResponse r;
        while ((r = connected.queue().channel().basicGet(connected.queue().name(), true)) != null
                || received.size() < atLeast && System.nanoTime() < deadline) {
            if (r == null) {
                java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
                continue;
            }
            JsonNode message = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.getBody());
            String workId = message.path("work_id").isTextual() ? message.get("work_id").asText() : null;
            for (JsonNode object : PushQueue.bundle(message).get("objects")) {
                received.add(new Received(workId, object.get("id").asText()));
            }
        }
        return received;
    }

    private static List<String> ids(List<Received> received) {
        return received.stream().map(Received::objectId).toList();
    }

    /**
     * A bundle that fails gives up its claim on the shared objects: the run's next bundle carries them to the
     * platform, and the failed bundle's dead letter still holds them for its replay.
     */
    @ParameterizedTest(name = "{0} delivery threads")
    @ValueSource(ints = {1, 4})
    void aBundleNotDeliveredLeavesTheSharedObjectsToTheNext(int threads) throws Exception {
        // the first bundle's expectations cannot be added: it is not published, and with no retry, dead-lettered
        connected.platform().failNext("addExpectations", 1, 500, "<html><body>502 Bad Gateway</body></html>");
        FeedRun run = startConnected(Map.of("connector.delivery-threads", Integer.toString(threads),
                "connector.delivery-retries", "0")).run("ipsum");

        assertFalse(run.failed(), run.failure());
        assertEquals(1, run.count(Counter.DEAD_LETTERED));
        Path letter;
        try (var letters = Files.list(data.resolve("dead-letter"))) {
            // the start-up replay may have taken it already, on a slow machine: it is then no longer waiting
            letter = letters.filter(f -> f.toString().endsWith(".json")).findFirst().orElse(null);
        }
        if (letter != null) {
            List<String> kept = new ArrayList<>();
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(letter.toFile()).get("payload").get("objects")
                    .forEach(o -> kept.add(o.get("id").asText()));
            assertTrue(kept.containsAll(List.of(AUTHOR, TLP_WHITE)), "the dead letter is self-contained: " + kept);
        }
        app.context().createProducerTemplate().sendBody("direct:dead-letter-replay", null);
        List<String> expected = expectedIds();
        List<Received> received = drain(expected.size() + 2);

        List<String> ofTheRun = ids(received.stream().filter(m -> PlatformRun.of(run).workId().equals(m.workId())).toList());
        assertEquals(1, java.util.Collections.frequency(ofTheRun, AUTHOR), "the author, once, with the run");
        assertEquals(1, java.util.Collections.frequency(ofTheRun, TLP_WHITE), "the marking, once, with the run");
        List<String> replayed = ids(received.stream().filter(m -> m.workId() == null).toList());
        assertTrue(replayed.containsAll(List.of(AUTHOR, TLP_WHITE)), "and with the replayed letter: " + replayed);
        assertEquals(2 + RECORDS_PER_BUNDLE * 3, replayed.size(), "one bundle replayed: " + replayed);
        List<String> all = new ArrayList<>(expected);
        all.add(AUTHOR);
        all.add(TLP_WHITE);
        assertEquals(all.stream().sorted().toList(), ids(received).stream().sorted().toList(),
                "every object once, the shared ones once more with the replayed letter");
    }

    /**
     * Two bundles sent at once, and the one carrying the shared objects fails: the other waited for that outcome
     * and carries them, so they reach the platform with the run, not only once the dead letter is replayed (its
     * objects, which reference the author and the marking, would otherwise wait for them until then).
     */
    @Test
    void whenTheBundleCarryingTheSharedObjectsFailsTheOneSentAtTheSameTimeCarriesThem() throws Exception {
        feed.serveLines(IPS.subList(0, 2 * RECORDS_PER_BUNDLE));
        // the bundle that carries the author and the marking: two expectations more than the other
        connected.platform().failNextWhere("addExpectations",
                variables -> variables.path("expectations").asInt() == BUNDLE_SIZE, 500,
                "<html><body>502 Bad Gateway</body></html>");
        FeedRun run = startConnected(Map.of("connector.delivery-threads", "2", "connector.delivery-retries", "0"))
                .run("ipsum");

        assertFalse(run.failed(), run.failure());
        assertEquals(2, run.count(Counter.BUNDLES) + run.count(Counter.DEAD_LETTERED), "two bundles");
        assertEquals(1, run.count(Counter.DEAD_LETTERED), "the one carrying the shared objects");
        List<String> ofTheRun = ids(drain(BUNDLE_SIZE));
        assertEquals(BUNDLE_SIZE, ofTheRun.size(), "the other bundle, whole: " + ofTheRun);
        assertEquals(1, java.util.Collections.frequency(ofTheRun, AUTHOR), "the author with the run: " + ofTheRun);
        assertEquals(1, java.util.Collections.frequency(ofTheRun, TLP_WHITE), "the marking with the run");
    }

    @ParameterizedTest(name = "{0} delivery threads")
    @ValueSource(ints = {2, 4})
    void everyBundleFileIsWrittenAndNoneOverwritten(int threads) throws Exception {
        FeedRun run = start(Map.of("connector.send-to-directory", "true",
                "connector.delivery-threads", Integer.toString(threads))).run("ipsum");

        assertFalse(run.failed(), run.failure());
        List<Path> files = app.bundleFiles();
        assertEquals(run.count(Counter.BUNDLES), files.size(), "one file per bundle");
        assertEquals((IPS.size() + RECORDS_PER_BUNDLE - 1) / RECORDS_PER_BUNDLE, files.size(),
                RECORDS_PER_BUNDLE + " records a bundle");
        List<String> names = files.stream().map(f -> f.getFileName().toString()).toList();
        List<String> numbered = new ArrayList<>();
        for (int i = 1; i <= files.size(); i++) {
            numbered.add(String.format("%s-%05d.json", run.id(), i));
        }
        assertEquals(numbered, names, "numbered without a gap: no bundle took another's name");
        try (var left = Files.list(app.bundleDir())) {
            assertEquals(files.size(), left.count(), "no temporary file left behind");
        }
        // folder bundles are self-contained: each carries the author and marking, and its own records once
        List<String> records = new ArrayList<>();
        long objects = 0;
        for (JsonNode bundle : app.bundles()) {
            List<String> ids = new ArrayList<>();
            bundle.get("objects").forEach(o -> ids.add(o.get("id").asText()));
            objects += ids.size();
            assertTrue(ids.size() <= BUNDLE_SIZE, "at most " + BUNDLE_SIZE + " objects: " + ids.size());
            assertEquals(java.util.Set.of(AUTHOR, TLP_WHITE), java.util.Set.copyOf(ids.subList(0, 2)),
                    "the shared objects head every bundle");
            records.addAll(ids.subList(2, ids.size()));
        }
        List<String> expected = expectedIds();
        assertEquals(Map.of(), notOnce(records, expected.subList(2, expected.size())), "each record's objects once");
        assertEquals(IPS.size(), run.count(Counter.NEW));
        assertEquals(run.count(Counter.OBJECTS), objects, "the run counts what the files hold");
    }
}
