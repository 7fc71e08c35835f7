package io.ctifeeds.feed;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.ctifeeds.state.FeedState;
import io.ctifeeds.state.Snapshot;
import io.ctifeeds.stix.StixObject;
import io.ctifeeds.stix.StixTimestamps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of one feed: its counters, the snapshot it is building, and whether it failed. It travels with the
 * exchange as the {@value #PROPERTY} property, so the split, the aggregator and the sink all report into it.
 */
public final class FeedRun {

    public static final String PROPERTY = "feedRun";
    private static final Logger LOG = LoggerFactory.getLogger(FeedRun.class);
    private static final long PROGRESS_EVERY = 25_000;
    private static final int MAX_SAMPLES = 5;
    private static final DateTimeFormatter RUN_ID =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** The counters of the run summary line, in its order. */
    public enum Counter {
        FETCHED, REJECTED, SKIPPED, DUPLICATES, NEW, CHANGED, REFRESHED, UNCHANGED, DELISTED, OBJECTS, BUNDLES,
        MESSAGES, DEAD_LETTERED
    }

    private final String feed;
    private final String id;
    private final Instant started;
    private final String timestamp;
    private final String source;
    private final FeedPolicy policy;
    private final FeedState previousState;
    private final Snapshot previous;
    private final Snapshot next;
    private final List<StixObject> commonObjects;
    private final AtomicLong[] counters = new AtomicLong[Counter.values().length];
    private final List<String> rejectSamples = Collections.synchronizedList(new ArrayList<>());
    private final java.util.Map<String, Double> gauges = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicInteger bundleSeq = new AtomicInteger();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile String failure;
    private volatile String workId;
    private int deliveriesInFlight;
    private volatile String etag;
    private volatile String lastModified;
    private volatile long downloadBytes;

    public FeedRun(String feed, Instant started, String source, FeedPolicy policy, FeedState previousState,
                   Snapshot previous, List<StixObject> commonObjects) {
        this.feed = feed;
        this.started = started;
        this.id = feed + "-" + RUN_ID.format(started);
        this.timestamp = StixTimestamps.format(started);
        this.source = source;
        this.policy = policy;
        this.previousState = previousState;
        this.previous = previous;
        this.next = new Snapshot(previous.size());
        this.commonObjects = List.copyOf(commonObjects);
        for (int i = 0; i < counters.length; i++) {
            counters[i] = new AtomicLong();
        }
    }

    public String feed() {
        return feed;
    }

    public String id() {
        return id;
    }

    public Instant started() {
        return started;
    }

    /** The run's start as a STIX timestamp: created/modified/valid_from of what the run emits. */
    public String timestamp() {
        return timestamp;
    }

    public String source() {
        return source;
    }

    public FeedPolicy policy() {
        return policy;
    }

    public FeedState previousState() {
        return previousState;
    }

    /** True when the previous good run read the same source, so its size is a fair yardstick. */
    public boolean sameSourceAsBefore() {
        return source.equals(previousState.source());
    }

    public Snapshot previous() {
        return previous;
    }

    public Snapshot next() {
        return next;
    }

    /** Objects every bundle of this run carries (author, marking). */
    public List<StixObject> commonObjects() {
        return commonObjects;
    }

    public long count(Counter counter) {
        return counters[counter.ordinal()].get();
    }

    public long increment(Counter counter) {
        return counters[counter.ordinal()].incrementAndGet();
    }

    public void add(Counter counter, long delta) {
        counters[counter.ordinal()].addAndGet(delta);
    }

    /** Counts a record read from the source, with a progress line every {@value #PROGRESS_EVERY} records. */
    public void fetched() {
        long n = increment(Counter.FETCHED);
        if (n % PROGRESS_EVERY == 0) {
            LOG.info("{}: {} records read so far ({} new, {} changed, {} rejected)", feed, n, count(Counter.NEW),
                    count(Counter.CHANGED), count(Counter.REJECTED));
        }
    }

    public void reject(String reason, String sample) {
        increment(Counter.REJECTED);
        if (rejectSamples.size() < MAX_SAMPLES) {
            rejectSamples.add(reason + ": " + sample);
        }
    }

    public List<String> rejectSamples() {
        return List.copyOf(rejectSamples);
    }

    /**
     * A level the run read rather than counted, such as the lookups an API quota has left: the last value
     * set is the feed's metric {@code ctifeeds_feed_<name>} once the run ends.
     */
    public void gauge(String name, double value) {
        gauges.put(name, value);
    }

    public java.util.Map<String, Double> gauges() {
        return java.util.Map.copyOf(gauges);
    }

    public int nextBundleSeq() {
        return bundleSeq.incrementAndGet();
    }

    /** Marks the run failed; the first reason wins, as later errors are usually its consequences. */
    public void fail(String reason) {
        synchronized (this) {
            if (failure == null) {
                failure = reason;
            }
        }
    }

    /** @return true the first time only: a run is ended, summarised and reported once */
    public boolean markEnded() {
        return ended.compareAndSet(false, true);
    }

    /** A bundle of this run was handed to the delivery thread. */
    public synchronized void deliveryStarted() {
        deliveriesInFlight++;
    }

    /** A bundle of this run is delivered, dead-lettered, or failed for good. */
    public synchronized void deliveryEnded() {
        deliveriesInFlight--;
        notifyAll();
    }

    /**
     * Waits until every bundle handed to the delivery thread has been dealt with: the run may not commit its
     * snapshot before that.
     *
     * @return false when some are still in flight after the timeout
     */
    public synchronized boolean awaitDeliveries(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (deliveriesInFlight > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** The OpenCTI work this run reports into, or null. */
    public String workId() {
        return workId;
    }

    public void setWorkId(String workId) {
        this.workId = workId;
    }

    public boolean failed() {
        return failure != null;
    }

    public String failure() {
        return failure;
    }

    public void downloaded(String etag, String lastModified, long bytes) {
        this.etag = etag;
        this.lastModified = lastModified;
        this.downloadBytes = bytes;
    }

    /** The state to keep once this run has succeeded. */
    public FeedState succeededState() {
        return new FeedState(source, etag, lastModified, downloadBytes, next.size(), started.toString(),
                started.toString());
    }

    /** The state to keep after a 304: the same download as before, a newer run. */
    public FeedState notModifiedState() {
        return new FeedState(previousState.source(), previousState.etag(), previousState.lastModified(),
                previousState.lastGoodBytes(), previousState.lastGoodCount(), started.toString(),
                started.toString());
    }

    public String summary(Instant now) {
        StringBuilder line = new StringBuilder();
        line.append(feed).append(" run ").append(id).append(failed() ? " FAILED" : " succeeded").append(':');
        for (Counter counter : Counter.values()) {
            line.append(' ').append(counter.name().toLowerCase()).append('=').append(count(counter));
        }
        long millis = Duration.between(started, now).toMillis();
        line.append(String.format(" seconds=%d.%03d", millis / 1000, millis % 1000));
        if (failed()) {
            line.append(" reason: ").append(failure);
        }
        return line.toString();
    }
}
