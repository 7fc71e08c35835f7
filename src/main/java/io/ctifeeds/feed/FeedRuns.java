package io.ctifeeds.feed;

import io.ctifeeds.display.DisplayUrl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import io.ctifeeds.state.FileStateStore;
import io.ctifeeds.state.SnapshotEntry;
import io.ctifeeds.state.StateStore;
import io.ctifeeds.stix.StixObject;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and ends feed runs: one run per feed at a time, the state committed only when a run succeeded, one
 * summary line per run, and a clear one-line reason when it failed.
 */
public class FeedRuns {

    private static final Logger LOG = LoggerFactory.getLogger(FeedRuns.class);
    /** ENOSPC as the JDK reports it (the C library's text, passed through). */
    private static final String DISK_FULL = "No space left on device";

    private final Set<String> running = ConcurrentHashMap.newKeySet();
    /** the runs under way, by feed, for progress lines */
    private final Map<String, FeedRun> active = new ConcurrentHashMap<>();
    private final List<BiConsumer<String, Boolean>> notStartedListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> overlapListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<FeedRun>> endListeners = new CopyOnWriteArrayList<>();
    private final List<RunHook> hooks = new CopyOnWriteArrayList<>();
    private final List<java.util.function.IntConsumer> deliveredListeners = new CopyOnWriteArrayList<>();
    private volatile boolean resetPending;
    private int pagesInFlight = 1;
    private java.time.Duration deliveryTimeout = java.time.Duration.ofHours(1);
    private StateStore stateStore = new FileStateStore();
    private Clock clock = Clock.systemUTC();

    public void setStateStore(StateStore stateStore) {
        this.stateStore = stateStore;
    }

    public StateStore getStateStore() {
        return stateStore;
    }

    public void setClock(Clock clock) {
        this.clock = clock;
    }

    public Clock clock() {
        return clock;
    }

    /** Called with every run that ends, successful or not. */
    public void onRunEnd(Consumer<FeedRun> listener) {
        endListeners.add(listener);
    }

    /**
     * Called for each trigger that started no run: with false when it was skipped on purpose (another replica
     * runs the feed, OpenCTI's queue is over its threshold), true when it could not start (its state unreadable).
     */
    public void onRunNotStarted(BiConsumer<String, Boolean> listener) {
        notStartedListeners.add(listener);
    }

    /**
     * Called for each trigger that came while the feed's own run was under way and so started nothing. Apart from
     * {@link #onRunNotStarted}: the run under way has yet to end, and it is that run's outcome that counts for the
     * feed (run-and-terminate waits for it).
     */
    public void onTriggerWhileRunning(Consumer<String> listener) {
        overlapListeners.add(listener);
    }

    /** Called with the number of objects of every bundle that reached the sinks. */
    public void onBundleDelivered(java.util.function.IntConsumer listener) {
        deliveredListeners.add(listener);
    }

    /** A sink's part in every run (OpenCTI works, connections): see {@link RunHook}. */
    public void addHook(RunHook hook) {
        hooks.add(hook);
    }

    /**
     * The platform delivered to has no state for this connector while ours remembers earlier runs (into the folder,
     * or to another platform): what those runs sent is not there, so the next runs send every feed in full rather
     * than only what changed since.
     */
    public synchronized void startOverIfRemembering() {
        if (!stateStore.feeds().isEmpty()) {
            LOG.warn("OpenCTI has no state for this connector while the local state remembers earlier runs (into "
                    + "the folder, or to another platform): the next runs send their feeds in full");
            resetAll();
        }
    }

    /**
     * The platform's state was reset: every feed starts from scratch, sending its feed in full. Runs in
     * progress finish first, as their snapshot is about to be committed.
     */
    public synchronized void resetAll() {
        // runs that have not read their state yet (still in their vetoes) read the emptied one
        if (active.isEmpty()) {
            stateStore.deleteAll();
        } else {
            resetPending = true;
        }
    }

    /** The runs under way. */
    public java.util.Collection<FeedRun> active() {
        return List.copyOf(active.values());
    }

    public boolean isRunning(String feed) {
        return running.contains(feed);
    }

