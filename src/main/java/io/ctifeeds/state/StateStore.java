package io.ctifeeds.state;

import java.util.List;
import java.util.Map;

/**
 * Where feeds keep what they delivered (snapshots for the delta) and their run bookkeeping (last run, last
 * success, HTTP validators). Embedded: {@link FileStateStore} under {@code data/state}; shared by replicas:
 * {@link PostgresStateStore}.
 */
public interface StateStore {

    /** The feed's state, {@link FeedState#EMPTY} before its first run. */
    FeedState loadState(String feed);

    /** The IPs last delivered for the feed, with the checkpoints of a run that did not commit. */
    Snapshot loadSnapshot(String feed);

    /** Records delivered entries of a run still in progress, durably, before this returns. */
    void checkpoint(String feed, List<Map.Entry<String, SnapshotEntry>> entries);

    /** Replaces the feed's state and snapshot (checkpoints included) at once. */
    void commit(String feed, FeedState state, Snapshot snapshot);

    /** The feeds that have a state, that is that ran at least once. */
    List<String> feeds();

    /** Forgets every feed's state and snapshot: the next runs send their feeds in full. */
    void deleteAll();

    /**
     * Claims the feed for one run across every process that shares this store, so that two replicas never run
     * one feed at once (a manual trigger on one while the schedule fires on another).
     *
     * @return false when another process holds the feed
     */
    default boolean tryLock(String feed) {
        return true;
    }

    default void unlock(String feed) {
    }

    /**
     * Whether another process holds the feed's run lock, without taking it (taking it, even for a moment, could
     * make that process's own trigger skip its run): for a manual trigger, which must answer before the run starts.
     *
     * @throws IllegalStateException when the store cannot tell (its database cannot be reached)
     */
    default boolean lockedElsewhere(String feed) {
        return false;
    }
}
