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

    public CrowdSecLabels {
        reputations = Map.copyOf(reputations);
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