    /**
     * Starts a run and puts it on the exchange. A feed already running makes this run a no-op: the exchange
     * is stopped with a log line, since two runs of one feed would race on its snapshot.
     *
     * @return the run, or null when the feed is already running
     */
    public FeedRun begin(Exchange exchange, String feed, String source, FeedPolicy policy,
                         List<StixObject> commonObjects) {
        if (!running.add(feed)) {
            LOG.warn("{}: a run is still in progress; this trigger is skipped", feed);
            exchange.setRouteStop(true);
            overlapListeners.forEach(l -> l.accept(feed));
            return null;
        }
        boolean locked = false;
        FeedRun run;
        try {
            locked = stateStore.tryLock(feed);
            if (!locked) {
                return skip(exchange, feed, "another replica is running this feed", false);
            }
            for (RunHook hook : hooks) {
                String veto = hook.vetoStart(feed);
                if (veto != null) {
                    return skip(exchange, feed, veto, true);
                }
            }
            // with the reset's lock: a reset (from the UI, or a platform with no state found by the vetoes above)
            // either comes before this run reads its state, or waits for the run to end
            synchronized (this) {
                run = new FeedRun(feed, clock.instant(), source, policy, stateStore.loadState(feed),
                        stateStore.loadSnapshot(feed), commonObjects);
                active.put(feed, run);
            }
        } catch (RuntimeException e) {
            // no run to fail: say why in one line, and let the next trigger try again
            release(feed, locked);
            LOG.error("{}: run not started: {}; the next trigger tries again", feed,
                    describe(e, null));
            exchange.setRouteStop(true);
            notStartedListeners.forEach(l -> l.accept(feed, true));
            return null;
        }
        exchange.setProperty(FeedRun.PROPERTY, run);
        hooks.forEach(hook -> hook.begun(run));
        // the trigger's own time, when Quartz fired it: with replicas, each fire time runs on one of them
        Object fired = exchange.getMessage().getHeader("scheduledFireTime");
        LOG.info("{}: run {} started{}, source {} ({} IPs delivered so far)", feed, run.id(),
                fired instanceof java.util.Date date ? " (scheduled for " + date.toInstant() + ")" : "", source,
                run.previous().size());
        return run;
    }

    private FeedRun skip(Exchange exchange, String feed, String why, boolean locked) {
        release(feed, locked);
        LOG.warn("{}: run skipped: {}", feed, why);
        exchange.setRouteStop(true);
        notStartedListeners.forEach(l -> l.accept(feed, false));
        return null;
    }

    private void release(String feed, boolean locked) {
        if (locked) {
            stateStore.unlock(feed);
        }
        active.remove(feed);
        running.remove(feed);
    }

    /**
     * A line for each run under way for longer than {@code minMillis}: a run that waits on a throttled lookup
     * or a slow platform still shows it is moving (the summary line comes only at its end).
     */
    public void logProgress(long minMillis) {
        Instant now = clock.instant();
        for (FeedRun run : active.values()) {
            if (Duration.between(run.started(), now).toMillis() >= minMillis) {
                LOG.info(run.progress(now));
            }
        }
    }

    /** The source answered 304 Not Modified: nothing to do, and the run counts as a success. */
    public void notModified(Exchange exchange) {
        FeedRun run = run(exchange);
        LOG.info("{}: source not modified since the last good run (HTTP 304)", run.feed());
        stateStore.commit(run.feed(), run.notModifiedState(), run.previous());
        end(run);
    }

    /** The run went through: commit the snapshot unless a step marked the run failed on the way. */
    public void complete(Exchange exchange) {
        FeedRun run = run(exchange);
        awaitDeliveries(run);
        if (!run.failed()) {
            try {
                stateStore.commit(run.feed(), run.succeededState(), run.next());
                // the commit holds them
                run.takeDeliveredPages(Integer.MAX_VALUE);
            } catch (RuntimeException e) {
                // what went out is not recorded as sent: said here, as the bundles themselves went without error
                run.fail(describe(e, run) + "; the next run sends this run's IPs again");
            }
        }
        end(run);
    }

