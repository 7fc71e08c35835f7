package io.ctifeeds.ipsum;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import io.ctifeeds.feed.DelistingPolicy;
import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.feed.IpRecord;
import io.ctifeeds.ip.IpAddress;
import io.ctifeeds.state.DelistedIp;
import io.ctifeeds.stix.ExternalReference;
import io.ctifeeds.stix.Identity;
import io.ctifeeds.stix.Indicator;
import io.ctifeeds.stix.IpObservable;
import io.ctifeeds.stix.Relationship;
import io.ctifeeds.stix.StixIds;
import io.ctifeeds.stix.StixObject;
import io.ctifeeds.stix.StixTimestamps;
import io.ctifeeds.stix.Tlp;
import org.apache.camel.ExchangeProperty;

/**
 * Maps an IPsum record to STIX 2.1: the observable, an indicator whose pattern is built from the validated
 * canonical address only, and the indicator's based-on relationship to the observable; all authored by the
 * IPsum identity and marked with the configured TLP.
 */
public class IpsumStixMapper {

    static final Identity AUTHOR = Identity.organization("IPsum",
            "IPsum is a threat intelligence feed based on 30+ different publicly available lists of suspicious "
                    + "and/or malicious IP addresses.");
    static final ExternalReference REFERENCE = new ExternalReference("IPsum",
            "https://github.com/stamparm/ipsum", "All lists are automatically retrieved and parsed on a daily "
            + "(24h) basis.", null);

    private Tlp tlp = Tlp.WHITE;
    private List<String> labels = List.of("ipsum");
    private Duration indicatorLifetime = Duration.ofDays(30);

    public List<StixObject> commonObjects() {
        return List.of(tlp.marking(), AUTHOR);
    }

    /** Body in: {@link IpRecord}. Body out: observable, indicator, relationship. */
    public List<StixObject> toStix(IpRecord record, @ExchangeProperty(FeedRun.PROPERTY) FeedRun run) {
        IpAddress ip = record.ip();
        String now = run.timestamp();
        String validUntil = StixTimestamps.format(run.started().plus(indicatorLifetime));
        List<String> markings = List.of(tlp.id());
        IpObservable observable = new IpObservable(ip.stixType(), StixIds.observable(ip.stixType(), ip.value()),
                ip.value(), markings, record.score(), null, labels, AUTHOR.id(), List.of(REFERENCE));
        Indicator indicator = indicator(ip, record.score(), description(record), now, now, now, validUntil, false);
        Relationship basedOn = Relationship.of("based-on", indicator.id(), observable.id(), now, AUTHOR.id(),
                markings);
        return List.of(observable, indicator, basedOn);
    }

    /**
     * Body in: an IP that left the feed. Body out: its indicator re-sent revoked, or with valid_until set to
     * now, per the feed's delisting policy; same id, so the platform updates the indicator it has.
     */
    public List<StixObject> toStixDelisted(DelistedIp delisted, @ExchangeProperty(FeedRun.PROPERTY) FeedRun run) {
        IpAddress ip = IpAddress.parse(delisted.ip());
        Instant sent = Instant.ofEpochSecond(delisted.lastDelivered().epochSecond());
        Instant now = run.started();
        String validFrom = StixTimestamps.format(sent);
        String description = "No longer listed by IPsum since " + run.timestamp() + ".";
        Indicator indicator;
        if (run.policy().delisting() == DelistingPolicy.EXPIRE) {
            // valid_until must be later than valid_from; a same-second re-listing gets the smallest gap
            Instant until = now.isAfter(sent) ? now : sent.plusSeconds(1);
            indicator = indicator(ip, delisted.lastDelivered().score(), description, validFrom, run.timestamp(),
                    validFrom, StixTimestamps.format(until), false);
        } else {
            indicator = indicator(ip, delisted.lastDelivered().score(), description, validFrom, run.timestamp(),
                    validFrom, StixTimestamps.format(sent.plus(indicatorLifetime)), true);
        }
        return List.of(indicator);
    }

    private Indicator indicator(IpAddress ip, int score, String description, String created, String modified,
                                String validFrom, String validUntil, boolean revoked) {
        String pattern = "[" + ip.stixType() + ":value = '" + ip.value() + "']";
        return new Indicator(StixIds.indicator(pattern), created, modified, AUTHOR.id(), ip.value(), description,
                List.of("malicious-activity"), pattern, "stix", validFrom, validUntil, revoked, null, labels,
                List.of(tlp.id()), List.of(REFERENCE), score, ip.openctiType());
    }

    private static String description(IpRecord record) {
        return record.count() == null
                ? "Listed by IPsum."
                : "Listed by IPsum: seen on " + record.count() + (record.count() == 1 ? " blacklist." : " blacklists.");
    }

    public Duration indicatorLifetime() {
        return indicatorLifetime;
    }

    public void setTlpLevel(String tlpLevel) {
        this.tlp = Tlp.fromConfig(tlpLevel);
    }

    public void setLabels(String labels) {
        this.labels = Arrays.stream(labels.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public void setIndicatorLifetime(String isoDuration) {
        this.indicatorLifetime = Duration.parse(isoDuration.trim());
    }
}
