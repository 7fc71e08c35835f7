package io.ctifeeds.crowdsec.enrich;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.ctifeeds.crowdsec.mapping.MappedIp;
import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.stix.ExternalReference;
import io.ctifeeds.stix.Indicator;
import io.ctifeeds.stix.IpObservable;
import io.ctifeeds.stix.StixObject;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * The Content Enricher's strategy: merges the objects of an IP's CrowdSec record into those the feed made for it. The
 * two sources describe the same observable and (with the same pattern) the same indicator, which have one id each:
 * the feed's objects stay, with CrowdSec's labels and references added, the higher score, and CrowdSec's
 * confidence when the feed gives none. Everything else CrowdSec adds comes along (techniques, CVEs, countries,
 * sighting, note, with CrowdSec as their author), except what the feed already sent under the same id.
 * Without a record (unknown IP, failed lookup) the feed's objects go on as they are.
 */
public class EnrichmentMerge implements AggregationStrategy {

    @Override
    @SuppressWarnings("unchecked")
    public Exchange aggregate(Exchange original, Exchange lookup) {
        Object answer = lookup == null ? null : lookup.getMessage().getBody();
        FeedRun run = original.getProperty(FeedRun.PROPERTY, FeedRun.class);
        if (!(answer instanceof MappedIp cti) || run == null) {
            return original;
        }
        List<StixObject> feed = (List<StixObject>) original.getMessage().getBody();
        original.getMessage().setBody(merge(feed, cti, run));
        run.increment(CrowdSecEnrichment.ENRICHED);
        return original;
    }

    static List<StixObject> merge(List<StixObject> feed, MappedIp cti, FeedRun run) {
        Map<String, StixObject> ctiOwn = new LinkedHashMap<>();
        cti.objects().forEach(o -> ctiOwn.put(o.id(), o));
        Set<String> feedIds = new HashSet<>();
        feed.forEach(o -> feedIds.add(o.id()));

        List<StixObject> shared = cti.shared();
        run.shareable(shared);
        List<StixObject> merged = new ArrayList<>(shared.size() + feed.size() + ctiOwn.size());
        merged.addAll(shared);
        for (StixObject own : feed) {
            StixObject theirs = ctiOwn.get(own.id());
            if (own instanceof IpObservable o && theirs instanceof IpObservable t) {
                merged.add(new IpObservable(o.type(), o.id(), o.value(), o.objectMarkingRefs(),
                        max(o.score(), t.score()), o.description(), union(o.labels(), t.labels()), o.createdByRef(),
                        union(o.externalReferences(), t.externalReferences())));
            } else if (own instanceof Indicator o && theirs instanceof Indicator t) {
                merged.add(new Indicator(o.id(), o.created(), o.modified(), o.createdByRef(), o.name(),
                        o.description(), o.indicatorTypes(), o.pattern(), o.patternType(), o.validFrom(),
                        o.validUntil(), o.revoked(), o.confidence() != null ? o.confidence() : t.confidence(),
                        union(o.labels(), t.labels()), o.objectMarkingRefs(),
                        union(o.externalReferences(), t.externalReferences()), max(o.score(), t.score()),
                        o.mainObservableType()));
            } else {
                merged.add(own);
            }
        }
        for (StixObject theirs : ctiOwn.values()) {
            if (!feedIds.contains(theirs.id())) {
                merged.add(theirs);
            }
        }
        return merged;
    }

    private static Integer max(Integer a, Integer b) {
        return a == null ? b : b == null ? a : Math.max(a, b);
    }

    /** Labels compare as the platform does (case-insensitively); references by value. */
    private static <T> List<T> union(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a == null ? List.of() : a);
        Set<Object> seen = new HashSet<>();
        out.forEach(v -> seen.add(key(v)));
        for (T v : b == null ? List.<T>of() : b) {
            if (seen.add(key(v))) {
                out.add(v);
            }
        }
        return out;
    }

    private static Object key(Object v) {
        return v instanceof String s ? s.toLowerCase(Locale.ROOT) : v instanceof ExternalReference r
                ? Objects.requireNonNullElse(r.url(), r.sourceName()) : v;
    }

}
