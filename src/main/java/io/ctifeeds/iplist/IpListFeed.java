package io.ctifeeds.iplist;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import io.ctifeeds.feed.DelistingPolicy;
import io.ctifeeds.display.DisplayUrl;
import io.ctifeeds.feed.DownloadGuard;
import io.ctifeeds.feed.FeedPolicy;
import io.ctifeeds.feed.FeedRegistry;
import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.feed.FeedRuns;
import io.ctifeeds.feed.IpRecord;
import io.ctifeeds.ip.IpAddress;
import io.ctifeeds.ip.IpNetwork;
import io.ctifeeds.state.DelistedIp;
import io.ctifeeds.stix.ExternalReference;
import io.ctifeeds.stix.Identity;
import io.ctifeeds.stix.StixObject;
import io.ctifeeds.stix.Tlp;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * One IP list feed, as an instance of the ip-list-feed route template declares it (routes/ip-list-feed.camel.yaml,
 * where every parameter is documented): where the list comes from, how its lines are read and scored, and whose
 * name the objects carry. The template's route registers it under its name when the route is built.
 */
public class IpListFeed {

    /** How x_opencti_score is chosen. */
    public enum ScoreMode {
        /** from the occurrence count when the line has one, else the default score */
        COUNT,
        /** always the default score */
        FIXED
    }

    /** The run endpoint every IP list feed shares (routes/ip-list-feed.camel.yaml). */
    public static final String RUN_URI = "direct:ip-list-run";

    /** The exchange property the fetch route's toD reads the URL from (not a header: headers may be logged). */
    public static final String URL_PROPERTY = "feedUrl";

    private String name;
    private String url;
    private String apiKey = "";
    private String author;
    private String description = "";
    private String referenceUrl = "";
    private String referenceDescription = "";
    private List<String> labels = List.of();
    private Tlp tlp = Tlp.WHITE;
    private Duration indicatorLifetime = Duration.ofDays(30);
    private int defaultScore = 60;
    private ScoreMode scoreMode = ScoreMode.COUNT;
    private int scoreBase = 20;
    private int scorePerList = 10;
    private int scoreMax = 100;
    private boolean skipNonPublic = true;
    private int ipv4MinPrefix = 8;
    private int ipv6MinPrefix = 32;
    private double minSizeRatio = 0.5;
    private DelistingPolicy delistingPolicy = DelistingPolicy.REVOKE;
    private FeedRegistry registry;
    private IpListStixMapper stix;

