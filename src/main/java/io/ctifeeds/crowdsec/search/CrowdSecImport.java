package io.ctifeeds.crowdsec.search;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ctifeeds.crowdsec.api.ApiKey;
import io.ctifeeds.crowdsec.api.CtiAnswer;
import io.ctifeeds.crowdsec.api.CtiApiException;
import io.ctifeeds.crowdsec.api.CtiPage;
import io.ctifeeds.crowdsec.api.CtiParser;
import io.ctifeeds.crowdsec.api.CtiRecord;
import io.ctifeeds.crowdsec.api.CtiUnavailableException;
import io.ctifeeds.crowdsec.http.CtiExchange;
import io.ctifeeds.crowdsec.mapping.CrowdSecStixMapper;
import io.ctifeeds.display.DisplayUrl;
import io.ctifeeds.feed.DelistingPolicy;
import io.ctifeeds.feed.FeedPolicy;
import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.feed.FeedRuns;
import io.ctifeeds.state.SnapshotEntry;
import io.ctifeeds.stix.StixObject;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CrowdSec CTI import as its route file configures it: which search, over which window, how far to page, and
 * the steps of each page (prepare the GET, read the answer, take the records, keep those that changed).
 *
 * <p>The window ({@code since}) reaches back to the start of the last successful run, and at least
 * {@code CROWDSEC_IMPORT_QUERY_SINCE} hours, so downtime leaves no gap. An IP the API returns again with the same
 * last_seen and score as when it was delivered carries nothing new and is not sent again: overlapping windows cost
 * the platform nothing twice.
 */
public class CrowdSecImport {

    private static final Logger LOG = LoggerFactory.getLogger(CrowdSecImport.class);
    /** records delivered although some of their fields were unusable (those fields were left out) */
    public static final FeedRun.Counter INCOMPLETE = FeedRun.Counter.optional("incomplete");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** CrowdSec forgets reports after three months (reputation "unknown"): a longer window finds nothing more. */
    public static final int MAX_SINCE_HOURS = 2160;
    /** The snapshot's score for an IP without CTI scores (real scores are 0..100). */
    static final int NO_SCORE = 255;

    // every value from the route file, whose defaults are application.properties'
    private String name;
    private io.ctifeeds.feed.FeedRegistry registry;
    private String apiBaseUrl;
    private String apiKey = "";
    private String query;
    private int querySinceHours;
    private int pageSize;
    private int threshold;
    private Duration period;
    private FeedRuns feedRuns;

    /**
     * Starts a run: its window, its first page, and the IPs delivered before that the window can still return.
     *
     * @param commonObjects the objects every bundle of the run carries (the mapping's)
     */
    public void beginRun(Exchange exchange, @Body List<StixObject> commonObjects) {
        FeedRun run = feedRuns.begin(exchange, name, DisplayUrl.of(searchUrl()), new FeedPolicy(0, Duration.ZERO,
                DelistingPolicy.KEEP), commonObjects);
        if (run == null) {
            return;
        }
        int since = sinceHours(querySinceHours, run.previousState().lastSuccess(), run.started());
        long cutoff = run.started().getEpochSecond() - since * 3600L;
        // an IP last seen before the window can only come back with a newer last_seen, i.e. changed
        for (Iterator<String> ips = run.previous().ips(); ips.hasNext(); ) {
            String ip = ips.next();
            SnapshotEntry entry = run.previous().get(ip);
            if (entry.epochSecond() >= cutoff) {
                run.next().put(ip, entry);
            }
        }
        int limit = Math.max(1, Math.min(pageSize, threshold));
        String first = searchUrl() + "?query=" + encode(query) + "&since=" + since + "h&limit=" + limit;
        // full pages reach the threshold in this many: a search that goes on past them is broken or hostile
        int maxPages = (Math.max(1, threshold) + limit - 1) / limit;
        exchange.setProperty(ImportProgress.PROPERTY, new ImportProgress(first, since, maxPages));
        LOG.info("{}: searching CrowdSec CTI for {} over the last {} h{}, up to {} IPs", name, query, since,
                run.previousState().lastSuccess() == null ? ""
                        : " (last success " + run.previousState().lastSuccess() + ")", threshold);
        if (period != null && Duration.ofHours(since).compareTo(period.plusHours(1)) > 0) {
            LOG.warn("{}: the search window ({} h) is longer than the time between runs ({}): each run pays quota "
                    + "again for the IPs the last one fetched; set CROWDSEC_IMPORT_QUERY_SINCE to about the "
                    + "schedule's period", name, since, period);
        }
    }

    /**
     * Before the GET of the current page (whose headers the route file sets): a page outside CrowdSec's origin is
     * refused, and nothing from the exchange goes with the request.
     */
    public void request(Exchange exchange, @ExchangeProperty(ImportProgress.PROPERTY) ImportProgress progress) {
        checkOrigin(progress.pageUrl());
        CtiExchange.clearForRequest(exchange.getMessage());
    }

