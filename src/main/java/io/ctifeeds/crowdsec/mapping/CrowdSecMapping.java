package io.ctifeeds.crowdsec.mapping;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import io.ctifeeds.stix.Tlp;

/**
 * What {@link CrowdSecStixMapper} produces, mirroring the official connector's settings ({@code CROWDSEC_*}).
 * {@code max_tlp} is not here: it decides whether an IP is processed at all, which needs the platform's view of the
 * existing observable, not the mapping.
 *
 * @param tlp                              marking of everything the feed authors ({@code CROWDSEC_TLP_LEVEL})
 * @param indicatorCreateFrom              reputations that get an indicator, lower case
 *                                         ({@code CROWDSEC_INDICATOR_CREATE_FROM})
 * @param indicatorLifetime                {@code valid_until} − {@code valid_from} (= last_seen); the official
 *                                         connector sets no valid_until
 * @param indicatorMinScore                an indicator also needs an {@code x_opencti_score} of at least this
 *                                         (0 = no minimum; an IP without scores then still qualifies)
 * @param attackPatternCreateFromMitre     {@code CROWDSEC_ATTACK_PATTERN_CREATE_FROM_MITRE}
 * @param vulnerabilityCreateFromCve       {@code CROWDSEC_VULNERABILITY_CREATE_FROM_CVE}
 * @param createLocations                  target-country Locations at all (targets relationships from the attack
 *                                         patterns, and country sightings when enabled)
 * @param createNote                       {@code CROWDSEC_CREATE_NOTE}
 * @param createSighting                   {@code CROWDSEC_CREATE_SIGHTING}
 * @param createTargetedCountriesSightings {@code CROWDSEC_CREATE_TARGETED_COUNTRIES_SIGHTINGS}
 * @param labels                           the {@code CROWDSEC_LABELS_*} settings
 */
public record CrowdSecMapping(
        Tlp tlp,
        Set<String> indicatorCreateFrom,
        Duration indicatorLifetime,
        int indicatorMinScore,
        boolean attackPatternCreateFromMitre,
        boolean vulnerabilityCreateFromCve,
        boolean createLocations,
        boolean createNote,
        boolean createSighting,
        boolean createTargetedCountriesSightings,
        CrowdSecLabels labels) {

    /** Keeps {@code valid_from + lifetime} a four-digit-year STIX timestamp for any accepted last_seen. */
    public static final Duration MAX_LIFETIME = Duration.ofDays(3650);

    public CrowdSecMapping {
        Objects.requireNonNull(tlp, "tlp");
        Objects.requireNonNull(labels, "labels");
        indicatorCreateFrom = Set.copyOf(indicatorCreateFrom.stream()
                .map(r -> r.strip().toLowerCase(Locale.ROOT)).collect(Collectors.toSet()));
        if (indicatorLifetime == null || indicatorLifetime.isNegative() || indicatorLifetime.isZero()
                || indicatorLifetime.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("indicator lifetime must be positive and at most "
                    + MAX_LIFETIME.toDays() + " days, got " + indicatorLifetime);
        }
        if (indicatorMinScore < 0 || indicatorMinScore > 100) {
            throw new IllegalArgumentException("indicator minimum score must be 0..100, got " + indicatorMinScore);
        }
    }

    /**
     * Parses {@code CROWDSEC_INDICATOR_CREATE_FROM}: comma-separated, case and spaces ignored, empty entries
     * dropped; an empty value means no indicator at all.
     */
    public static Set<String> reputations(String csv) {
        if (csv == null) {
            return Set.of();
        }
        return Arrays.stream(csv.split(",")).map(s -> s.strip().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    public CrowdSecMapping withTlp(Tlp value) {
        return new CrowdSecMapping(value, indicatorCreateFrom, indicatorLifetime, indicatorMinScore,
                attackPatternCreateFromMitre, vulnerabilityCreateFromCve, createLocations, createNote, createSighting,
                createTargetedCountriesSightings, labels);
    }

    public CrowdSecMapping withIndicators(Set<String> createFrom, Duration lifetime, int minScore) {
        return new CrowdSecMapping(tlp, createFrom, lifetime, minScore, attackPatternCreateFromMitre,
                vulnerabilityCreateFromCve, createLocations, createNote, createSighting,
                createTargetedCountriesSightings, labels);
    }

    /** The entity switches, in the order of the record's components. */
    public CrowdSecMapping withEntities(boolean attackPatterns, boolean vulnerabilities, boolean locations,
                                        boolean note, boolean sighting, boolean countrySightings) {
        return new CrowdSecMapping(tlp, indicatorCreateFrom, indicatorLifetime, indicatorMinScore, attackPatterns,
                vulnerabilities, locations, note, sighting, countrySightings, labels);
    }

    public CrowdSecMapping withLabels(CrowdSecLabels value) {
        return new CrowdSecMapping(tlp, indicatorCreateFrom, indicatorLifetime, indicatorMinScore,
                attackPatternCreateFromMitre, vulnerabilityCreateFromCve, createLocations, createNote, createSighting,
                createTargetedCountriesSightings, value);
    }
}
