package io.ctifeeds.opencti;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import io.ctifeeds.feed.FeedRun;

/** What OpenCTI delivery keeps for one run: its work, the workers' expectations, the shared objects and labels sent. */
public final class PlatformRun {

    private volatile String workId;
    private final AtomicLong workerExpectations = new AtomicLong();
    /** shareable objects a bundle of this run is sending (not done) or has delivered (done, true) */
    private final Map<String, CompletableFuture<Boolean>> sharedClaims = new ConcurrentHashMap<>();
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
     * A shareable object this bundle carries: claimed (others wait for the outcome of its delivery), or carried
     * without the claim when waiting took too long (the object then goes twice rather than missing).
     */
    record SharedClaim(String id, CompletableFuture<Boolean> delivered) {
    }

    /**
     * Claims a shareable object for the bundle about to be sent, so that it goes to the platform once per run however
     * many delivery threads send bundles at once. A claim when this bundle is to carry it: the first to ask, or the
     * bundle that had it was not delivered. Empty once a bundle of the run has delivered it. While another bundle is
     * sending it, waits for that outcome, at most {@code patience}: a bundle that left it out while the one carrying
     * it then failed would reach the platform with references to an object the platform gets only once the dead
     * letter is replayed.
     * <p>
     * A bundle claims its objects in id order, so two bundles never wait for each other: one waits only for an id
     * after the ones it holds, which the other cannot hold while it waits for one of those.
     */
    Optional<SharedClaim> claimShared(String id, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            CompletableFuture<Boolean> mine = new CompletableFuture<>();
            CompletableFuture<Boolean> held = sharedClaims.putIfAbsent(id, mine);
            if (held == null) {
                return Optional.of(new SharedClaim(id, mine));
            }
            try {
                if (held.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    return Optional.empty();
                }
            } catch (TimeoutException e) {
                return Optional.of(new SharedClaim(id, null));
            } catch (ExecutionException e) {
                throw new IllegalStateException("a shared object's claim never fails", e);
            }
            // not delivered: the claim is free again, for this bundle or another one waiting
        }
    }

    /** The bundle that claimed the object delivered it: the run's other bundles leave it out. */
    void deliveredShared(SharedClaim claim) {
        if (claim.delivered() != null) {
            claim.delivered().complete(true);
        }
    }

    /** The bundle that claimed the object was not delivered: a bundle waiting for it, or a later one, sends it. */
    void releaseShared(SharedClaim claim) {
        if (claim.delivered() != null && sharedClaims.remove(claim.id(), claim.delivered())) {
            claim.delivered().complete(false);
        }
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
