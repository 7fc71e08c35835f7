package io.ctifeeds.crowdsec;

import static io.ctifeeds.config.Checks.bool;
import static io.ctifeeds.config.Checks.httpUrl;
import static io.ctifeeds.config.Checks.intRange;
import static io.ctifeeds.config.Checks.oneOf;
import static io.ctifeeds.config.Checks.optionalCron;
import static io.ctifeeds.config.Checks.positiveIsoDuration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.ctifeeds.config.Checks;
import io.ctifeeds.config.Setting;
import io.ctifeeds.config.SettingGroup;
import io.ctifeeds.crowdsec.api.ApiKey;
import io.ctifeeds.crowdsec.mapping.CrowdSecMapping;
import io.ctifeeds.crowdsec.mapping.LabelRule;
import io.ctifeeds.crowdsec.search.CrowdSecImport;
import io.ctifeeds.stix.Tlp;

/**
 * The CrowdSec settings: the official import connector's table (seeds/, environment names {@code CROWDSEC_*}) plus
 * ours, and what each must hold.
 */
public final class CrowdSecSettings implements SettingGroup {

    public static final String KEY = "crowdsec.key";
    public static final String IMPORT_ENABLED = "crowdsec.import-enabled";
    public static final String ENRICHMENT_ENABLED = "crowdsec.enrichment-enabled";
    public static final String PAGE_MAX_BYTES = "crowdsec.page-max-bytes";

    /** For {@link java.util.ServiceLoader}. */
    public CrowdSecSettings() {
    }

    @Override
    public List<Setting> settings() {
        return all();
    }

    public static List<Setting> all() {
        List<Setting> settings = new ArrayList<>(List.of(
                new Setting(KEY, true, Checks.any()),
                new Setting("crowdsec.api-base-url", false, httpUrl(false)),
                new Setting(IMPORT_ENABLED, false, oneOf("true", "false", "auto")),
                new Setting("crowdsec.import-cron", false, optionalCron()),
                new Setting("crowdsec.import-duration-period", false, positiveIsoDuration()),
                new Setting("crowdsec.import-query", false, CrowdSecSettings::query),
                new Setting("crowdsec.import-query-since", false, intRange(1, CrowdSecImport.MAX_SINCE_HOURS)),
                new Setting("crowdsec.import-page-size", false, intRange(1, 1000)),
                new Setting(PAGE_MAX_BYTES, false, intRange(65_536, 1L << 30)),
                new Setting("crowdsec.enrichment-threshold-per-import", false, intRange(1, 10_000_000)),
                new Setting("crowdsec.max-tlp", false, Tlp::fromConfig),
                new Setting("crowdsec.tlp-level", false, Tlp::fromConfig),
                new Setting("crowdsec.indicator-create-from", false, Checks.any()),
                new Setting("crowdsec.indicator-lifetime", false, CrowdSecSettings::lifetime),
                new Setting("crowdsec.indicator-min-score", false, intRange(0, 100)),
                new Setting("crowdsec.min-delay-between-enrichments", false, intRange(0, 366L * 86_400)),
                new Setting(ENRICHMENT_ENABLED, false, oneOf("true", "false", "auto")),
                new Setting("crowdsec.enrichment-which", false, oneOf("new", "all")),
                new Setting("crowdsec.enrichment-min-score", false, intRange(0, 100)),
                new Setting("crowdsec.enrichment-min-count", false, intRange(0, 1_000)),
                new Setting("crowdsec.enrichment-rate-per-second", false, intRange(1, 1_000)),
                new Setting("crowdsec.enrichment-daily-budget", false, intRange(0, 100_000_000)),
                new Setting("crowdsec.enrichment-monthly-budget", false, intRange(0, 1_000_000_000))));
        for (String flag : List.of("attack-pattern-create-from-mitre", "vulnerability-create-from-cve", "create-note",
                "create-sighting", "create-targeted-countries-sightings", "labels-scenario-name",
                "labels-scenario-label", "labels-cve", "labels-mitre", "labels-behavior", "labels-reputation")) {
            settings.add(new Setting("crowdsec." + flag, false, bool()));
        }
        for (String color : List.of("scenario", "cve", "mitre", "behavior", "reputation-malicious",
                "reputation-suspicious", "reputation-known", "reputation-safe")) {
            settings.add(new Setting("crowdsec.labels-" + color + "-color", false, CrowdSecSettings::color));
        }
        return settings;
    }

    /** Checks that span settings. */
    @Override
    public List<String> crossCheck(Function<String, Optional<String>> lookup) {
        return check(lookup);
    }

    static List<String> check(Function<String, Optional<String>> lookup) {
        String key = ApiKey.unquote(lookup.apply(KEY).orElse(""));
        if (!key.isEmpty()) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        for (String feature : List.of(IMPORT_ENABLED, ENRICHMENT_ENABLED)) {
            if (lookup.apply(feature).map(String::trim).orElse("auto").equalsIgnoreCase("true")) {
                problems.add("Missing configuration: CROWDSEC_KEY (" + KEY + "): the CrowdSec CTI API key, "
                        + "required when " + Setting.environmentVariable(feature) + " ("
                        + feature + ") is true");
            }
        }
        return problems.isEmpty() ? List.of() : List.of(String.join("; ", problems));
    }

    private static void query(String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException("expected a Lucene query such as behaviors.label:\"SSH Bruteforce\"");
        }
    }

    private static void lifetime(String value) {
        positiveIsoDuration().accept(value);
        if (Duration.parse(value).compareTo(CrowdSecMapping.MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("expected at most P" + CrowdSecMapping.MAX_LIFETIME.toDays() + "D");
        }
    }

    private static void color(String value) {
        try {
            new LabelRule(true, value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("expected a colour #RRGGBB such as #FF0000");
        }
    }
}
