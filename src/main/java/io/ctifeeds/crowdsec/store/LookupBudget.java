package io.ctifeeds.crowdsec.store;

import java.time.Instant;

import io.ctifeeds.state.Storage;

/**
 * The CrowdSec lookups enrichment may still make: a budget per UTC day and per month (0: none), and a stop until
 * the next UTC day once CrowdSec says the key's quota is spent. A granted lookup is counted before it goes, so
 * the budget is never overspent, even by a crash or by several replicas at once.
 */
public interface LookupBudget {

    /** Why a lookup is not granted. */
    enum Refusal { NONE, DAILY, MONTHLY, QUOTA }

    /** Grants one lookup (and counts it), or says which budget is spent. */
    Refusal take(Instant now);

    /** CrowdSec answered "Limit Exceeded": no lookup until the next UTC day. */
    void quotaSpent(Instant now);

    /** Lookups left today and this month, whichever is fewer; -1 when neither budget is set. */
    long left(Instant now);

    /** The budget where the feeds' state is kept (in its folder, or in the shared database). */
    static LookupBudget in(Storage storage, long daily, long monthly) {
        return storage.choose(
                dir -> new FileLookupBudget(dir.resolve("crowdsec-enrichment.budget.json"), daily, monthly),
                db -> new PostgresLookupBudget(db, daily, monthly));
    }
}
