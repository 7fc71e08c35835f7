package io.ctifeeds.crowdsec.mapping;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.ctifeeds.crowdsec.api.Countries;
import io.ctifeeds.crowdsec.api.CtiRecord.Blocklist;
import io.ctifeeds.crowdsec.api.CtiRecord.Item;
import io.ctifeeds.crowdsec.api.CtiRecord.Score;
import io.ctifeeds.crowdsec.api.CtiRecord;
import io.ctifeeds.ip.IpAddress;
import io.ctifeeds.stix.AttackPattern;
import io.ctifeeds.stix.ExternalReference;
import io.ctifeeds.stix.IdRules;
import io.ctifeeds.stix.Identity;
import io.ctifeeds.stix.Indicator;
import io.ctifeeds.stix.IpObservable;
import io.ctifeeds.stix.Label;
import io.ctifeeds.stix.Location;
import io.ctifeeds.stix.Note;
import io.ctifeeds.stix.Relationship;
import io.ctifeeds.stix.Sighting;
import io.ctifeeds.stix.StixIds;
import io.ctifeeds.stix.StixObject;
import io.ctifeeds.stix.StixTimestamps;
import io.ctifeeds.stix.Vulnerability;

/**
 * Maps one CrowdSec CTI record to STIX 2.1, as the official import connector does (seed-connectors §2.5) without
 * its bugs. Stateless and thread-safe; every id is pycti's.
 *
 * <p>Per IP: the observable ({@code x_opencti_score} from the CTI scores, labels, the CTI link); an indicator when
 * the reputation is one of {@link CrowdSecMapping#indicatorCreateFrom()}, CrowdSec lists no false positive and the
 * score is high enough, valid from last_seen for the configured lifetime, with its {@code based-on} relationship;
 * {@code indicates} relationships to the ATT&amp;CK techniques (or {@code related-to} from the observable when there
 * is no indicator); {@code related-to} relationships from the CVEs; one sighting of the indicator by CrowdSec; one
 * note. Shared, unattributed and unmarked: the techniques (same ids as the MITRE connector's), the CVEs, the
 * target countries, the labels with their colours; and, ours, the technique-targets-country relationships.
 */
public final class CrowdSecStixMapper {

    public static final Identity AUTHOR = Identity.organization("CrowdSec",
            "Curated Threat Intelligence Powered by the Crowd",
            List.of(new ExternalReference("Crowdsec CTI", "https://app.crowdsec.net/cti/", null, null)));

    /**
     * created/modified of the shared entities. A fixed value keeps them byte-identical across runs and IPs, and
     * never newer than the same technique or country from its reference source.
     */
    static final String SHARED_TIMESTAMP = "2020-01-01T00:00:00.000Z";

    static final String CTI_URL = "https://app.crowdsec.net/cti/";
    static final String ATTACK_URL = "https://attack.mitre.org/techniques/";

    private final CrowdSecMapping mapping;
    private final List<String> markings;
    private final SharedObjectMemo memo = new SharedObjectMemo(50_000);

    public CrowdSecStixMapper(CrowdSecMapping mapping) {
        this.mapping = Objects.requireNonNull(mapping, "mapping");
        this.markings = List.of(mapping.tlp().id());
    }

    public CrowdSecMapping mapping() {
        return mapping;
    }

    /** The TLP marking and the CrowdSec identity that everything authored refers to; once per bundle. */
    public List<StixObject> commonObjects() {
        return List.of(mapping.tlp().marking(), AUTHOR);
    }

