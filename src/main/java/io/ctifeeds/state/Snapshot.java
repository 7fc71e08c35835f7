package io.ctifeeds.state;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The IPs last delivered for a feed, each with the score it was sent with and when it was last sent.
 * <p>
 * Entries are packed in one long (send time in seconds, score in the low byte) so that 120,000 IPs cost a
 * few MB, not tens: the whole IPsum list must run in a 256 MB heap with two snapshots alive.
 */
public final class Snapshot {

    private final Map<String, Long> entries;

    public Snapshot() {
        this(new HashMap<>());
    }

    public Snapshot(int expectedSize) {
        this(new HashMap<>(Math.max(16, (int) (expectedSize / 0.75f) + 1)));
    }

    private Snapshot(Map<String, Long> entries) {
        this.entries = entries;
    }

    /** @return the entry for this canonical IP, or null */
    public SnapshotEntry get(String ip) {
        Long packed = entries.get(ip);
        return packed == null ? null : unpack(packed);
    }

    /** @return false when the IP was already there (the entry is left as it was) */
    public boolean putIfAbsent(String ip, SnapshotEntry entry) {
        return entries.putIfAbsent(ip, pack(entry)) == null;
    }

    public void put(String ip, SnapshotEntry entry) {
        entries.put(ip, pack(entry));
    }

    public boolean contains(String ip) {
        return entries.containsKey(ip);
    }

    public int size() {
        return entries.size();
    }

    /** The IPs, in no particular order; the snapshot must not change while this is iterated. */
    public Iterator<String> ips() {
        return entries.keySet().iterator();
    }

    public void forEach(BiConsumer<String, SnapshotEntry> action) {
        entries.forEach((ip, packed) -> action.accept(ip, unpack(packed)));
    }

    private static long pack(SnapshotEntry entry) {
        if (entry.score() < 0 || entry.score() > 255) {
            throw new IllegalArgumentException("score out of range: " + entry.score());
        }
        return (entry.epochSecond() << 8) | entry.score();
    }

    private static SnapshotEntry unpack(long packed) {
        return new SnapshotEntry((int) (packed & 0xff), packed >>> 8);
    }
}
