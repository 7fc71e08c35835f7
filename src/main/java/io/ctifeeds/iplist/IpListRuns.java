package io.ctifeeds.iplist;

import java.nio.file.Path;
import java.util.List;

import io.ctifeeds.feed.DownloadGuard;
import io.ctifeeds.feed.FeedRegistry;
import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.feed.FeedRuns;
import io.ctifeeds.feed.IpRecord;
import io.ctifeeds.state.DelistedIp;
import io.ctifeeds.stix.StixObject;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;

/**
 * The steps of routes/ip-list-feed.camel.yaml, shared by every IP list feed: each step works for the feed the
 * run is for, found once in the registry when the run begins and carried in the exchange property
 * {@value #PROPERTY}.
 */
public class IpListRuns {

    public static final String PROPERTY = "ipListFeed";

    private final FeedRegistry registry;
    private final FeedRuns feedRuns;

    public IpListRuns(FeedRegistry registry, FeedRuns feedRuns) {
        this.registry = registry;
        this.feedRuns = feedRuns;
    }

    /** Starts the run of the feed named by the exchange property {@value FeedRegistry#FEED_PROPERTY}. */
    public void beginRun(Exchange exchange) {
        String name = exchange.getProperty(FeedRegistry.FEED_PROPERTY, String.class);
        IpListFeed feed = registry.find(name).map(FeedRegistry.Feed::feed)
                .filter(IpListFeed.class::isInstance).map(IpListFeed.class::cast)
                .orElseThrow(() -> new IllegalStateException("no IP list feed named " + name));
        exchange.setProperty(PROPERTY, feed);
        feed.beginRun(exchange, feedRuns);
    }

    /** Body in: lines of the list joined by LF. Body out: the records of those lines, in order. */
    public List<IpRecord> parseLines(String lines, @ExchangeProperty(PROPERTY) IpListFeed feed,
                                     @ExchangeProperty(FeedRun.PROPERTY) FeedRun run) {
        return feed.parseLines(lines, run);
    }

    /** Body: the download on disk. What the run would read from it, counted before anything is sent. */
    public DownloadGuard.Listed countListed(Path download, @ExchangeProperty(PROPERTY) IpListFeed feed) {
        return feed.count(download);
    }

    /** Body in: a record. Body out: its observable, indicator and relationship. */
    public List<StixObject> toStix(IpRecord record, @ExchangeProperty(PROPERTY) IpListFeed feed,
                                   @ExchangeProperty(FeedRun.PROPERTY) FeedRun run) {
        return feed.toStix(record, run);
    }

    /** Body in: an IP that left the list. Body out: its indicator, revoked or expired per the feed's policy. */
    public List<StixObject> toStixDelisted(DelistedIp delisted, @ExchangeProperty(PROPERTY) IpListFeed feed,
                                           @ExchangeProperty(FeedRun.PROPERTY) FeedRun run) {
        return feed.toStixDelisted(delisted, run);
    }
}
