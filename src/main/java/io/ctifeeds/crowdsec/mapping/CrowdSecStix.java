package io.ctifeeds.crowdsec.mapping;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.ctifeeds.crowdsec.api.CtiRecord;
import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.stix.StixObject;
import io.ctifeeds.stix.Tlp;
import org.apache.camel.ExchangeProperty;

/**
 * The CrowdSec mapping as a route file configures it (the {@code CROWDSEC_*} settings as bean properties), and the
 * route step that maps one record. Shared by the import and the enrichment: the same IP gives the same objects.
 * Its defaults are application.properties' alone: the route file sets every property.
 */
public class CrowdSecStix {

    private Tlp tlp;
    private String indicatorCreateFrom;
    private Duration indicatorLifetime;
    private int indicatorMinScore;
    private boolean attackPatterns;
    private boolean vulnerabilities;
    private boolean note;
    private boolean sighting;
    private boolean countrySightings;
    private boolean scenarioName;
    private boolean scenarioLabel;
    private boolean cve;
    private boolean mitre;
    private boolean behavior;
    private boolean reputation;
    private String scenarioColor;
    private String cveColor;
    private String mitreColor;
    private String behaviorColor;
    private String maliciousColor;
    private String suspiciousColor;
    private String knownColor;
    private String safeColor;
    private volatile CrowdSecStixMapper mapper;

    /**
     * Body in: a record. Body out: its objects, shared ones first (each bundle keeps one copy of those; the run
     * learns which they are, so the platform gets each once).
     */
    public List<StixObject> toStix(CtiRecord record, @ExchangeProperty(FeedRun.PROPERTY) FeedRun run) {
        MappedIp mapped = mapper().map(record, run.started(), run.idRules());
        run.shareable(mapped.shared());
        return mapped.all();
    }

    /** The objects every CrowdSec bundle carries (the marking, CrowdSec's identity). */
    public List<StixObject> commonObjects() {
        return mapper().commonObjects();
    }

    /**
     * Body in: an IP's record looked up to enrich another feed's objects, or null (none to merge). Body out: its
     * objects, with CrowdSec's common objects among the shared ones, as the other feed's bundles lack them.
     */
    public MappedIp toEnrichment(CtiRecord record, @ExchangeProperty(FeedRun.PROPERTY) FeedRun run) {
        if (record == null) {
            return null;
        }
        MappedIp mapped = mapper().map(record, run.started(), run.idRules());
        List<StixObject> shared = new ArrayList<>(commonObjects());
        shared.addAll(mapped.shared());
        return new MappedIp(mapped.ip(), mapped.objects(), shared);
    }


    /** Built on first use, once every property is set; a bad value fails there with the setting's meaning. */
    CrowdSecStixMapper mapper() {
        CrowdSecStixMapper m = mapper;
        if (m == null) {
            m = new CrowdSecStixMapper(mapping());
            mapper = m;
        }
        return m;
    }

    /** The settings as the mapper takes them. */
    public CrowdSecMapping mapping() {
        CrowdSecLabels labels = new CrowdSecLabels(new LabelRule(scenarioName, scenarioColor),
                new LabelRule(scenarioLabel, scenarioColor), new LabelRule(cve, cveColor),
                new LabelRule(mitre, mitreColor), new LabelRule(behavior, behaviorColor),
                CrowdSecLabels.reputations(reputation, maliciousColor, suspiciousColor, knownColor, safeColor));
        return new CrowdSecMapping(tlp, CrowdSecMapping.reputations(indicatorCreateFrom), indicatorLifetime,
                indicatorMinScore, attackPatterns, vulnerabilities, true, note, sighting, countrySightings, labels);
    }

    public void setTlpLevel(String tlpLevel) {
        this.tlp = Tlp.fromConfig(tlpLevel);
    }

    public void setIndicatorCreateFrom(String indicatorCreateFrom) {
        this.indicatorCreateFrom = indicatorCreateFrom;
    }

    public void setIndicatorLifetime(String isoDuration) {
        this.indicatorLifetime = Duration.parse(isoDuration.trim());
    }

    public void setIndicatorMinScore(int indicatorMinScore) {
        this.indicatorMinScore = indicatorMinScore;
    }

    public void setAttackPatternCreateFromMitre(boolean attackPatterns) {
        this.attackPatterns = attackPatterns;
    }

    public void setVulnerabilityCreateFromCve(boolean vulnerabilities) {
        this.vulnerabilities = vulnerabilities;
    }

    public void setCreateNote(boolean note) {
        this.note = note;
    }

    public void setCreateSighting(boolean sighting) {
        this.sighting = sighting;
    }

    public void setCreateTargetedCountriesSightings(boolean countrySightings) {
        this.countrySightings = countrySightings;
    }

    public void setLabelsScenarioName(boolean scenarioName) {
        this.scenarioName = scenarioName;
    }

    public void setLabelsScenarioLabel(boolean scenarioLabel) {
        this.scenarioLabel = scenarioLabel;
    }

    public void setLabelsCve(boolean cve) {
        this.cve = cve;
    }

    public void setLabelsMitre(boolean mitre) {
        this.mitre = mitre;
    }

    public void setLabelsBehavior(boolean behavior) {
        this.behavior = behavior;
    }

    public void setLabelsReputation(boolean reputation) {
        this.reputation = reputation;
    }

    public void setLabelsScenarioColor(String color) {
        this.scenarioColor = color.trim();
    }

    public void setLabelsCveColor(String color) {
        this.cveColor = color.trim();
    }

    public void setLabelsMitreColor(String color) {
        this.mitreColor = color.trim();
    }

    public void setLabelsBehaviorColor(String color) {
        this.behaviorColor = color.trim();
    }

    public void setLabelsReputationMaliciousColor(String color) {
        this.maliciousColor = color.trim();
    }

    public void setLabelsReputationSuspiciousColor(String color) {
        this.suspiciousColor = color.trim();
    }

    public void setLabelsReputationKnownColor(String color) {
        this.knownColor = color.trim();
    }

    public void setLabelsReputationSafeColor(String color) {
        this.safeColor = color.trim();
    }
}
