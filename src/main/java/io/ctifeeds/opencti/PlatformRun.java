package io.ctifeeds.opencti;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.ctifeeds.feed.FeedRun;

/** What OpenCTI delivery keeps for one run: its work, the workers' expectations, the shared objects and labels sent. */
public final class PlatformRun {

    private volatile String workId;
    private final AtomicLong workerExpectations = new AtomicLong();
    /** shareable objects a bundle of this run carries to the platform, or has carried: claimed by one bundle only */
    private final Set<String> sharedClaims = ConcurrentHashMap.newKeySet();
    private final Set<String> labelClaims = ConcurrentHashMap.newKeySet();

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

    /**
     * Claims a shareable object for the bundle about to be sent: true for one caller only, however many delivery
     * threads ask at once, so the object goes to the platform once per run. The claim holds while that bundle is
     * being sent and once it is delivered; a bundle that fails {@linkplain #releaseShared releases} it, so a later
     * bundle carries the object again (the failed one still carries it into its retries and dead letter).
     */
    boolean claimShared(String id) {
        return sharedClaims.add(id);
    }

    /** The bundle that claimed this object was not delivered: a later bundle of the run is to send it. */
    void releaseShared(String id) {
        sharedClaims.remove(id);
    }

    /** As {@link #claimShared}, for creating a label with its colour once per run. */
    boolean claimLabel(String value) {
        return labelClaims.add(value);
    }

    /** The label could not be created: a later bundle of the run tries again. */
    void releaseLabel(String value) {
        labelClaims.remove(value);
    }
}
