package io.ctifeeds.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.ctifeeds.state.FeedState;
import io.ctifeeds.state.Snapshot;
import org.junit.jupiter.api.Test;

/** A run's counters are known by name: a feed declares its own without touching FeedRun. */
class FeedRunTest {

    private static FeedRun run() {
        return new FeedRun("list", Instant.parse("2026-12-05T10:00:00Z"), "http://127.0.0.1/list.txt",
                new FeedPolicy(0.5, Duration.ofDays(15), DelistingPolicy.KEEP), FeedState.EMPTY, new Snapshot(),
                List.of());
    }

    @Test
    void theSummaryHasTheStandardCountersAlwaysAndAFeedsOwnOnlyOnceUsed() {
        FeedRun run = run();
        FeedRun.Counter pages = FeedRun.Counter.optional("pages_read");
        String before = run.summary(Instant.parse("2026-12-05T10:00:01Z"));
        assertTrue(before.contains(": fetched=0 rejected=0 skipped=0 duplicates=0 new=0 changed=0 refreshed=0"
                + " unchanged=0 delisted=0 objects=0 bundles=0 messages=0 dead_lettered=0 seconds=1.000"), before);

        run.increment(FeedRun.Counter.NEW);
        run.add(pages, 4);
        String after = run.summary(Instant.parse("2026-12-05T10:00:01Z"));
        assertTrue(after.contains(" new=1 "), after);
        assertTrue(after.contains(" dead_lettered=0 pages_read=4 seconds="), "after the standard ones: " + after);
        assertEquals(4, run.count(FeedRun.Counter.optional("pages_read")), "the same counter by its name");
    }

    @Test
    void countsFromManyThreadsAddUp() throws InterruptedException {
        FeedRun run = run();
        FeedRun.Counter looked = FeedRun.Counter.optional("looked");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            pool.execute(() -> {
                for (int i = 0; i < 10_000; i++) {
                    run.increment(looked);
                }
            });
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        assertEquals(40_000, run.count(looked));
        assertEquals(1, run.counts().keySet().stream().filter(c -> c.name().equals("looked")).count(),
                "one entry in the summary order, however many threads used it first");
    }

    /** A sink's or feed's own state for the run: one per type, made once, whatever thread asks first. */
    @Test
    void aPartIsMadeOnceAndKeptForTheRun() {
        FeedRun run = run();
        record Work(String id) {
        }
        Work first = run.part(Work.class, () -> new Work("w1"));
        assertTrue(first == run.part(Work.class, () -> new Work("w2")), "the one made first");
        assertEquals("w1", run.part(Work.class, () -> new Work("w3")).id());
    }

    @Test
    void aCounterNameIsAMetricNamePart() {
        assertThrows(IllegalArgumentException.class, () -> FeedRun.Counter.optional("Looked Up"));
    }
}