    /**
     * Maps one record. Never throws on a record.
     *
     * @param now   created/modified of what the feed authors; pass the run's start, the same for every record of
     *              a run, so that relationships shared between IPs are identical too
     * @param rules the id rules of the platform the run delivers to (the run's)
     */
    public MappedIp map(CtiRecord r, Instant now, IdRules rules) {
        String timestamp = StixTimestamps.format(now);
        IpAddress ip = r.ip();
        Integer score = score(r.scores());
        Integer confidence = confidence(r.confidence());
        List<Label> labels = LabelPicker.pick(r, mapping.labels(),
                (value, color) -> memo.get(List.of("label", value, color, rules), () -> Label.of(value, color, rules)));
        List<String> labelValues = labels.stream().map(Label::value).toList();
        ExternalReference ctiLink = new ExternalReference("CrowdSec CTI", CTI_URL + ip.value(),
                "CrowdSec CTI url for this IP", null);

        List<StixObject> own = new ArrayList<>();
        List<StixObject> shared = new ArrayList<>(labels);

        IpObservable observable = new IpObservable(ip.stixType(), StixIds.observable(ip.stixType(), ip.value()),
                ip.value(), markings, score, null, labelValues, AUTHOR.id(), List.of(ctiLink));
        own.add(observable);

        Indicator indicator = wantsIndicator(r, score)
                ? indicator(r, score, confidence, labelValues, ctiLink, timestamp, now) : null;
        if (indicator != null) {
            own.add(indicator);
            own.add(relationship("based-on", indicator.id(), observable.id(), timestamp));
        }

        List<AttackPattern> techniques = mapping.attackPatternCreateFromMitre() ? r.mitreTechniques().stream()
                .map(t -> memo.get(List.of(t, rules), () -> attackPattern(t, rules))).toList() : List.of();
        shared.addAll(techniques);
        for (AttackPattern technique : techniques) {
            own.add(indicator != null
                    ? relationship("indicates", indicator.id(), technique.id(), timestamp)
                    : relationship("related-to", observable.id(), technique.id(), timestamp));
        }

        if (mapping.vulnerabilityCreateFromCve()) {
            for (String cve : r.cves()) {
                Vulnerability vulnerability = memo.get(List.of("cve", cve), () -> new Vulnerability(
                        StixIds.vulnerability(cve), SHARED_TIMESTAMP, SHARED_TIMESTAMP, null, cve, null, null, null));
                shared.add(vulnerability);
                own.add(relationship("related-to", vulnerability.id(), observable.id(), timestamp));
            }
        }

        boolean countrySightings = mapping.createTargetedCountriesSightings() && indicator != null;
        // as the official connector: countries only when something links to them
        if (mapping.createLocations() && (!techniques.isEmpty() || countrySightings)) {
            Map<String, Location> countries = countries(r);
            shared.addAll(countries.values());
            for (AttackPattern technique : techniques) {
                for (Location country : countries.values()) {
                    shared.add(memo.get(List.of("targets", technique.id(), country.id(), timestamp),
                            () -> relationship("targets", technique.id(), country.id(), timestamp)));
                }
            }
            if (countrySightings) {
                countries.forEach((code, country) -> own.add(countrySighting(r, indicator, country,
                        r.targetCountries().get(code), confidence, timestamp)));
            }
        }

        if (mapping.createSighting() && indicator != null) {
            own.add(sighting(r, indicator, confidence, ctiLink, techniques, timestamp));
        }
        if (mapping.createNote()) {
            own.add(note(r, observable, indicator, now, rules));
        }
        return new MappedIp(ip, own, shared);
    }

    /**
     * {@code x_opencti_score} from CrowdSec's 0..5 total, ×20: the three-month window, else the most recent
     * window that has one; null without any, so the platform's default applies.
     */
    public static Integer score(CtiRecord.Scores scores) {
        for (Score window : new Score[] {scores.overall(), scores.lastMonth(), scores.lastWeek(), scores.lastDay()}) {
            if (window != null && window.total() != null) {
                return window.total() * 20;
            }
        }
        return null;
    }

    /** The official connector's scale: high 90, medium 60, low 30, none 0; anything else: no confidence. */
    static Integer confidence(String confidence) {
        if (confidence == null) {
            return null;
        }
        return switch (confidence) {
            case "high" -> 90;
            case "medium" -> 60;
            case "low" -> 30;
            case "none" -> 0;
            default -> null;
        };
    }

    private boolean wantsIndicator(CtiRecord r, Integer score) {
        if (r.reputation() == null || !mapping.indicatorCreateFrom().contains(r.reputation()) || r.isFalsePositive()) {
            return false;
        }
        return mapping.indicatorMinScore() == 0 || (score != null && score >= mapping.indicatorMinScore());
    }

    private Indicator indicator(CtiRecord r, Integer score, Integer confidence, List<String> labels,
                                ExternalReference ctiLink, String timestamp, Instant now) {
        IpAddress ip = r.ip();
        String pattern = "[" + ip.stixType() + ":value = '" + ip.value() + "']";
        // last_seen, so that the lifetime (and OpenCTI's decay) counts from CrowdSec's latest report
        Instant validFrom = r.lastSeen() != null ? r.lastSeen() : r.firstSeen() != null ? r.firstSeen() : now;
        List<ExternalReference> references = new ArrayList<>();
        references.add(ctiLink);
        for (Blocklist list : r.references()) {
            if (!list.urls().isEmpty()) {
                references.add(new ExternalReference(list.label() != null ? list.label() : list.name(),
                        list.urls().get(0), list.description(), null));
            }
        }
        return new Indicator(StixIds.indicator(pattern), timestamp, timestamp, AUTHOR.id(),
                "CrowdSec CTI (" + r.reputation() + " IP: " + ip.value() + ")",
                "CrowdSec CTI detection for " + ip.value(),
                r.reputation().equals("malicious") ? List.of("malicious-activity") : null,
                pattern, "stix", StixTimestamps.format(validFrom),
                StixTimestamps.format(validFrom.plus(mapping.indicatorLifetime())), false, confidence, labels,
                markings, references, score, ip.openctiType());
    }

