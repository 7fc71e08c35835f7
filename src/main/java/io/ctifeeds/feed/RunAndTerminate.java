package io.ctifeeds.feed;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CONNECTOR_RUN_AND_TERMINATE: every enabled feed runs once (its trigger fires once, at start-up), then the
 * application stops with status 0 if every run succeeded, 1 otherwise. The feeds are the enabled ones of the
 * {@link FeedRegistry}; each one's trigger fires once.
 */
public class RunAndTerminate {

    private static final Logger LOG = LoggerFactory.getLogger(RunAndTerminate.class);

    private volatile Runnable complete;
    private volatile Runnable beforeStop = () -> {
    };
    private final Map<String, Boolean> outcomes = new ConcurrentHashMap<>();
    private volatile int expected = -1;
    private volatile boolean completed;

    /** @param complete stops the application (may be set later, before the application starts) */
    public RunAndTerminate(Runnable complete) {
        this.complete = complete;
    }

    public void setComplete(Runnable complete) {
        this.complete = complete;
    }

    /** Runs once every feed has run, before the application stops (e.g. a last dead-letter replay). */
    public void setBeforeStop(Runnable beforeStop) {
        this.beforeStop = beforeStop;
    }

    /** Records a run's outcome; the runs may start before {@link #watch} is called. */
    public void runEnded(FeedRun run) {
        outcomes.putIfAbsent(run.feed(), !run.failed());
        checkDone();
    }

    /**
     * A trigger started no run: skipped on purpose (another replica runs the feed, OpenCTI's queue is full)
     * counts as done; a run that could not start (its state unreadable) counts as failed.
     */
    public void runNotStarted(String feed, boolean failed) {
        outcomes.putIfAbsent(feed, !failed);
        checkDone();
    }

    /** Called once the application has started: which feeds are to run. */
    public void watch(FeedRegistry registry) {
        var triggers = registry.enabled().stream().map(FeedRegistry.Feed::name).toList();
        if (triggers.isEmpty()) {
            LOG.warn("run-and-terminate: no feed is enabled, nothing to run");
        } else {
            LOG.info("run-and-terminate: running once: {}", String.join(", ", triggers));
        }
        expected = triggers.size();
        checkDone();
    }

    public int exitCode() {
        return outcomes.values().stream().allMatch(Boolean::booleanValue) ? 0 : 1;
    }

    private synchronized void checkDone() {
        // each feed runs once, so every feed has ended once there are as many outcomes
        if (completed || expected < 0 || outcomes.size() < expected) {
            return;
        }
        completed = true;
        LOG.info("run-and-terminate: all feeds ran ({}), stopping", exitCode() == 0 ? "all succeeded" : "some failed");
        // stop from another thread: the caller is a route that must finish before Camel can stop
        Runnable last = beforeStop;
        Runnable stop = complete;
        Thread stopper = new Thread(() -> {
            try {
                last.run();
            } catch (RuntimeException e) {
                LOG.warn("run-and-terminate: {}", e.getMessage());
            }
            stop.run();
        }, "run-and-terminate");
        stopper.setDaemon(false);
        stopper.start();
    }
}
