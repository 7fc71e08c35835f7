package io.ctifeeds.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import io.ctifeeds.deadletter.DeadLetterStore;
import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.feed.FeedRuns;
import io.ctifeeds.state.FeedState;
import io.ctifeeds.state.StateStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feeds' figures for /observe/metrics, fed by the end of every run: knows no feed and no counter by name,
 * so that a new feed, a new {@link FeedRun.Counter} or a new {@link FeedRun#gauge run gauge} shows up
 * without metric code.
 * <ul>
 * <li>{@code ctifeeds_feed_runs_total{feed,outcome}}: runs that succeeded, fell short or failed, and triggers
 * that started none (skipped: the feed was running, another replica runs it, OpenCTI's queue is full;
 * not_started: its state is unreadable);</li>
 * <li>{@code ctifeeds_feed_<counter>_total{feed}}: each counter of the run summary line, summed over runs
 * (fetched, rejected, objects, messages, dead_lettered, ...);</li>
 * <li>{@code ctifeeds_feed_<gauge>{feed}}: the last value of each gauge a run set (quota left, ...);</li>
 * <li>{@code ctifeeds_feed_last_success_timestamp_seconds{feed}}: start of the last successful run, also
 * read back from the state at start-up; {@code ctifeeds_feed_last_run_duration_seconds{feed}};</li>
 * <li>{@code ctifeeds_dead_letters_waiting}: files in the dead-letter folder, counted when scraped.</li>
 * </ul>
 */
public class FeedMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(FeedMetrics.class);
    private static final String PREFIX = "ctifeeds.feed.";

    private final MeterRegistry registry;
    /** gauges read their values from here: Micrometer only keeps a weak reference to them */
    private final Map<String, AtomicReference<Double>> levels = new ConcurrentHashMap<>();

    public FeedMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Starts counting: the run-end listener, the dead-letter gauge, and what the state remembers. */
    public void bind(FeedRuns feedRuns, DeadLetterStore deadLetters) {
        Gauge.builder("ctifeeds.dead.letters.waiting", deadLetters, d -> d.waiting().size())
                .description("bundles in the dead-letter folder, waiting to be replayed")
                .register(registry);
        Gauge.builder("ctifeeds.dead.letters.rejected", deadLetters, d -> d.rejectedCount())
                .description("dead letters OpenCTI refused for good, set aside in the rejected/ folder for an operator")
                .register(registry);
        StateStore state = feedRuns.getStateStore();
        try {
            for (String feed : state.feeds()) {
                FeedState known = state.loadState(feed);
                standardCounters(feed);
                if (known.lastSuccess() != null) {
                    level(feed, "last.success.timestamp", "seconds")
                            .set((double) Instant.parse(known.lastSuccess()).getEpochSecond());
                }
            }
        } catch (RuntimeException e) {
            // the figures start from zero; the feeds themselves report an unreadable state
            LOG.warn("metrics: cannot read the feeds' last successes from the state: {}", e.getMessage());
        }
        feedRuns.onRunEnd(this::ended);
        // a trigger that started no run: skipped on purpose, or could not start (an alert: its state is away)
        feedRuns.onRunNotStarted((feed, failed) -> runs(feed, failed ? "not_started" : "skipped").increment());
        // a trigger while the feed's run is under way is skipped too
        feedRuns.onTriggerWhileRunning(feed -> runs(feed, "skipped").increment());
    }

    private Counter runs(String feed, String outcome) {
        return Counter.builder(PREFIX + "runs").tag("feed", feed).tag("outcome", outcome)
                .description("feed runs, by outcome (succeeded, fell_short, failed; skipped, not_started)")
                .register(registry);
    }

    void ended(FeedRun run) {
        String feed = run.feed();
        runs(feed, run.outcome()).increment();
        standardCounters(feed);
        run.counts().forEach((counter, n) -> counter(feed, counter).increment(n));
        run.gauges().forEach((name, value) -> level(feed, name, null).set(value));
        Instant now = Instant.now();
        level(feed, "last.run.duration", "seconds")
                .set(Duration.between(run.started(), now).toMillis() / 1000d);
        if (run.succeeded()) {
            level(feed, "last.success.timestamp", "seconds").set((double) run.started().getEpochSecond());
        }
    }

    /**
     * Registers a feed's standard counters at once, so that their rates start from zero rather than from nothing;
     * a feed's own counters (an enrichment's lookups) appear with the first run that used them.
     */
    private void standardCounters(String feed) {
        FeedRun.Counter.STANDARD.forEach(counter -> counter(feed, counter));
    }

    private Counter counter(String feed, FeedRun.Counter counter) {
        // Micrometer hands back the meter already registered under this name and tags
        return Counter.builder(PREFIX + counter.name()).tag("feed", feed)
                .description("'" + counter.name() + "' of the feed's run summary lines, summed over its runs")
                .register(registry);
    }

    private AtomicReference<Double> level(String feed, String name, String unit) {
        return levels.computeIfAbsent(feed + '\u0000' + name, key -> {
            AtomicReference<Double> holder = new AtomicReference<>(Double.NaN);
            Gauge.builder(PREFIX + name, holder, AtomicReference::get).tag("feed", feed).baseUnit(unit)
                    .description("last value of '" + name + "' for the feed").register(registry);
            return holder;
        });
    }
}
