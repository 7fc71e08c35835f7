package io.ctifeeds.crowdsec.enrich;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * At most N requests in any window of one period, counted from when each request was answered (or is still
 * waiting for its answer), which is what an API that limits requests per second sees: a request reaches it
 * somewhere between being sent and being answered, so a window anchored on answers can never hold one request too
 * many, however late a request left. The Throttle EIP anchors its permits on when they were taken, so a request
 * that was slow to leave (a new connection, a busy machine) can put N + 1 requests into the API's window; this
 * closes that gap. Every HTTP attempt goes through it, retries included, which the Throttle EIP does not see.
 */
final class RequestWindow {

    private final long periodNanos;
    private final LongSupplier clock;
    /** answer times (nanos) of the recent requests; Long.MAX_VALUE while a request waits for its answer */
    private final Deque<long[]> recent = new ArrayDeque<>();
    private final ThreadLocal<long[]> pending = new ThreadLocal<>();

    RequestWindow(long periodNanos, LongSupplier clock) {
        this.periodNanos = periodNanos;
        this.clock = clock;
    }

    /** Waits until a request may go, then counts it as in flight. */
    void beforeSend(IntSupplier limit) throws InterruptedException {
        answered();
        long[] entry = {Long.MAX_VALUE};
        synchronized (this) {
            while (true) {
                long now = clock.getAsLong();
                while (!recent.isEmpty() && recent.peekFirst()[0] != Long.MAX_VALUE
                        && recent.peekFirst()[0] <= now - periodNanos) {
                    recent.pollFirst();
                }
                if (recent.size() < Math.max(1, limit.getAsInt())) {
                    break;
                }
                long oldest = recent.stream().mapToLong(e -> e[0]).min().orElse(now);
                long waitNanos = oldest == Long.MAX_VALUE ? 1_000_000 : oldest + periodNanos - now;
                wait(Math.max(1, waitNanos / 1_000_000), (int) (Math.max(0, waitNanos) % 1_000_000));
            }
            recent.addLast(entry);
        }
        pending.set(entry);
    }

    /** The request of this thread is answered (or failed): its time in the window starts now. */
    void answered() {
        long[] entry = pending.get();
        if (entry != null) {
            synchronized (this) {
                entry[0] = clock.getAsLong();
                notifyAll();
            }
            pending.remove();
        }
    }
}