    /** The key for the request's x-api-key header. */
    public String apiKey() {
        return apiKey;
    }

    /**
     * Body in: the HTTP answer. Body out: the page. A spent quota is not an error: the run stops paging, delivers
     * what it has, and falls short (the next run covers this window again).
     */
    public CtiPage answer(Exchange exchange, @ExchangeProperty(FeedRun.PROPERTY) FeedRun run,
                          @ExchangeProperty(ImportProgress.PROPERTY) ImportProgress progress)
            throws CtiUnavailableException {
        String what = "smoke/search page " + (progress.page() + 1);
        CtiAnswer answer = CtiExchange.answer(exchange.getMessage(), what, false, feedRuns.clock().instant(), JSON);
        if (answer instanceof CtiAnswer.Json page) {
            return CtiParser.parsePage(page.body());
        }
        run.fallShort("the CrowdSec quota of this key is spent (HTTP 429 Limit Exceeded on " + what + ", after "
                + progress.taken() + " IPs); what was fetched is delivered, and the next run searches this window "
                + "again");
        LOG.warn("{}: CrowdSec quota spent (429 Limit Exceeded) on {}; stopping this run cleanly", name, what);
        progress.nextPage(null);
        return new CtiPage(List.of(), List.of(), 0, null, null);
    }

    /**
     * Body in: a page. Body out: its records that this run takes (the first sighting of each IP, within the
     * threshold). Decides the next page: none after the last, after the threshold, or after a spent quota.
     */
    public List<CtiRecord> records(CtiPage page, @ExchangeProperty(FeedRun.PROPERTY) FeedRun run,
                                   @ExchangeProperty(ImportProgress.PROPERTY) ImportProgress progress) {
        if (progress.pageUrl() == null) {
            return List.of();
        }
        int pageNo = progress.pageFetched();
        run.increment(FeedRun.Counter.PAGES);
        if (page.problem() != null) {
            LOG.warn("{}: page {} carried no items: {}", name, pageNo, page.problem());
        }
        for (CtiPage.Reject reject : page.rejected()) {
            run.reject(reject.reason(), "page " + pageNo + " item " + reject.index());
        }
        run.add(FeedRun.Counter.DUPLICATES, page.duplicates());
        List<CtiRecord> taken = new ArrayList<>(page.records().size());
        Set<String> unusable = new LinkedHashSet<>();
        int incomplete = 0;
        int beyond = 0;
        for (CtiRecord record : page.records()) {
            if (progress.taken() >= threshold) {
                beyond++;
                continue;
            }
            progress.take();
            run.fetched();
            if (!progress.firstSighting(record.ip().value())) {
                run.increment(FeedRun.Counter.DUPLICATES);
                continue;
            }
            if (!record.unusable().isEmpty()) {
                incomplete++;
                unusable.addAll(record.unusable());
            }
            taken.add(record);
        }
        run.add(INCOMPLETE, incomplete);
        run.add(FeedRun.Counter.SKIPPED, beyond);
        if (incomplete > 0) {
            LOG.warn("{}: page {}: {} records with unusable fields, delivered without them: {}", name, pageNo,
                    incomplete, String.join(", ", List.copyOf(unusable).subList(0, Math.min(10, unusable.size()))));
        }
        if (progress.taken() >= threshold) {
            if (page.nextHref() != null || beyond > 0) {
                LOG.info("{}: {} IPs taken, CROWDSEC_ENRICHMENT_THRESHOLD_PER_IMPORT reached; the rest of the "
                        + "window is left for later runs", name, progress.taken());
            }
            progress.nextPage(null);
        } else {
            progress.nextPage(nextPage(page, pageNo, run, progress));
        }
        return taken;
    }

    /**
     * The next page to fetch, or null. A search that would never end is stopped: a next link after a page with no
     * usable item, a next link back to a page this run fetched, or more pages than the threshold takes in full
     * pages. The run then falls short (delivered what it took; the next run searches the window again).
     */
    private String nextPage(CtiPage page, int pageNo, FeedRun run, ImportProgress progress) {
        if (page.nextHref() == null) {
            return null;
        }
        String next = resolve(progress.pageUrl(), page.nextHref());
        String stop;
        if (page.records().isEmpty()) {
            stop = "page " + pageNo + " had no usable item but a next link";
        } else if (progress.fetched(next)) {
            stop = "page " + pageNo + " links to a page already fetched in this run";
        } else if (pageNo >= progress.maxPages()) {
            stop = pageNo + " pages fetched, as many as CROWDSEC_ENRICHMENT_THRESHOLD_PER_IMPORT (" + threshold
                    + " IPs) takes in full pages, and the search still has a next page";
        } else {
            return next;
        }
        run.fallShort("stopped paging: " + stop + "; what was taken is delivered, and the next run searches this "
                + "window again");
        LOG.warn("{}: stopped paging: {} (the search does not page as CrowdSec's does)", name, stop);
        return null;
    }

