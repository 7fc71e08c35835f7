package io.ctifeeds.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.ctifeeds.testing.AppProcess;
import io.ctifeeds.testing.FakeOpenCti;
import io.ctifeeds.testing.FeedServer;
import io.ctifeeds.testing.PushQueue;
import io.ctifeeds.testing.Fixtures;
import io.ctifeeds.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replicas as users run them: separate JVMs of the application, each with its own data folder, sharing one
 * PostgreSQL schema (this machine's server). Quartz runs clustered there and the state is shared.
 */
class ClusterProcessTest {

    private static final Pattern STARTED = Pattern.compile(
            "ipsum: run (ipsum-\\S+) started \\(scheduled for (\\S+)\\)");

    @TempDir
    Path work;
    private FeedServer feed;
    private TestDatabase database;
    private final List<Replica> replicas = new ArrayList<>();

    /** One application process, with its data folder. */
    record Replica(String name, AppProcess process, Path data) {
        String output() {
            try {
                return process.log();
            } catch (IOException e) {
                return "";
            }
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        feed = new FeedServer();
        feed.serve(Fixtures.bytes("ipsum/levels_8.txt"));
        database = new TestDatabase();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Replica r : replicas) {
            r.process().kill();
        }
        feed.close();
        database.close();
    }

    private Replica start(String name, Map<String, String> env) throws IOException {
        Path data = work.resolve(name);
        Map<String, String> all = new HashMap<>(database.environment());
        all.put("CONNECTOR_DATA_PATH", data.toString());
        all.put("CONNECTOR_SEND_TO_DIRECTORY_PATH", data.resolve("bundles").toString());
        all.put("CONNECTOR_REPLICA_ID", name);
        all.put("CONNECTOR_CLUSTER_CHECKIN_INTERVAL_MS", "1000");
        all.put("CONNECTOR_IPSUM_API_BASE_URL", feed.url("/levels/8.txt"));
        all.putAll(env);
        Replica replica = new Replica(name, AppProcess.start(AppProcess.mainClass(), Path.of("").toAbsolutePath(),
                all, work.resolve(name + ".log")), data);
        replicas.add(replica);
        return replica;
    }

    private void await(String what, Duration timeout, java.util.function.BooleanSupplier done)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; fire times per replica: " + fireTimes()
                        + replicaLogTails());
            }
            Thread.sleep(200);
        }
    }

    /** What each replica printed last: a timeout on a loaded machine is diagnosed from these, not re-run blind. */
    private String replicaLogTails() {
        StringBuilder tails = new StringBuilder();
        for (Replica r : replicas) {
            List<String> lines = r.output().lines().toList();
            tails.append("\n--- ").append(r.name()).append(" (last 40 lines) ---\n")
                    .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
        }
        return tails.toString();
    }

    /** Every "run ... started (scheduled for T)" line of the replicas: run id and scheduled time, per replica. */
    private Map<String, List<String>> fireTimes() {
        Map<String, List<String>> byReplica = new HashMap<>();
        for (Replica r : replicas) {
            Matcher m = STARTED.matcher(r.output());
            List<String> times = new ArrayList<>();
            while (m.find()) {
                times.add(m.group(2));
            }
            byReplica.put(r.name(), times);
        }
        return byReplica;
    }

    private long bundleFiles() throws IOException {
        long n = 0;
        for (Replica r : replicas) {
            Path dir = r.data().resolve("bundles");
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    n += files.filter(p -> p.toString().endsWith(".json")).count();
                }
            }
        }
        return n;
    }

    @Test
    void eachFireTimeRunsOnExactlyOneReplicaAndWhatOneDeliveredNoOtherSendsAgain() throws Exception {
        // no validators: every run downloads the feed, so only the shared snapshot keeps replicas from re-sending
        feed.validators(false);
        Map<String, String> env = Map.of("CONNECTOR_IPSUM_CRON", "0/2 * * * * ?");
        for (String name : List.of("replica-a", "replica-b", "replica-c")) {
            start(name, env);
        }
        await("ten scheduled runs", Duration.ofSeconds(90),
                () -> fireTimes().values().stream().mapToInt(List::size).sum() >= 10);
        // all three schedulers are in the cluster, each free to take the trigger (Quartz decides which)
        try (var c = database.connect(); var rs = c.createStatement().executeQuery(
                "SELECT count(*) FROM qrtz_scheduler_state")) {
            rs.next();
            assertEquals(3, rs.getInt(1), "the replicas' schedulers checked in");
        }
        // stop between two fire times: every run that started has written its summary line
        await("the runs under way to end", Duration.ofSeconds(60), () -> replicas.stream().allMatch(r ->
                r.output().lines().filter(l -> STARTED.matcher(l).find()).count()
                        == r.output().lines().filter(l -> l.contains("ipsum run ipsum-")).count()));
        for (Replica r : replicas) {
            assertEquals(0, r.process().terminate(Duration.ofSeconds(30)), r.name() + ":\n" + r.output());
        }

        Map<String, List<String>> byReplica = fireTimes();
        List<String> all = byReplica.values().stream().flatMap(List::stream).sorted().toList();
        assertEquals(new HashSet<>(all).size(), all.size(), "a fire time ran twice: " + byReplica);
        // every fire time on the schedule's two-second grid, each once; on a loaded machine Quartz may skip a
        // misfired time (its policy for a late trigger), so the gaps are multiples of 2 s, not exactly 2 s
        List<Instant> times = all.stream().map(Instant::parse).toList();
        for (int i = 1; i < times.size(); i++) {
            Duration gap = Duration.between(times.get(i - 1), times.get(i));
            assertTrue(!gap.isNegative() && !gap.isZero() && gap.toMillis() % 2_000 == 0, "fire times " + all);
        }
        // the first run delivered the 23 IPs; every later run, on whichever replica, found them unchanged
        assertEquals(1, bundleFiles(), "one bundle in all, by the first run");
        long unchangedRuns = replicas.stream().map(Replica::output).flatMap(o -> o.lines())
                .filter(l -> l.contains("ipsum run ipsum-") && l.contains("new=0") && l.contains("unchanged=23"))
                .count();
        assertEquals(all.size() - 1, unchangedRuns, "every run after the first found the feed unchanged");
    }

    @Test
    void onOpenCtiTheReplicasAreOneConnectorWithOneWorkPerRun() throws Exception {
        try (FakeOpenCti platform = FakeOpenCti.start()) {
            String connectorId = java.util.UUID.randomUUID().toString();
            try (PushQueue queue = new PushQueue(connectorId)) {
                Map<String, String> env = Map.of("CONNECTOR_IPSUM_CRON", "0/2 * * * * ?",
                        "OPENCTI_URL", platform.url(), "OPENCTI_TOKEN", platform.token(),
                        "CONNECTOR_ID", connectorId, "OPENCTI_PING_PERIOD_MS", "1000");
                start("replica-a", env);
                start("replica-b", env);
                await("four runs", Duration.ofSeconds(90),
                        () -> fireTimes().values().stream().mapToInt(List::size).sum() >= 4);
                for (Replica r : replicas) {
                    assertEquals(0, r.process().terminate(Duration.ofSeconds(30)), r.output());
                }
                int runs = fireTimes().values().stream().mapToInt(List::size).sum();
                assertEquals(List.of(), platform.validationFailures());
                assertEquals(Set.of(connectorId), platform.calls("registerConnector").stream()
                        .map(c -> c.variables().path("input").path("id").asText()).collect(
                                java.util.stream.Collectors.toSet()), "one connector id");
                assertEquals(2, platform.calls("registerConnector").size(), "each replica registers it");
                assertTrue(platform.calls("pingConnector").size() >= 4, "pings from each");
                assertEquals(runs, platform.works().size(), "one work per run: " + platform.works());
                assertFalse(platform.calls().stream().anyMatch(c -> "deleteConnector".equals(c.field())));
            }
        }
    }

    @Test
    void aRunWhoseReplicaDiesIsCompletedByAnother() throws Exception {
        // one run, at start-up, whose download takes long enough to kill its replica in the middle of it
        feed.thenReply(new FeedServer.Reply.Delay(8_000));
        Map<String, String> env = Map.of("CONNECTOR_DURATION_PERIOD", "PT1H");
        start("replica-a", env);
        start("replica-b", env);
        await("the run to start", Duration.ofSeconds(60),
                () -> fireTimes().values().stream().anyMatch(t -> !t.isEmpty()));
        Replica runner = replicas.stream().filter(r -> !fireTimes().get(r.name()).isEmpty()).findFirst()
                .orElseThrow();
        Replica other = replicas.stream().filter(r -> r != runner).findFirst().orElseThrow();
        runner.process().kill();

        Predicate<String> succeeded = o -> o.contains("ipsum run ipsum-") && o.contains(" succeeded:");
        await("the other replica to complete the run", Duration.ofSeconds(60), () -> succeeded.test(other.output()));
        assertFalse(succeeded.test(runner.output()), "the killed replica finished nothing");
        assertTrue(other.output().contains("new=23"), other.output());
        try (var c = database.connect(); var rs = c.createStatement().executeQuery(
                "SELECT count(*) FROM feed_snapshot WHERE feed = 'ipsum'")) {
            rs.next();
            assertEquals(23, rs.getInt(1), "the shared snapshot holds the run");
        }
        assertEquals(1, bundleFiles());
    }
}
