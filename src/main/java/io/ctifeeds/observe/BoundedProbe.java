package io.ctifeeds.observe;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a health probe on its own thread and waits for it at most a timeout, so that a platform that hangs makes
 * the health endpoint answer DOWN in time instead of hanging too. A probe still running when the next check
 * comes is waited for again rather than started twice: a hung platform never piles up probes. A probe's answer
 * (UP or the failure) is reused for {@code cacheFor}: each probe is a GraphQL call with the token or an AMQP
 * login, and a flood of health requests must not become a flood on the platform.
 */
final class BoundedProbe<T> {

    private final String what;
    private final Duration timeout;
    private final long cacheForNanos;
    private CompletableFuture<T> inFlight;
    /** System.nanoTime() when inFlight completed */
    private volatile long doneAt;

    BoundedProbe(String what, Duration timeout, Duration cacheFor) {
        this.what = what;
        this.timeout = timeout;
        this.cacheForNanos = cacheFor.toNanos();
    }

    /** @throws Exception the probe's own failure, or a TimeoutException naming what did not answer */
    T run(Callable<T> probe) throws Exception {
        CompletableFuture<T> future;
        synchronized (this) {
            boolean fresh = inFlight != null && inFlight.isDone() && System.nanoTime() - doneAt < cacheForNanos;
            if (inFlight == null || inFlight.isDone() && !fresh) {
                inFlight = CompletableFuture.supplyAsync(() -> {
                    try {
                        return probe.call();
                    } catch (Exception e) {
                        throw new CompletionException(e);
                    }
                }, task -> {
                    Thread thread = new Thread(task, "health-probe-" + what);
                    thread.setDaemon(true);
                    thread.start();
                });
                inFlight.whenComplete((answer, failure) -> doneAt = System.nanoTime());
            }
            future = inFlight;
        }
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException(what + " did not answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null
                    ? c.getCause() : e.getCause();
            throw cause instanceof Exception ex ? ex : new IllegalStateException(cause);
        }
    }
}