    /** Checks the parameters and registers the feed (the template's initMethod). */
    public void register() {
        require(name != null && name.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,63}"), "feed",
                "a name of letters, digits, '-' and '_' (it names the state, the metrics and the trigger URL)");
        require(url != null && url.matches("(?i)https?://\\S+"), "url", "an http(s) URL");
        require(author != null && !author.isBlank(), "author", "the name of the list's publisher");
        require(ipv4MinPrefix >= 0 && ipv4MinPrefix <= 32, "ipv4MinPrefix", "a prefix length from 0 to 32");
        require(ipv6MinPrefix >= 0 && ipv6MinPrefix <= 128, "ipv6MinPrefix", "a prefix length from 0 to 128");
        require(minSizeRatio >= 0 && minSizeRatio <= 1, "minSizeRatio", "a fraction from 0 to 1");
        ExternalReference reference = referenceUrl.isBlank() ? null : new ExternalReference(author.trim(),
                referenceUrl.trim(), referenceDescription.isBlank() ? null : referenceDescription.trim(), null);
        Identity identity = Identity.organization(author.trim(), description.isBlank() ? null : description.trim());
        stix = new IpListStixMapper(identity, reference, tlp, labels.isEmpty() ? List.of(name) : labels,
                indicatorLifetime);
        registry.register(new FeedRegistry.Feed(name, RUN_URI, DisplayUrl.of(url), this));
    }

    private void require(boolean valid, String parameter, String expected) {
        if (!valid) {
            throw new IllegalArgumentException("ip-list-feed " + (name == null ? "" : name + " ") + "parameter "
                    + parameter + ": expected " + expected);
        }
    }

    /** The schedule's step: names the feed a run at {@value #RUN_URI} is for. */
    public void nameRun(Exchange exchange) {
        exchange.setProperty(FeedRegistry.FEED_PROPERTY, name);
    }

    /** Starts a run and prepares the GET: conditional on the last good download, with the API key if any. */
    void beginRun(Exchange exchange, FeedRuns feedRuns) {
        FeedPolicy policy = new FeedPolicy(minSizeRatio, indicatorLifetime.dividedBy(2), delistingPolicy);
        FeedRun run = feedRuns.begin(exchange, name, DisplayUrl.of(url), policy, stix.commonObjects());
        if (run == null) {
            return;
        }
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setBody(null);
        message.setHeader(Exchange.HTTP_METHOD, "GET");
        message.setHeader("Accept", "text/plain, */*;q=0.5");
        exchange.setProperty(URL_PROPERTY, url);
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
     * One line of the list to its record, or null for a comment, a blank line, a rejected line, a skipped
     * (non-public) address or block, each counted on the run.
     */
    IpRecord parse(String line, FeedRun run) {
        ListLine parsed = read(line);
        if (parsed instanceof ListLine.Entry entry) {
            run.fetched();
            if (skips(entry)) {
                run.increment(FeedRun.Counter.SKIPPED);
                return null;
            }
            return new IpRecord(entry.ip(), entry.count(), score(entry.count()));
        }
        if (parsed instanceof ListLine.Rejected rejected) {
            run.reject(rejected.reason(), rejected.sample());
        }
        return null;
    }

    /**
     * What a run would read from the download, counted before anything is sent: the distinct records (as the
     * new snapshot will hold them) and the rejected lines. No counter of the run moves.
     */
    DownloadGuard.Listed count(Path download) {
        // IPv4 addresses, nearly every line of a real list, as ints: counting a list of a million IPs holds 4 MB
        // rather than a set of a million strings next to the run's own snapshot
        int[] v4 = new int[4096];
        int n = 0;
        Set<String> others = new HashSet<>();
        int rejected = 0;
        try (BufferedReader reader = Files.newBufferedReader(download, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                ListLine parsed = read(line);
                if (parsed instanceof ListLine.Entry entry && !skips(entry)) {
                    if (entry.ip() instanceof IpAddress address && address.version() == 4) {
                        if (n == v4.length) {
                            v4 = Arrays.copyOf(v4, n * 2);
                        }
                        v4[n++] = address.ipv4Bits();
                    } else {
                        others.add(entry.ip().value());
                    }
                } else if (parsed instanceof ListLine.Rejected) {
                    rejected++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the download " + download + ": " + e.getMessage(), e);
        }
        Arrays.sort(v4, 0, n);
        int distinct = others.size();
        for (int i = 0; i < n; i++) {
            if (i == 0 || v4[i] != v4[i - 1]) {
                distinct++;
            }
        }
        return new DownloadGuard.Listed(distinct, rejected);
    }

    /** A line as this feed reads it: the parser's answer, with a CIDR block wider than the feed allows refused. */
    private ListLine read(String line) {
        ListLine parsed = ListLine.parse(line);
        if (parsed instanceof ListLine.Entry entry && entry.ip() instanceof IpNetwork block) {
            int widest = block.version() == 4 ? ipv4MinPrefix : ipv6MinPrefix;
            if (block.prefixLength() < widest) {
                return new ListLine.Rejected("CIDR block wider than /" + widest + " (ipv" + block.version()
                        + "MinPrefix)", block.value());
            }
        }
        return parsed;
    }

    /** Whether the feed leaves the entry out: a non-public address, or a block that overlaps such space. */
    private boolean skips(ListLine.Entry entry) {
        return skipNonPublic && entry.ip().nonPublicReason().isPresent();
    }

    /** Lines of the list joined by LF to the records of those lines, in order. */
    List<IpRecord> parseLines(String lines, FeedRun run) {
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

    List<StixObject> toStix(IpRecord record, FeedRun run) {
        return stix.toStix(record, run);
    }

    List<StixObject> toStixDelisted(DelistedIp delisted, FeedRun run) {
        return stix.toStixDelisted(delisted, run);
    }

    /**
     * The documented scoring rule: with a count, {@code min(scoreMax, scoreBase + scorePerList * (count - 1))}
     * (20 for one list, 60 for five, 100 from nine on with the defaults, which matches the IPsum seed connector's
     * 60 for its default level 5); without one, the default score.
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
        this.name = name == null ? null : name.trim();
    }

    public void setUrl(String url) {
        this.url = url == null ? null : url.trim();
    }

    public void setApiKey(String apiKey) {
        this.apiKey = apiKey;
    }

    public void setAuthor(String author) {
        this.author = author;
    }

    public void setDescription(String description) {
        this.description = description == null ? "" : description;
    }

    public void setReferenceUrl(String referenceUrl) {
        this.referenceUrl = referenceUrl == null ? "" : referenceUrl;
    }

    public void setReferenceDescription(String referenceDescription) {
        this.referenceDescription = referenceDescription == null ? "" : referenceDescription;
    }

    /** Comma-separated; none means the feed's name. */
    public void setLabels(String labels) {
        this.labels = labels == null ? List.of()
                : Arrays.stream(labels.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public void setTlpLevel(String tlpLevel) {
        this.tlp = Tlp.fromConfig(tlpLevel);
    }

    public void setIndicatorLifetime(String isoDuration) {
        this.indicatorLifetime = Duration.parse(isoDuration.trim());
        if (indicatorLifetime.isNegative() || indicatorLifetime.isZero()) {
            throw new IllegalArgumentException("indicatorLifetime must be a positive ISO-8601 duration");
        }
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

    public void setIpv4MinPrefix(int ipv4MinPrefix) {
        this.ipv4MinPrefix = ipv4MinPrefix;
    }

    public void setIpv6MinPrefix(int ipv6MinPrefix) {
        this.ipv6MinPrefix = ipv6MinPrefix;
    }

    public void setMinSizeRatio(double minSizeRatio) {
        this.minSizeRatio = minSizeRatio;
    }

    public void setDelistingPolicy(String policy) {
        this.delistingPolicy = DelistingPolicy.fromConfig(policy);
    }

    public void setRegistry(FeedRegistry registry) {
        this.registry = registry;
    }
}
