package io.ctifeeds.feed;

/**
 * What a sink does around each run (OpenCTI: check the queue, open a work, close it with the summary).
 * A hook must not throw: a platform that is down must not stop a feed from running and dead-lettering.
 */
public interface RunHook {

    /** @return why the feed must not run now, or null to let it run */
    default String vetoStart(String feed) {
        return null;
    }

    default void begun(FeedRun run) {
    }

    /** Called once, when the run ends, with its summary line; before the run's state is released. */
    default void ending(FeedRun run, String summary) {
    }
}