    /**
     * Body in: the records taken from a page. Body out: those with something new since they were last delivered
     * (a new IP, or a new last_seen or score); the rest count as unchanged.
     */
    public List<CtiRecord> toSend(List<CtiRecord> records, @ExchangeProperty(FeedRun.PROPERTY) FeedRun run,
                                  @ExchangeProperty(ImportProgress.PROPERTY) ImportProgress progress) {
        List<CtiRecord> out = new ArrayList<>(records.size());
        int fresh = 0;
        int changed = 0;
        for (CtiRecord record : records) {
            String ip = record.ip().value();
            Integer score = CrowdSecStixMapper.score(record.scores());
            SnapshotEntry entry = new SnapshotEntry(score == null ? NO_SCORE : score,
                    record.lastSeen() == null ? 0 : record.lastSeen().getEpochSecond());
            SnapshotEntry before = run.previous().get(ip);
            if (entry.equals(before)) {
                run.next().put(ip, before);
                run.increment(FeedRun.Counter.UNCHANGED);
                continue;
            }
            if (before == null) {
                fresh++;
                run.increment(FeedRun.Counter.NEW);
            } else {
                changed++;
                run.increment(FeedRun.Counter.CHANGED);
            }
            run.sending(ip, entry);
            out.add(record);
        }
        LOG.info("{}: page {}: {} IPs ({} new, {} changed, {} unchanged); {} taken so far, at most {}", name,
                progress.page(), records.size(), fresh, changed, records.size() - fresh - changed, progress.taken(),
                threshold);
        return out;
    }

    /** True while the run has a page to fetch. */
    public boolean hasNextPage(@ExchangeProperty(ImportProgress.PROPERTY) ImportProgress progress) {
        return progress != null && progress.pageUrl() != null;
    }

    /**
     * {@code since}: back to the start of the last successful run, rounded up to whole hours, and never less than
     * the configured hours nor more than CrowdSec keeps.
     */
    static int sinceHours(int configured, String lastSuccess, Instant now) {
        if (lastSuccess == null) {
            return configured;
        }
        long elapsed = Math.max(0, Duration.between(Instant.parse(lastSuccess), now).toSeconds());
        long hours = (elapsed + 3599) / 3600;
        return (int) Math.max(configured, Math.min(MAX_SINCE_HOURS, hours));
    }

    /** The next link, resolved against the page that gave it (as given when it cannot be: the GET refuses it). */
    static String resolve(String current, String href) {
        try {
            return URI.create(current).resolve(href.strip()).toString();
        } catch (IllegalArgumentException e) {
            return href;
        }
    }

    /**
     * The key goes with every request, so a page URL outside the API's origin (a next link elsewhere) is refused
     * rather than fetched. Checked when the page is requested, so the pages before it are delivered first.
     */
    void checkOrigin(String url) {
        URI page;
        try {
            page = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new CtiApiException("CrowdSec gave a next-page link that is not a URL; stopping the search");
        }
        if (!sameOrigin(URI.create(apiBaseUrl), page)) {
            throw new CtiApiException("CrowdSec gave a next-page link to " + DisplayUrl.of(url) + ", outside "
                    + DisplayUrl.of(apiBaseUrl) + "; not followed, as it would carry the API key there");
        }
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private String searchUrl() {
        String base = apiBaseUrl.endsWith("/") ? apiBaseUrl.substring(0, apiBaseUrl.length() - 1) : apiBaseUrl;
        return base + "/smoke/search";
    }

    /** Percent-encoding of a query value (spaces as %20, as CrowdSec's own links have them). */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getName() {
        return name;
    }

    /** Registers the import under its name (the bean's initMethod): the trigger, the report and the metrics ask there. */
    public void register() {
        registry.register(new io.ctifeeds.feed.FeedRegistry.Feed(name, "direct:crowdsec-import-run",
                DisplayUrl.of(apiBaseUrl) + "/smoke/search", this));
    }

    public void setRegistry(io.ctifeeds.feed.FeedRegistry registry) {
        this.registry = registry;
    }

    public void setApiBaseUrl(String apiBaseUrl) {
        this.apiBaseUrl = apiBaseUrl.trim();
    }

    /** Quotes around the key (a common copy-paste slip in compose files) are dropped, as the official connector does. */
    public void setApiKey(String apiKey) {
        this.apiKey = ApiKey.unquote(apiKey);
    }


    public void setQuery(String query) {
        this.query = query.strip();
    }

    public void setQuerySinceHours(int querySinceHours) {
        this.querySinceHours = querySinceHours;
    }

    public void setPageSize(int pageSize) {
        this.pageSize = pageSize;
    }

    public void setThreshold(int threshold) {
        this.threshold = threshold;
    }

    /** The time between runs without a cron (for the overlap warning); blank when a cron schedules the feed. */
    public void setPeriod(String period) {
        this.period = period == null || period.isBlank() ? null : Duration.parse(period.trim().toUpperCase(Locale.ROOT));
    }

    public void setFeedRuns(FeedRuns feedRuns) {
        this.feedRuns = feedRuns;
    }
}
