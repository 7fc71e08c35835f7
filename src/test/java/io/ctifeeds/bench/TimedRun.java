package io.ctifeeds.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.feed.FeedRun.Counter;
import io.ctifeeds.testing.TestApp;

/** One measured run of a feed: how long it took end to end and the heap's peak meanwhile (sum of pool peaks). */
record TimedRun(FeedRun run, double seconds, long peakHeap) {

    /** Runs the feed once, after a GC and a reset of the pools' peaks; a run that lost anything is no figure. */
    static TimedRun of(TestApp app, String feed) {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
        long start = System.nanoTime();
        FeedRun run = app.run(feed);
        double seconds = (System.nanoTime() - start) / 1e9;
        long peak = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        if (run.failed() || run.count(Counter.DEAD_LETTERED) > 0) {
            throw new IllegalStateException("the run did not deliver everything: "
                    + run.summary(java.time.Instant.now()));
        }
        return new TimedRun(run, seconds, peak);
    }
}
