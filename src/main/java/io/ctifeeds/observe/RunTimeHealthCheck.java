package io.ctifeeds.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.feed.FeedRuns;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Liveness: DOWN while a run has been under way for longer than CONNECTOR_MAX_RUN_TIME. Such a run is stuck
 * (every bound on its sources has a deadline), and only a restart ends it; the next run re-sends what it did not
 * confirm.
 */
public class RunTimeHealthCheck extends AbstractHealthCheck {

    private final FeedRuns feedRuns;
    private final Duration maxRunTime;

    public RunTimeHealthCheck(FeedRuns feedRuns, Duration maxRunTime) {
        super("cti-feeds", "feed-run-time");
        this.feedRuns = feedRuns;
        this.maxRunTime = maxRunTime;
    }

    @Override
    public boolean isLiveness() {
        // Camel's checks are readiness only unless they say otherwise
        return true;
    }

    @Override
    public boolean isReadiness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Instant now = feedRuns.clock().instant();
        for (FeedRun run : feedRuns.active()) {
            Duration under = Duration.between(run.started(), now);
            if (under.compareTo(maxRunTime) > 0) {
                builder.message(run.feed() + ": run " + run.id() + " under way for " + under.toSeconds()
                        + " s, longer than CONNECTOR_MAX_RUN_TIME (" + maxRunTime + "): stuck, a restart ends it");
                builder.down();
                return;
            }
        }
        builder.up();
    }
}
