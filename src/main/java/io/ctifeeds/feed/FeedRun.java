package io.ctifeeds.feed;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.ctifeeds.state.FeedState;
import io.ctifeeds.state.Snapshot;
import io.ctifeeds.state.SnapshotEntry;
import io.ctifeeds.stix.IdRules;
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

    /**
     * A count of the run summary line, known by its name. The standard ones are in every line, in this order;
     * a step that counts something of its own (a feed's pages, an enrichment's lookups) declares its counter
     * beside its code with {@link #optional}, and it is in the line only when a run used it, so each feed's line
     * stays about that feed and a new feed never edits this class.
     */
    public record Counter(String name, boolean always) {
        public static final Counter FETCHED = standard("fetched");
        public static final Counter REJECTED = standard("rejected");
        public static final Counter SKIPPED = standard("skipped");
        public static final Counter DUPLICATES = standard("duplicates");
        public static final Counter NEW = standard("new");
        public static final Counter CHANGED = standard("changed");
        public static final Counter REFRESHED = standard("refreshed");
        public static final Counter UNCHANGED = standard("unchanged");
        public static final Counter DELISTED = standard("delisted");
        public static final Counter OBJECTS = standard("objects");
        public static final Counter BUNDLES = standard("bundles");
        public static final Counter MESSAGES = standard("messages");
        public static final Counter DEAD_LETTERED = standard("dead_lettered");
        /** the summary line's order */
        public static final List<Counter> STANDARD = List.of(FETCHED, REJECTED, SKIPPED, DUPLICATES, NEW, CHANGED,
                REFRESHED, UNCHANGED, DELISTED, OBJECTS, BUNDLES, MESSAGES, DEAD_LETTERED);
        /** pages of a paged source (CrowdSec smoke/search) */
        public static final Counter PAGES = optional("pages");
        /** records not bundled: a bundle of the run could be neither delivered nor dead-lettered (a full disk),
         *  so the run fails and these stay pending for the next run */
        public static final Counter HELD_BACK = optional("held_back");

        public Counter {
            if (!name.matches("[a-z][a-z0-9_]*")) {
                // the name is a metric name's part and a word of the summary line
                throw new IllegalArgumentException("a counter's name is lower-case words joined by '_': " + name);
            }
        }

        private static Counter standard(String name) {
            return new Counter(name, true);
        }

        /** A counter shown in the summary line only when it is not zero. */
        public static Counter optional(String name) {
            return new Counter(name, false);
        }
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
    /** by name, in the order counters were first used (the standard ones first) */
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private final List<Counter> counterOrder = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<String> rejectSamples = Collections.synchronizedList(new ArrayList<>());
    private final java.util.Map<String, Double> gauges = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicInteger bundleSeq = new AtomicInteger();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile String failure;
    private volatile String shortfall;
    private volatile boolean deliveryFailed;
    private final List<Map.Entry<String, SnapshotEntry>> sentOnPage = new ArrayList<>();
    private final java.util.ArrayDeque<Page> pagesAwaitingDelivery = new java.util.ArrayDeque<>();
    /** the page the bundles now being completed belong to, and the bundles in flight per page */
    private int page;
    private final Map<Integer, Integer> inFlightByPage = new java.util.HashMap<>();
    private final Set<String> shareable = ConcurrentHashMap.newKeySet();
    private volatile IdRules idRules = IdRules.NEWEST;
    private final Map<Class<?>, Object> parts = new ConcurrentHashMap<>();
    private int deliveriesInFlight;
    private volatile String etag;
    private volatile String lastModified;
    private volatile long downloadBytes;

    public FeedRun(String feed, Instant started, String source, FeedPolicy policy, FeedState previousState,
                   Snapshot previous, List<StixObject> commonObjects) {
        this.feed = feed;
        this.started = started;
        // the time for the reader and for the order of names; the random part because two runs of a feed can start
        // in the same second (two replicas, a trigger during a run's tail), and the id names its bundle files
        this.id = feed + "-" + RUN_ID.format(started) + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        this.timestamp = StixTimestamps.format(started);
        this.source = source;
        this.policy = policy;
        this.previousState = previousState;
        this.previous = previous;
        this.next = new Snapshot(previous.size());
        this.commonObjects = List.copyOf(commonObjects);
        commonObjects.forEach(o -> shareable.add(o.id()));
        Counter.STANDARD.forEach(this::counter);
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
        AtomicLong n = counters.get(counter.name());
        return n == null ? 0 : n.get();
    }

    public long increment(Counter counter) {
        return counter(counter).incrementAndGet();
    }

    public void add(Counter counter, long delta) {
        counter(counter).addAndGet(delta);
    }

    private AtomicLong counter(Counter counter) {
        AtomicLong n = counters.get(counter.name());
        return n != null ? n : counters.computeIfAbsent(counter.name(), name -> {
            counterOrder.add(counter);
            return new AtomicLong();
        });
    }

    /** Every counter the run used, with the standard ones, in the summary line's order. */
    public Map<Counter, Long> counts() {
        Map<Counter, Long> counts = new java.util.LinkedHashMap<>();
        counterOrder.forEach(c -> counts.put(c, count(c)));
        return counts;
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

    /** The IPs a page sent, waiting for the page's bundles. */
    private record Page(int number, List<Map.Entry<String, SnapshotEntry>> entries) {
    }

    /**
     * A bundle of this run was handed to the delivery thread.
     *
     * @return the page it belongs to, for {@link #deliveryEnded}
     */
    public synchronized int deliveryStarted() {
        deliveriesInFlight++;
        inFlightByPage.merge(page, 1, Integer::sum);
        return page;
    }

    /** A bundle of this run (of that page) is delivered, dead-lettered, or failed for good. */
    public synchronized void deliveryEnded(int ofPage) {
        deliveriesInFlight--;
        inFlightByPage.computeIfPresent(ofPage, (p, n) -> n == 1 ? null : n - 1);
        notifyAll();
    }

    /**
     * Waits until every bundle handed to the delivery thread has been dealt with: the run may not commit its
     * snapshot before that.
     *
     * @return false when some are still in flight after the timeout
     */
    public synchronized boolean awaitDeliveries(Duration timeout) throws InterruptedException {
        return awaitPages(Integer.MAX_VALUE, timeout);
    }

    /** Waits until every bundle of the pages up to this one has been dealt with. */
    public synchronized boolean awaitPages(int upTo, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (upTo == Integer.MAX_VALUE ? deliveriesInFlight > 0
                : inFlightByPage.keySet().stream().anyMatch(p -> p <= upTo)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /**
     * The id rules of the platform this run delivers to, set once when it begins (a sink's {@link RunHook});
     * without a platform (the folder sink), the newest.
     */
    public IdRules idRules() {
        return idRules;
    }

    public void setIdRules(IdRules idRules) {
        this.idRules = java.util.Objects.requireNonNull(idRules, "idRules");
    }

    /**
     * What a sink or a feed keeps for this run (an OpenCTI work, ...), made on first use: the run holds it for
     * them without knowing it, so a new sink or feed never edits this class.
     */
    public <T> T part(Class<T> type, java.util.function.Supplier<? extends T> make) {
        return type.cast(parts.computeIfAbsent(type, k -> make.get()));
    }

    public boolean failed() {
        return failure != null;
    }

    /**
     * The run ends without covering all of its source, for a reason that is not an error of the run (a quota
     * spent): what it fetched is delivered and its snapshot kept, but its start does not count as a success, so
     * the next run covers the same ground again.
     */
    public void fallShort(String reason) {
        synchronized (this) {
            if (shortfall == null) {
                shortfall = reason;
            }
        }
    }

    /** Neither failed nor short of its source: its start counts as the feed's last success. */
    public boolean succeeded() {
        return failure == null && shortfall == null;
    }

    /** succeeded, fell_short or failed, as metrics and logs name it. */
    public String outcome() {
        return failure != null ? "failed" : shortfall != null ? "fell_short" : "succeeded";
    }

    /** Why the run covered only part of its source, or null. */
    public String shortfall() {
        return shortfall;
    }

    /** A sink could not deliver (nor dead-letter) one of this run's bundles. */
    public void deliveryFailed(String reason) {
        deliveryFailed = true;
        fail(reason);
    }

    public boolean hasDeliveryFailed() {
        return deliveryFailed;
    }

    /**
     * An IP whose objects this run is sending, for a feed that checkpoints page by page: it goes into the next
     * snapshot now, and into the checkpoint once the bundles of its page are delivered.
     */
    public synchronized void sending(String ip, SnapshotEntry entry) {
        next.put(ip, entry);
        sentOnPage.add(Map.entry(ip, entry));
    }

    /**
     * Every bundle of the current page is handed to the delivery thread: its IPs wait for them, and later
     * bundles belong to the next page.
     *
     * @return the number of the page just closed
     */
    synchronized int endPage() {
        pagesAwaitingDelivery.add(new Page(page, List.copyOf(sentOnPage)));
        sentOnPage.clear();
        return page++;
    }

    /** The IPs of the closed pages up to this one (the caller waited for their bundles), in page order. */
    synchronized List<Map.Entry<String, SnapshotEntry>> takeDeliveredPages(int upTo) {
        List<Map.Entry<String, SnapshotEntry>> delivered = new ArrayList<>();
        while (!pagesAwaitingDelivery.isEmpty() && pagesAwaitingDelivery.peekFirst().number() <= upTo) {
            delivered.addAll(pagesAwaitingDelivery.pollFirst().entries());
        }
        return delivered;
    }

    /**
     * Objects that many records share (labels, techniques, countries, and the author and marking of every
     * bundle): a sink that keeps one connection for the run may send each of them once per run.
     */
    public void shareable(List<? extends StixObject> objects) {
        for (StixObject object : objects) {
            shareable.add(object.id());
        }
    }

    public boolean isShareable(String id) {
        return shareable.contains(id);
    }

    public String failure() {
        return failure;
    }

    public void downloaded(String etag, String lastModified, long bytes) {
        this.etag = etag;
        this.lastModified = lastModified;
        this.downloadBytes = bytes;
    }

    /** The state to keep once this run has succeeded (or fallen short: then the last success stays). */
    public FeedState succeededState() {
        return new FeedState(source, etag, lastModified, downloadBytes, next.size(), started.toString(),
                shortfall == null ? started.toString() : previousState.lastSuccess());
    }

    /** Where a long run is: its counters so far (those not yet zero), for a progress line in the log. */
    public String progress(Instant now) {
        StringBuilder line = new StringBuilder();
        line.append(feed).append(" run ").append(id).append(" in progress for ")
                .append(Duration.between(started, now).toSeconds()).append(" s:");
        appendCounters(line, true);
        return line.toString();
    }

    private void appendCounters(StringBuilder line, boolean nonZeroOnly) {
        counts().forEach((counter, n) -> {
            if (n != 0 || (counter.always() && !nonZeroOnly)) {
                line.append(' ').append(counter.name()).append('=').append(n);
            }
        });
    }

    /** Whether an IP the last run recorded is due to be sent again ({@link FeedPolicy#refreshAfter()}). */
    public boolean refreshDue() {
        long dueBefore = started.getEpochSecond() - policy.refreshAfter().toSeconds();
        boolean[] due = {false};
        previous.forEach((ip, entry) -> due[0] |= entry.epochSecond() <= dueBefore);
        return due[0];
    }

    /** The state to keep after a 304: the same download as before, a newer run. */
    public FeedState notModifiedState() {
        return new FeedState(previousState.source(), previousState.etag(), previousState.lastModified(),
                previousState.lastGoodBytes(), previousState.lastGoodCount(), started.toString(),
                started.toString());
    }

    public String summary(Instant now) {
        StringBuilder line = new StringBuilder();
        line.append(feed).append(" run ").append(id)
                .append(failed() ? " FAILED" : shortfall != null ? " fell short" : " succeeded").append(':');
        appendCounters(line, false);
        long millis = Duration.between(started, now).toMillis();
        line.append(String.format(" seconds=%d.%03d", millis / 1000, millis % 1000));
        if (failed()) {
            line.append(" reason: ").append(failure);
        } else if (shortfall != null) {
            line.append(" reason: ").append(shortfall);
        }
        return line.toString();
    }
}
