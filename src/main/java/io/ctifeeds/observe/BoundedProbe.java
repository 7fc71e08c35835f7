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
 * comes is waited for again rather than started twice: a hung platform never piles up probes.
 */
final class BoundedProbe<T> {

    private final String what;
    private final Duration timeout;
    private CompletableFuture<T> inFlight;

    BoundedProbe(String what, Duration timeout) {
        this.what = what;
        this.timeout = timeout;
    }

    /** @throws Exception the probe's own failure, or a TimeoutException naming what did not answer */
    T run(Callable<T> probe) throws Exception {
        CompletableFuture<T> future;
        synchronized (this) {
            if (inFlight == null || inFlight.isDone()) {
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
