package io.ctifeeds.crowdsec.store;

import io.ctifeeds.state.Storage;

/**
 * When each IP was last looked up on CrowdSec, so that an IP is not looked up again within
 * {@code min_delay_between_enrichments}, across restarts (and across replicas, on PostgreSQL).
 */
public interface LookupCache {

    /** @return true when the IP was looked up less than the minimum delay before {@code nowEpochSecond} */
    boolean isFresh(String ip, long nowEpochSecond);

    /** The IP was looked up (and answered) at that time. */
    void lookedUp(String ip, long nowEpochSecond);

    /** The cache where the feeds' state is kept (in its folder, or in the shared database). */
    static LookupCache in(Storage storage, long minDelaySeconds) {
        return storage.choose(
                dir -> new FileLookupCache(dir.resolve("crowdsec-enrichment.cache.tsv"), minDelaySeconds),
                db -> new PostgresLookupCache(db, minDelaySeconds));
    }
}
