package io.ctifeeds.iplist;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.ctifeeds.feed.DelistingPolicy;
import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.feed.IpRecord;
import io.ctifeeds.ip.IpValue;
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

/**
 * Maps a record of an IP list to STIX 2.1: the observable (an address or a CIDR block), an indicator whose pattern
 * is built from the validated canonical value only, and the indicator's based-on relationship to the observable;
 * all authored by the list's identity and marked with the feed's TLP.
 *
 * @param author            the list's identity (its pycti id comes from its name)
 * @param reference         the external reference every object carries, or null
 * @param tlp               the marking of every object
 * @param labels            the labels of the observable and the indicator
 * @param indicatorLifetime how long an indicator is valid after it was sent
 */
record IpListStixMapper(Identity author, ExternalReference reference, Tlp tlp, List<String> labels,
                        Duration indicatorLifetime) {

    public List<StixObject> commonObjects() {
        return List.of(tlp.marking(), author);
    }

    /** The observable, the indicator and their relationship. */
    public List<StixObject> toStix(IpRecord record, FeedRun run) {
        IpValue ip = record.ip();
        String now = run.timestamp();
        String validUntil = StixTimestamps.format(run.started().plus(indicatorLifetime));
        List<String> markings = List.of(tlp.id());
        IpObservable observable = new IpObservable(ip.stixType(), StixIds.observable(ip.stixType(), ip.value()),
                ip.value(), markings, record.score(), null, labels, author.id(), references());
        Indicator indicator = indicator(ip, record.score(), description(record), now, now, now, validUntil, false);
        Relationship basedOn = Relationship.of("based-on", indicator.id(), observable.id(), now, author.id(),
                markings);
        return List.of(observable, indicator, basedOn);
    }

    /**
     * An IP that left the feed: its indicator re-sent revoked, or with valid_until set to now, per the feed's
     * delisting policy; same id, so the platform updates the indicator it has.
     */
    public List<StixObject> toStixDelisted(DelistedIp delisted, FeedRun run) {
        IpValue ip = IpValue.parse(delisted.ip());
        Instant sent = Instant.ofEpochSecond(delisted.lastDelivered().epochSecond());
        Instant now = run.started();
        String validFrom = StixTimestamps.format(sent);
        String description = "No longer listed by " + author.name() + " since " + run.timestamp() + ".";
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

    private Indicator indicator(IpValue ip, int score, String description, String created, String modified,
                                String validFrom, String validUntil, boolean revoked) {
        String pattern = "[" + ip.stixType() + ":value = '" + ip.value() + "']";
        return new Indicator(StixIds.indicator(pattern), created, modified, author.id(), ip.value(), description,
                List.of("malicious-activity"), pattern, "stix", validFrom, validUntil, revoked, null, labels,
                List.of(tlp.id()), references(), score, ip.openctiType());
    }

    private String description(IpRecord record) {
        return record.count() == null
                ? "Listed by " + author.name() + "."
                : "Listed by " + author.name() + ": seen on " + record.count()
                        + (record.count() == 1 ? " blacklist." : " blacklists.");
    }

    private List<ExternalReference> references() {
        // absent rather than empty: STIX lists have at least one item
        return reference == null ? null : List.of(reference);
    }
}
