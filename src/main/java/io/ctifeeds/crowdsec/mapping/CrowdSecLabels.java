package io.ctifeeds.crowdsec.mapping;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which labels the mapper applies, mirroring the {@code CROWDSEC_LABELS_*} settings of the official connector.
 * The scenario name and scenario label kinds share one colour there, and so they do here.
 *
 * @param reputations reputation value (lower case) to its rule; a reputation without a rule (benign, unknown, or
 *                    a value CrowdSec adds later) gets no label, as no colour is defined for it
 */
public record CrowdSecLabels(
        LabelRule scenarioName,
        LabelRule scenarioLabel,
        LabelRule cve,
        LabelRule mitre,
        LabelRule behavior,
        Map<String, LabelRule> reputations) {

    public static final String SCENARIO_COLOR = "#2E2A14";
    public static final String CVE_COLOR = "#800080";
    public static final String MITRE_COLOR = "#000080";
    public static final String BEHAVIOR_COLOR = "#808000";

    public CrowdSecLabels {
        reputations = Map.copyOf(reputations);
    }

    /** The seed README's defaults: scenario names, CVEs, MITRE ids and reputations on; the rest off. */
    public static CrowdSecLabels defaults() {
        return new CrowdSecLabels(
                new LabelRule(true, SCENARIO_COLOR),
                new LabelRule(false, SCENARIO_COLOR),
                new LabelRule(true, CVE_COLOR),
                new LabelRule(true, MITRE_COLOR),
                new LabelRule(false, BEHAVIOR_COLOR),
                reputations(true, "#FF0000", "#FFA500", "#808080", "#00BFFF"));
    }

    /** The four reputations the seed gives colours to, under one enable switch. */
    public static Map<String, LabelRule> reputations(boolean enabled, String malicious, String suspicious,
                                                     String known, String safe) {
        return Map.of(
                "malicious", new LabelRule(enabled, malicious),
                "suspicious", new LabelRule(enabled, suspicious),
                "known", new LabelRule(enabled, known),
                "safe", new LabelRule(enabled, safe));
    }

    /** The enabled rule for this reputation, if any. */
    Optional<LabelRule> reputation(String reputation) {
        if (reputation == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(reputations.get(reputation.toLowerCase(Locale.ROOT))).filter(LabelRule::enabled);
    }
}
