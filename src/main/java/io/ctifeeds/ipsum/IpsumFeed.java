package io.ctifeeds.ipsum;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.ctifeeds.feed.DelistingPolicy;
import io.ctifeeds.feed.DisplayUrl;
import io.ctifeeds.feed.FeedPolicy;
import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.feed.FeedRuns;
import io.ctifeeds.feed.IpRecord;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;

/**
 * One IPsum feed as configured in its route file: where it comes from, how its lines are read and scored.
 * A second IPsum route (another level) declares a second bean of this class with its own name.
 */
public class IpsumFeed implements CamelContextAware {

    /** How x_opencti_score is chosen. */
    public enum ScoreMode {
        /** from the occurrence count when the line has one, else the default score */
        COUNT,
        /** always the default score */
        FIXED
    }

    private String name = "ipsum";
    private String url;
    private String apiKey = "";
    private int defaultScore = 60;
    private ScoreMode scoreMode = ScoreMode.COUNT;
    private int scoreBase = 20;
    private int scorePerList = 10;
    private int scoreMax = 100;
    private boolean skipNonPublic = true;
    private double minSizeRatio = 0.5;
    private DelistingPolicy delistingPolicy = DelistingPolicy.REVOKE;
    private CamelContext camelContext;
    private IpsumStixMapper stix;

    /** Starts a run and prepares the GET: conditional on the last good download, with the API key if any. */
    public void beginRun(Exchange exchange) {
        FeedPolicy policy = new FeedPolicy(minSizeRatio, stix.indicatorLifetime().dividedBy(2), delistingPolicy);
        FeedRun run = feedRuns().begin(exchange, name, DisplayUrl.of(url), policy, stix.commonObjects());
        if (run == null) {
            return;
        }
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setBody(null);
        message.setHeader(Exchange.HTTP_METHOD, "GET");
        message.setHeader("Accept", "text/plain, */*;q=0.5");
        if (run.sameSourceAsBefore() && !run.refreshDue()) {
            // validators of a download whose run succeeded only: a 304 must never hide unprocessed data. Nor
            // hold back a refresh: a 304 has no lines to re-send, and the indicators of IPs still listed would
            // expire; when one is due, the whole list is fetched and what is due goes out again
            Optional.ofNullable(run.previousState().etag()).ifPresent(v -> message.setHeader("If-None-Match", v));
            Optional.ofNullable(run.previousState().lastModified())
                    .ifPresent(v -> message.setHeader("If-Modified-Since", v));
        }
        if (apiKey != null && !apiKey.isBlank()) {
            message.setHeader("Authorization", "Bearer " + apiKey.trim());
        }
    }

    /**
     * Body in: one line of the feed. Body out: the record, or null for a comment, a blank line, a rejected
     * line or a skipped (non-public) address, each counted on the run.
     */
    public IpRecord parse(String line, @ExchangeProperty(FeedRun.PROPERTY) FeedRun run) {
        IpsumLine parsed = IpsumLine.parse(line);
        if (parsed instanceof IpsumLine.Entry entry) {
            run.fetched();
            if (skipNonPublic && entry.ip().nonPublicReason().isPresent()) {
                run.increment(FeedRun.Counter.SKIPPED);
                return null;
            }
            return new IpRecord(entry.ip(), entry.count(), score(entry.count()));
        }
        if (parsed instanceof IpsumLine.Rejected rejected) {
            run.reject(rejected.reason(), rejected.sample());
        }
        return null;
    }

    /** Body in: lines of the feed joined by LF. Body out: the records of those lines, in order. */
    public List<IpRecord> parseLines(String lines, @ExchangeProperty(FeedRun.PROPERTY) FeedRun run) {
        List<IpRecord> out = new ArrayList<>();
        int start = 0;
        int n = lines.length();
        while (start < n) {
            int end = lines.indexOf('\n', start);
            if (end < 0) {
                end = n;
            }
            IpRecord record = parse(lines.substring(start, end), run);
            if (record != null) {
                out.add(record);
            }
            start = end + 1;
        }
        return out;
    }

    /**
     * The documented scoring rule: with a count, {@code min(scoreMax, scoreBase + scorePerList * (count - 1))}
     * (20 for one list, 60 for five, 100 from nine on with the defaults, which matches the seed connector's 60
     * for its default level 5); without one, the default score.
     */
    int score(Integer count) {
        if (scoreMode == ScoreMode.FIXED || count == null) {
            return defaultScore;
        }
        long score = (long) scoreBase + (long) scorePerList * (count - 1);
        return (int) Math.max(0, Math.min(scoreMax, score));
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public void setApiKey(String apiKey) {
        this.apiKey = apiKey;
    }

    public void setDefaultScore(int defaultScore) {
        this.defaultScore = defaultScore;
    }

    public void setScoreMode(String scoreMode) {
        this.scoreMode = ScoreMode.valueOf(scoreMode.trim().toUpperCase(Locale.ROOT));
    }

    public void setScoreBase(int scoreBase) {
        this.scoreBase = scoreBase;
    }

    public void setScorePerList(int scorePerList) {
        this.scorePerList = scorePerList;
    }

    public void setScoreMax(int scoreMax) {
        this.scoreMax = scoreMax;
    }

    public void setSkipNonPublic(boolean skipNonPublic) {
        this.skipNonPublic = skipNonPublic;
    }

    public void setMinSizeRatio(double minSizeRatio) {
        this.minSizeRatio = minSizeRatio;
    }

    public void setDelistingPolicy(String policy) {
        this.delistingPolicy = DelistingPolicy.fromConfig(policy);
    }

    /** Looked up when a run begins: route-file beans are made before the application's own beans exist. */
    private FeedRuns feedRuns() {
        return camelContext.getRegistry().lookupByNameAndType("feedRuns", FeedRuns.class);
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    public void setStix(IpsumStixMapper stix) {
        this.stix = stix;
    }
}
