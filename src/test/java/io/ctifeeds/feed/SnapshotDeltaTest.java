package io.ctifeeds.feed;

import io.ctifeeds.state.FeedState;
import io.ctifeeds.state.SnapshotEntry;
import io.ctifeeds.state.DelistedIp;
import io.ctifeeds.state.Snapshot;
import io.ctifeeds.state.DeltaKind;
import io.ctifeeds.state.FileStateStore;
import io.ctifeeds.feed.SnapshotDelta;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import io.ctifeeds.feed.DelistingPolicy;
import io.ctifeeds.feed.FeedPolicy;
import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.feed.FeedRun.Counter;
import io.ctifeeds.feed.IpRecord;
import io.ctifeeds.ip.IpAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The delta rules and the state store's round trip. */
class SnapshotDeltaTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private final SnapshotDelta delta = new SnapshotDelta();

    private static FeedRun run(Snapshot previous, Instant at, DelistingPolicy policy) {
        return new FeedRun("test", at, "http://x/feed", new FeedPolicy(0.5, Duration.ofDays(15), policy),
                FeedState.EMPTY, previous, List.of());
    }

    private static IpRecord record(String ip, int score) {
        return new IpRecord(IpAddress.parse(ip), null, score);
    }

    @Test
    void classifiesAgainstThePreviousSnapshot() {
        Snapshot previous = new Snapshot();
        previous.put("1.1.1.1", new SnapshotEntry(60, T0.getEpochSecond()));
        previous.put("2.2.2.2", new SnapshotEntry(60, T0.getEpochSecond()));
        previous.put("3.3.3.3", new SnapshotEntry(60, T0.minus(Duration.ofDays(20)).getEpochSecond()));
        previous.put("4.4.4.4", new SnapshotEntry(60, T0.getEpochSecond()));
        Instant now = T0.plus(Duration.ofDays(1));
        FeedRun run = run(previous, now, DelistingPolicy.REVOKE);

        assertEquals(DeltaKind.UNCHANGED, delta.classify(record("1.1.1.1", 60), run));
        assertEquals(DeltaKind.CHANGED, delta.classify(record("2.2.2.2", 70), run));
        assertEquals(DeltaKind.REFRESHED, delta.classify(record("3.3.3.3", 60), run));
        assertEquals(DeltaKind.NEW, delta.classify(record("5.5.5.5", 20), run));
        assertEquals(DeltaKind.DUPLICATE, delta.classify(record("5.5.5.5", 20), run));

        // unchanged keeps when it was sent; sent ones carry this run's time and score
        assertEquals(T0.getEpochSecond(), run.next().get("1.1.1.1").epochSecond());
        assertEquals(new SnapshotEntry(70, now.getEpochSecond()), run.next().get("2.2.2.2"));
        assertEquals(now.getEpochSecond(), run.next().get("3.3.3.3").epochSecond());
        assertEquals(1, run.count(Counter.DUPLICATES));
        assertEquals(1, run.count(Counter.NEW));
        assertEquals(1, run.count(Counter.CHANGED));
        assertEquals(1, run.count(Counter.REFRESHED));
        assertEquals(1, run.count(Counter.UNCHANGED));

        List<DelistedIp> delisted = new ArrayList<>();
        delta.delisted(run).forEachRemaining(delisted::add);
        assertEquals(List.of(new DelistedIp("4.4.4.4", new SnapshotEntry(60, T0.getEpochSecond()))), delisted);
        assertEquals(1, run.count(Counter.DELISTED));
    }

    @Test
    void keepPolicyCountsButEmitsNothing() {
        Snapshot previous = new Snapshot();
        previous.put("4.4.4.4", new SnapshotEntry(60, T0.getEpochSecond()));
        FeedRun run = run(previous, T0, DelistingPolicy.KEEP);
        Iterator<DelistedIp> it = delta.delisted(run);
        assertTrue(!it.hasNext());
        assertEquals(1, run.count(Counter.DELISTED));
    }

    @Test
    void stateStoreRoundTripsAndWritesAtomically(@TempDir Path dir) throws Exception {
        FileStateStore store = new FileStateStore();
        store.setDirectory(dir.toString());
        assertEquals(FeedState.EMPTY, store.loadState("f"));
        assertEquals(0, store.loadSnapshot("f").size());

        Snapshot snapshot = new Snapshot();
        snapshot.put("2001:db8::1", new SnapshotEntry(100, 1_800_000_000L));
        snapshot.put("1.2.3.4", new SnapshotEntry(0, 1L));
        FeedState state = new FeedState("http://x/feed", "\"abc\"", "Sat, 22 Aug 2026 01:00:29 GMT", 10, 2,
                "2026-11-01T00:00:00Z", "2026-11-01T00:00:00Z");
        store.commit("f", state, snapshot);

        assertEquals(state, store.loadState("f"));
        Snapshot back = store.loadSnapshot("f");
        assertEquals(2, back.size());
        assertEquals(new SnapshotEntry(100, 1_800_000_000L), back.get("2001:db8::1"));
        assertEquals(new SnapshotEntry(0, 1L), back.get("1.2.3.4"));
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }
    }

    @Test
    void aCorruptSnapshotIsAClearErrorNotAnEmptyFeed(@TempDir Path dir) throws Exception {
        FileStateStore store = new FileStateStore();
        store.setDirectory(dir.toString());
        Files.writeString(dir.resolve("f.snapshot.tsv"), "1.2.3.4\t60\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.loadSnapshot("f"));
        assertTrue(e.getMessage().contains("f.snapshot.tsv"), e.getMessage());
    }
}
