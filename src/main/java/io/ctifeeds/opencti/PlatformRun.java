package io.ctifeeds.opencti;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.ctifeeds.feed.FeedRun;

/** What OpenCTI delivery keeps for one run: its work, the workers' expectations, the labels already made. */
public final class PlatformRun {

    private volatile String workId;
    private final AtomicLong workerExpectations = new AtomicLong();
    private final Set<String> labelsEnsured = ConcurrentHashMap.newKeySet();

    /** The run's OpenCTI part, made on first use. */
    public static PlatformRun of(FeedRun run) {
        return run.part(PlatformRun.class, PlatformRun::new);
    }

    /** The OpenCTI work this run reports into, or null (no platform, or workAdd failed). */
    public String workId() {
        return workId;
    }

    void setWorkId(String workId) {
        this.workId = workId;
    }

    /**
     * API mode: the expectations the platform's workers will add to this run's work when they split the bundles it
     * pushed; the work is closed only once the platform counts them (the completion race of OpenCTI's works).
     */
    void expectFromWorkers(long expectations) {
        workerExpectations.addAndGet(expectations);
    }

    long workerExpectations() {
        return workerExpectations.get();
    }

    /** A label now exists on the platform with its colour; later bundles of the run need not create it. */
    void labelEnsured(String value) {
        labelsEnsured.add(value);
    }

    boolean isLabelEnsured(String value) {
        return labelsEnsured.contains(value);
    }
}
