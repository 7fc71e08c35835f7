package io.ctifeeds.crowdsec.enrich;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ctifeeds.config.SwitchPropertiesFunction;
import io.ctifeeds.crowdsec.api.ApiKey;
import io.ctifeeds.crowdsec.api.CtiAnswer;
import io.ctifeeds.crowdsec.api.CtiItem;
import io.ctifeeds.crowdsec.api.CtiParser;
import io.ctifeeds.crowdsec.api.CtiRecord;
import io.ctifeeds.crowdsec.api.CtiUnavailableException;
import io.ctifeeds.crowdsec.http.CtiExchange;
import io.ctifeeds.crowdsec.store.LookupBudget;
import io.ctifeeds.crowdsec.store.LookupCache;
import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.feed.FeedRuns;
import io.ctifeeds.feed.IpRecord;
import io.ctifeeds.feed.RunHook;
import io.ctifeeds.ip.IpAddress;
import io.ctifeeds.state.Storage;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CrowdSec enrichment of another feed's IPs, as its route file configures it: which IPs (new ones or all that a
 * run sends, above a score or a count), the lookup rate (the Throttle EIP's, lowered while CrowdSec throttles),
 * the budgets, the cache; and the steps of one lookup ({@code GET smoke/{ip}} and what its answer means).
 *
 * <p>Nothing here may hold back the feed: an IP that is not looked up, or whose lookup fails, goes out with the
 * feed's own objects only, and the reason is counted on the run.
 */
public class CrowdSecEnrichment implements RunHook {

    private static final Logger LOG = LoggerFactory.getLogger(CrowdSecEnrichment.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The exchange property holding the IP being looked up. */
    static final String IP = "ctiLookupIp";

    /** CrowdSec lookups made for the feed's IPs (each costs a quota token) */
    public static final FeedRun.Counter LOOKED_UP = FeedRun.Counter.optional("looked_up");
    /** IPs a lookup enriched with CrowdSec's objects */
    public static final FeedRun.Counter ENRICHED = FeedRun.Counter.optional("enriched");
    /** IPs not looked up again: looked up less than min_delay_between_enrichments ago */
    public static final FeedRun.Counter CACHED = FeedRun.Counter.optional("cached");
    /** IPs CrowdSec knows nothing of (404) */
    public static final FeedRun.Counter UNKNOWN = FeedRun.Counter.optional("unknown");
    /** lookups CrowdSec throttled (429 Too Many Requests), then retried more slowly */
    public static final FeedRun.Counter THROTTLED = FeedRun.Counter.optional("throttled");
    /** IPs not looked up: the daily or monthly budget, or CrowdSec's quota, was spent */
    public static final FeedRun.Counter OVER_BUDGET = FeedRun.Counter.optional("over_budget");
    /** lookups that failed for good (after retries); the IPs went out without CrowdSec's objects */
    public static final FeedRun.Counter LOOKUP_FAILED = FeedRun.Counter.optional("lookup_failed");

    /** Which of the feed's IPs are looked up. */
    public enum Which {
        /** the first time the feed sends the IP */
        NEW,
        /** every time the feed sends the IP (new, changed, refreshed) */
        ALL
    }

    // every value from the route file, whose defaults are application.properties'
    private String enabled;
    private Which which;
    private int minScore;
    private int minCount;
    private int rate;
    private long dailyBudget;
    private long monthlyBudget;
    private long minDelaySeconds;
    private String apiKey = "";
    private final AtomicInteger currentRate = new AtomicInteger(1);
    private final AtomicInteger successesSinceSlowdown = new AtomicInteger();
    /** what stopped lookups for the run {@link #runId} (a refused key, a spent quota), or null */
    private volatile String stoppedFor;
    private volatile boolean stopWarned;
    private volatile String runId;
    private final RequestWindow window = new RequestWindow(1_000_000_000L, System::nanoTime);
    private LookupCache cache;
    /** per run id: the IPs looked up in that run and when, cached once the run succeeds */
    private final Map<String, Map<String, Long>> pendingLookups = new ConcurrentHashMap<>();
    private volatile boolean hooked;
    private LookupBudget budget;
    private FeedRuns feedRuns;
    private Storage storage;

    /**
     * Sets the exchange property {@value #IP} to the IP of these objects when it is looked up now (the route's filter
     * tests it), and counts the IPs left out for the cache or a budget. A step before a simple filter rather than
     * the filter's own bean predicate: Camel runs a bean predicate on a copy of the exchange and copies its
     * properties back, for every record of every feed, enriched or not (5 % of an IPsum run's CPU).
     *
     * @param record the feed's record of the IP (exchange property {@code feedRecord}), for its score and count
     */
    public void select(Exchange exchange, @ExchangeProperty(FeedRun.PROPERTY) FeedRun run,
                       @ExchangeProperty("feedRecord") IpRecord record) {
        if (!wanted(exchange, run, record)) {
            exchange.removeProperty(IP);
        }
    }

    private boolean wanted(Exchange exchange, FeedRun run, IpRecord record) {
        if (!isEnabled() || run == null || record == null || !(record.ip() instanceof io.ctifeeds.ip.IpAddress)) {
            // CrowdSec knows single addresses: a CIDR block of a list is sent as the list has it
            return false;
        }
        newRun(run);
        String ip = record.ip().value();
        if (record.score() < minScore || (minCount > 0 && (record.count() == null || record.count() < minCount))) {
            return false;
        }
        if (which == Which.NEW && run.previous().contains(ip)) {
            return false;
        }
        Instant now = clock();
        if (stoppedFor != null) {
            run.increment(OVER_BUDGET);
            return false;
        }
        if (cache().isFresh(ip, now.getEpochSecond())) {
            run.increment(CACHED);
            return false;
        }
        LookupBudget.Refusal refusal = budget().take(now);
        long left = refusal == LookupBudget.Refusal.QUOTA ? 0 : budget().left(now);
        if (left >= 0) {
            // the feed's metric ctifeeds_feed_crowdsec_lookups_left
            run.gauge("crowdsec_lookups_left", left);
        }
        if (refusal != LookupBudget.Refusal.NONE) {
            run.increment(OVER_BUDGET);
            if (!stopWarned) {
                stopWarned = true;
                LOG.warn("{}: CrowdSec enrichment stops: {}; the feed's IPs go out without it", run.feed(),
                        switch (refusal) {
                            case DAILY -> "today's CROWDSEC_ENRICHMENT_DAILY_BUDGET (" + dailyBudget + ") is spent";
                            case MONTHLY -> "this month's CROWDSEC_ENRICHMENT_MONTHLY_BUDGET (" + monthlyBudget
                                    + ") is spent";
                            default -> "CrowdSec said the key's quota is spent (429 Limit Exceeded); lookups "
                                    + "resume tomorrow (UTC)";
                        });
            }
            return false;
        }
        exchange.setProperty(IP, record.ip());
        return true;
    }

    /** The Throttle EIP's lookups per period: the configured rate, lowered while CrowdSec throttles us. */
    public int rate() {
        return currentRate.get();
    }

    /**
     * Before {@code GET smoke/{ip}} (whose URI and headers the route file sets): nothing from the exchange goes
     * with the request; waits, if need be, so that no one-second window of CrowdSec's holds more than the rate
     * (see {@link RequestWindow}).
     */
    public void request(Exchange exchange) throws InterruptedException {
        window.beforeSend(currentRate::get);
        CtiExchange.clearForRequest(exchange.getMessage());
    }

    /** The key for the request's x-api-key header. */
    public String apiKey() {
        return apiKey;
    }

    /**
     * Body in: the HTTP answer. Body out: the IP's CTI record, or null when CrowdSec knows nothing of it (404) or
     * the quota is spent.
     */
    public CtiRecord answer(Exchange exchange, @ExchangeProperty(FeedRun.PROPERTY) FeedRun run,
                            @ExchangeProperty(IP) IpAddress ip) throws CtiUnavailableException {
        window.answered();
        Message message = exchange.getMessage();
        if (CtiExchange.status(message) == 429 && !CtiAnswer.isQuotaSpent(CtiExchange.body(message), JSON)) {
            run.increment(THROTTLED);
            slowDown(run);
        }
        CtiAnswer answer = CtiExchange.answer(message, "smoke/" + ip.value(), true, clock(), JSON);
        run.increment(LOOKED_UP);
        if (answer instanceof CtiAnswer.QuotaSpent) {
            budget().quotaSpent(clock());
            stop(run, "CrowdSec said the key's quota is spent (429 Limit Exceeded); lookups resume tomorrow (UTC)");
            return null;
        }
        // cached only once the run has delivered what it sent (ending): a run that fails after its lookups would
        // else leave IPs "looked up" whose enrichment never reached the platform, never to be enriched again
        pendingLookups.computeIfAbsent(run.id(), id -> new ConcurrentHashMap<>())
                .put(ip.value(), clock().getEpochSecond());
        recovered();
        if (answer instanceof CtiAnswer.NotFound) {
            run.increment(UNKNOWN);
            return null;
        }
        CtiItem item = CtiParser.parse(((CtiAnswer.Json) answer).body());
        if (item instanceof CtiItem.Parsed parsed && parsed.record().ip().equals(ip)) {
            return parsed.record();
        }
        run.increment(LOOKUP_FAILED);
        LOG.warn("{}: CrowdSec's answer for {} is not a CTI object of that IP; sent without it", run.feed(),
                ip.value());
        return null;
    }

    /** A lookup failed for good (retries spent): the IP goes out without CrowdSec's objects. */
    public void lookupFailed(Exchange exchange, @ExchangeProperty(FeedRun.PROPERTY) FeedRun run) {
        window.answered();
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        run.increment(LOOKUP_FAILED);
        LOG.warn("{}: CrowdSec lookup of {} failed ({}); sent without it", run.feed(),
                exchange.getProperty(IP, IpAddress.class).value(), cause == null ? "unknown" : cause.getMessage());
        exchange.getMessage().setBody(null);
    }

    /** The key is refused (or the request): no more lookups in this run; the next run tries again. */
    public void refused(Exchange exchange, @ExchangeProperty(FeedRun.PROPERTY) FeedRun run) {
        window.answered();
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        run.increment(LOOKUP_FAILED);
        stop(run, cause == null ? "refused" : cause.getMessage());
        exchange.getMessage().setBody(null);
    }

    /**
     * The run ended: its lookups go into the cache if it succeeded (its bundles were delivered or durably
     * dead-lettered, its state committed); a failed run's IPs are looked up again the next time they are sent.
     */
    @Override
    public void ending(FeedRun run, String summary) {
        Map<String, Long> looked = pendingLookups.remove(run.id());
        if (looked != null && !run.failed()) {
            looked.forEach(cache()::lookedUp);
        }
    }

    /** A new run of the enriched feed forgets what stopped the last one's lookups, and its slowdown. */
    private synchronized void newRun(FeedRun run) {
        if (!hooked) {
            hooked = true;
            feedRuns.addHook(this);
        }
        if (!run.id().equals(runId)) {
            runId = run.id();
            stoppedFor = null;
            stopWarned = false;
            currentRate.set(rate);
        }
    }

    private void stop(FeedRun run, String reason) {
        if (stoppedFor == null) {
            stoppedFor = reason;
            LOG.warn("{}: CrowdSec enrichment stops for this run: {}; the feed's IPs go out without it",
                    run.feed(), reason);
        }
    }

    /** A fifth slower per 429: enough to get under a limiter we overshoot by a little, which is the usual case. */
    private void slowDown(FeedRun run) {
        int before = currentRate.get();
        int after = Math.max(1, before * 4 / 5);
        if (currentRate.compareAndSet(before, after) && after < before) {
            LOG.warn("{}: CrowdSec throttles the lookups (429 Too Many Requests): {} a second from now on, "
                    + "back up to {} as answers come", run.feed(), after, rate);
        }
        successesSinceSlowdown.set(0);
    }

    /** After a slowdown, the rate climbs back by a tenth of the configured one every second's worth of answers. */
    private void recovered() {
        int now = currentRate.get();
        if (now < rate && successesSinceSlowdown.incrementAndGet() >= now) {
            successesSinceSlowdown.set(0);
            currentRate.compareAndSet(now, Math.min(rate, now + Math.max(1, rate / 10)));
        }
    }

    private Instant clock() {
        return feedRuns.clock().instant();
    }

    /** Made on first use, once every property is set, where the feeds' state is kept. */
    private synchronized LookupCache cache() {
        if (cache == null) {
            cache = LookupCache.in(storage, minDelaySeconds);
        }
        return cache;
    }

    private synchronized LookupBudget budget() {
        if (budget == null) {
            budget = LookupBudget.in(storage, dailyBudget, monthlyBudget);
        }
        return budget;
    }

    /** true, false, or auto: on when the key is set. */
    public void setEnabled(String enabled) {
        this.enabled = enabled.trim();
    }

    public boolean isEnabled() {
        return SwitchPropertiesFunction.enabled(enabled, apiKey);
    }

    public void setWhich(String which) {
        this.which = Which.valueOf(which.trim().toUpperCase(Locale.ROOT));
    }

    public void setMinScore(int minScore) {
        this.minScore = minScore;
    }

    public void setMinCount(int minCount) {
        this.minCount = minCount;
    }

    public void setRatePerSecond(int rate) {
        this.rate = rate;
        currentRate.set(rate);
    }

    public void setDailyBudget(long dailyBudget) {
        this.dailyBudget = dailyBudget;
    }

    public void setMonthlyBudget(long monthlyBudget) {
        this.monthlyBudget = monthlyBudget;
    }

    public void setMinDelayBetweenEnrichments(long seconds) {
        this.minDelaySeconds = seconds;
    }

    public void setApiKey(String apiKey) {
        this.apiKey = ApiKey.unquote(apiKey);
    }

    /** The runs of the enriched feeds: their clock, and their ends (when lookups go into the cache). */
    public void setFeedRuns(FeedRuns feedRuns) {
        this.feedRuns = feedRuns;
    }

    /** Where the lookup cache and the budgets are kept: where the feeds' state is. */
    public void setStorage(Storage storage) {
        this.storage = storage;
    }
}