    /**
     * Every bundle of a page of a paged feed is handed over (call it after flushing the page's last bundle):
     * waits until at most {@code pagesInFlight} pages are still being delivered, then checkpoints the IPs of the
     * delivered ones, so a run that fails on page N keeps the pages before delivered and recorded. The pages in
     * flight are delivered while the next ones are fetched and mapped.
     */
    public void checkpoint(Exchange exchange) {
        FeedRun run = run(exchange);
        int closed = run.endPage();
        try {
            if (!run.awaitPages(closed - pagesInFlight, deliveryTimeout)) {
                run.deliveryFailed("bundles still undelivered after " + deliveryTimeout.toSeconds()
                        + " s; the next run sends them again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            run.deliveryFailed("interrupted while bundles were being delivered; the next run sends them again");
        }
        List<Map.Entry<String, SnapshotEntry>> delivered = run.takeDeliveredPages(closed - pagesInFlight);
        if (!run.hasDeliveryFailed()) {
            stateStore.checkpoint(run.feed(), delivered);
        }
    }

    /** How many pages of a paged feed may be in delivery while the next is fetched (the delivery threads). */
    public void setPagesInFlight(int pagesInFlight) {
        this.pagesInFlight = Math.max(1, pagesInFlight);
    }

    /** An error ended the run: record why, keep the previous snapshot. */
    public void failed(Exchange exchange) {
        FeedRun run = exchange.getProperty(FeedRun.PROPERTY, FeedRun.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        // the run is over: a route that called the failing one (e.g. the fetch) must not go on with it
        exchange.setRouteStop(true);
        if (run == null) {
            // a step before the run began (a route edited so): nothing to end, but the error must be seen
            LOG.error("{}: failed before its run began: {}", exchange.getFromRouteId(), describe(cause, null));
            return;
        }
        run.fail(describe(cause, run));
        end(run);
    }

    /**
     * A step that does not own the run (a sink, the aggregator's output) failed: mark the run failed so that
     * it does not advance its state, and let the run finish on its own.
     */
    public void markFailed(Exchange exchange) {
        FeedRun run = exchange.getProperty(FeedRun.PROPERTY, FeedRun.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (run != null) {
            run.deliveryFailed(describe(cause, run));
        } else {
            LOG.error("delivery failed outside of any feed run: {}", cause == null ? "unknown" : cause.getMessage());
        }
    }

    /** A bundle reached its sink. */
    public void delivered(Exchange exchange) {
        FeedRun run = run(exchange);
        run.increment(FeedRun.Counter.BUNDLES);
        int objects = exchange.getMessage().getHeader(BundleHeaders.OBJECTS, 0, Integer.class);
        run.add(FeedRun.Counter.OBJECTS, objects);
        deliveredListeners.forEach(l -> l.accept(objects));
    }

    private void end(FeedRun run) {
        if (!run.markEnded()) {
            return;
        }
        awaitDeliveries(run);
        checkpointDelivered(run);
        String summary = run.summary(clock.instant());
        hooks.forEach(hook -> hook.ending(run, summary));
        synchronized (this) {
            release(run.feed(), true);
            if (resetPending && active.isEmpty()) {
                resetPending = false;
                stateStore.deleteAll();
            }
        }
        if (run.failed()) {
            LOG.error(summary);
        } else {
            LOG.info(summary);
        }
        if (!run.rejectSamples().isEmpty()) {
            LOG.warn("{}: {} lines rejected, for example: {}", run.feed(), run.count(FeedRun.Counter.REJECTED),
                    String.join(" | ", run.rejectSamples()));
        }
        for (Consumer<FeedRun> listener : endListeners) {
            listener.accept(run);
        }
    }

    /** A run that ends early keeps what it delivered: the last page's IPs whose bundles went out. */
    private void checkpointDelivered(FeedRun run) {
        List<Map.Entry<String, SnapshotEntry>> delivered = run.takeDeliveredPages(Integer.MAX_VALUE);
        if (run.hasDeliveryFailed() || delivered.isEmpty()) {
            return;
        }
        try {
            stateStore.checkpoint(run.feed(), delivered);
        } catch (RuntimeException e) {
            LOG.warn("{}: {}; the next run sends those IPs again", run.feed(), e.getMessage());
        }
    }

    /** Bundles are delivered by their own thread; the run ends only once they are all dealt with. */
    private void awaitDeliveries(FeedRun run) {
        try {
            if (!run.awaitDeliveries(deliveryTimeout)) {
                // what is still in flight may never arrive: nothing more may be checkpointed
                run.deliveryFailed("bundles still undelivered after " + deliveryTimeout.toSeconds()
                        + " s; the next run sends them again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            run.deliveryFailed("interrupted while bundles were being delivered; the next run sends them again");
        }
    }

    public void setDeliveryTimeout(java.time.Duration deliveryTimeout) {
        this.deliveryTimeout = deliveryTimeout;
    }

    private static FeedRun run(Exchange exchange) {
        FeedRun run = exchange.getProperty(FeedRun.PROPERTY, FeedRun.class);
        if (run == null) {
            throw new IllegalStateException("no feed run on this exchange; the route must begin a run first");
        }
        return run;
    }

    /** One line a user can act on: what failed, where (the URL without credentials), and no stack trace. */
    public static String describe(Throwable cause, FeedRun run) {
        if (cause instanceof HttpOperationFailedException http) {
            int status = http.getStatusCode();
            String hint = switch (status) {
                case 401, 403 -> " (the feed refused our credentials: check the API key)";
                case 404 -> " (no such feed: check the URL)";
                case 429 -> " (rate limited by the source; retried without success)";
                default -> status >= 500 ? " (the source is failing; retried without success)" : "";
            };
            return describeAttempt(cause, run) + hint;
        }
        return describeAttempt(cause, run);
    }

    /**
     * What one attempt met, as {@link #describe} says it but without its verdict: for the line of an attempt that
     * is retried. Others' messages name URLs as they were given: they are shown without query and user-info.
     */
    public static String describeAttempt(Throwable cause, FeedRun run) {
        if (cause == null) {
            return "unknown error";
        }
        String source = run == null ? "the source" : run.source();
        if (cause instanceof HttpOperationFailedException http) {
            return "HTTP " + http.getStatusCode() + " " + http.getStatusText() + " from " + source;
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (cause instanceof FetchLimitException) {
            return "refused the answer of " + source + ": " + message + "; nothing is delisted, the feed's state "
                    + "stays as it was";
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        // wrappers such as Camel's "Cannot store file: ..." name the file but not why
        if (root != cause && root.getMessage() != null && !message.contains(root.getMessage())) {
            message += ": " + root.getMessage();
        }
        message = DisplayUrl.inText(message);
        if (message.contains(DISK_FULL)) {
            return message + " (the disk is full: free space there; what this run could not write is sent again"
                    + " by the next run)";
        }
        if (cause instanceof java.io.IOException && !(cause instanceof java.nio.file.FileSystemException)) {
            return cause.getClass().getSimpleName() + " while fetching " + source + ": " + message;
        }
        return message;
    }
}