    /** Named and keyed as the MITRE ATT&CK connector does, so both are one entity in OpenCTI. */
    static AttackPattern attackPattern(Item technique, IdRules rules) {
        String mitreId = technique.name();
        ExternalReference attack = new ExternalReference("mitre-attack", techniqueUrl(mitreId), null, mitreId);
        return new AttackPattern(rules.attackPattern(technique.label(), mitreId), SHARED_TIMESTAMP,
                SHARED_TIMESTAMP, null, technique.label() != null ? technique.label() : mitreId,
                technique.description(), null, List.of(attack), mitreId);
    }

    /** ATT&CK's own form: a sub-technique T1110.001 lives under T1110/001, without a trailing slash. */
    static String techniqueUrl(String mitreId) {
        return ATTACK_URL + mitreId.replace('.', '/');
    }

    private Map<String, Location> countries(CtiRecord r) {
        Map<String, Location> countries = new LinkedHashMap<>();
        for (String code : r.targetCountries().keySet()) {
            Countries.byAlpha2(code).ifPresent(c -> countries.put(code, memo.get(List.of("country", code),
                    () -> Location.ofCountry(c.name(), c.alpha2(), c.aliases(), SHARED_TIMESTAMP))));
        }
        return countries;
    }

    /**
     * One sighting of the indicator by CrowdSec per IP, whatever the dates: its id is pycti's without dates
     * (PROTOCOL §5.4's form), so a new last_seen updates the sighting instead of adding one.
     */
    private Sighting sighting(CtiRecord r, Indicator indicator, Integer confidence, ExternalReference ctiLink,
                              List<AttackPattern> techniques, String timestamp) {
        List<String> where = List.of(AUTHOR.id());
        List<ExternalReference> references = new ArrayList<>();
        references.add(ctiLink);
        techniques.forEach(t -> references.addAll(t.externalReferences()));
        return new Sighting(StixIds.sighting(indicator.id(), where, null, null), timestamp, timestamp, AUTHOR.id(),
                "CrowdSec CTI sighting for IP: " + r.ip().value(), format(r.firstSeen()), format(r.lastSeen()), 1,
                indicator.id(), where, confidence, markings, references);
    }

    /** The official connector's optional per-country sighting, the share of reports as its count. */
    private Sighting countrySighting(CtiRecord r, Indicator indicator, Location country, Integer percent,
                                     Integer confidence, String timestamp) {
        List<String> where = List.of(country.id());
        return new Sighting(StixIds.sighting(indicator.id(), where, null, null), timestamp, timestamp, AUTHOR.id(),
                "CrowdSec CTI sighting for country: " + country.country(), format(r.firstSeen()),
                format(r.lastSeen()), percent, indicator.id(), where, confidence, markings, null);
    }

    /**
     * One note per IP and profile: pycti keys a note on (created, content), created is the IP's first_seen (fixed
     * for the IP), and the content leaves out what changes on every report ({@link NoteContent}). A run that sees
     * nothing new re-sends the same note; a changed profile adds one note, as a new assessment should. Without
     * first_seen the id is keyed on the content alone (pycti allows it) and created is the run's time.
     */
    private Note note(CtiRecord r, IpObservable observable, Indicator indicator, Instant now, IdRules rules) {
        String content = NoteContent.of(r);
        String created = format(r.firstSeen());
        Instant modified = r.firstSeen() != null && r.firstSeen().isAfter(now) ? r.firstSeen() : now;
        List<String> refs = indicator == null ? List.of(observable.id()) : List.of(observable.id(), indicator.id());
        return Note.of(created, created != null ? created : StixTimestamps.format(now),
                StixTimestamps.format(modified), AUTHOR.id(), "CrowdSec enrichment for " + r.ip().value(), content,
                List.of("external"), refs, null, markings, null, rules);
    }

    private Relationship relationship(String type, String source, String target, String timestamp) {
        return Relationship.of(type, source, target, timestamp, AUTHOR.id(), markings);
    }

    private static String format(Instant instant) {
        return instant == null ? null : StixTimestamps.format(instant);
    }
}
