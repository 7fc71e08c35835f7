package io.ctifeeds.ops;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import io.ctifeeds.feed.FeedRegistry;
import io.ctifeeds.feed.FeedRuns;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manual trigger's decisions (routes/http-trigger.camel.yaml): whether a feed may run now. The feeds are those
 * of the {@link FeedRegistry} that are enabled; one is busy while its schedule route is firing it, while
 * FeedRuns knows it as running, or while a run triggered here has not completed yet (it may not have reached
 * FeedRuns when the next request comes in).
 */
public class FeedTrigger {

    /** What a trigger request gets. */
    public enum Outcome {
        ACCEPTED, RUNNING, RUNNING_ELSEWHERE, UNAVAILABLE, TOO_SOON, UNKNOWN
    }

    /** A route name part, so that a request can never name another kind of endpoint. */
    private static final Pattern FEED = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private static final Logger LOG = LoggerFactory.getLogger(FeedTrigger.class);

    private final FeedRuns feedRuns;
    private final FeedRegistry registry;
    private final CamelContext camelContext;
    private final Duration minInterval;
    private final Set<String> triggered = ConcurrentHashMap.newKeySet();
    /** when each feed was last accepted, in System.nanoTime() */
    private final Map<String, Long> lastAccepted = new ConcurrentHashMap<>();
    private final RefusalLog refusals = new RefusalLog(LOG);

    /** @param minInterval CONNECTOR_TRIGGER_MIN_INTERVAL: a feed is triggered at most once in it (a run may cost) */
    public FeedTrigger(FeedRuns feedRuns, FeedRegistry registry, CamelContext camelContext, Duration minInterval) {
        this.feedRuns = feedRuns;
        this.registry = registry;
        this.camelContext = camelContext;
        this.minInterval = minInterval;
    }

    /**
     * ACCEPTED reserves the feed until {@link #release} is called for it. With replicas, a feed another one runs is
     * RUNNING_ELSEWHERE, and UNAVAILABLE when the shared store cannot say: a 202 would announce a run that then
     * skips itself (it cannot take the feed's lock), and the caller would never learn it.
     */
    public Outcome claim(String feed) {
        if (feed == null || !FEED.matcher(feed).matches() || registry.enabled(feed).isEmpty()) {
            return Outcome.UNKNOWN;
        }
        // outside the monitor: with the database away this waits for its connection timeout, and must not hold
        // up the requests for other feeds
        if (!busyHere(feed)) {
            try {
                if (feedRuns.getStateStore().lockedElsewhere(feed)) {
                    return Outcome.RUNNING_ELSEWHERE;
                }
            } catch (RuntimeException e) {
                refusals.refused("unavailable-" + feed, "{}: trigger refused: {}", feed, e.getMessage());
                return Outcome.UNAVAILABLE;
            }
        }
        return claimHere(feed);
    }

    private synchronized Outcome claimHere(String feed) {
        if (busyHere(feed)) {
            return Outcome.RUNNING;
        }
        long wait = secondsUntilAllowed(feed);
        if (wait > 0) {
            refusals.refused("too-soon-" + feed, "{}: trigger refused, the last one was less than {} ago "
                    + "(CONNECTOR_TRIGGER_MIN_INTERVAL); the next is allowed in {} s", feed, minInterval, wait);
            return Outcome.TOO_SOON;
        }
        triggered.add(feed);
        lastAccepted.put(feed, System.nanoTime());
        return Outcome.ACCEPTED;
    }

    private boolean busyHere(String feed) {
        Route schedule = registry.schedule(feed);
        return triggered.contains(feed) || feedRuns.isRunning(feed)
                || (schedule != null && camelContext.getInflightRepository().size(schedule.getRouteId()) > 0);
    }

    /** Whole seconds until the feed may be triggered again (for Retry-After); 0 when it may now. */
    public long secondsUntilAllowed(String feed) {
        Long last = lastAccepted.get(feed);
        if (last == null) {
            return 0;
        }
        long left = minInterval.toNanos() - (System.nanoTime() - last);
        return left <= 0 ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toSeconds(left + TimeUnit.SECONDS.toNanos(1) - 1));
    }

    /** The triggered run has completed, however it ended. */
    public void release(String feed) {
        triggered.remove(feed);
    }
}
