package io.ctifeeds.ipsum;

import static io.ctifeeds.config.Checks.bool;
import static io.ctifeeds.config.Checks.fraction;
import static io.ctifeeds.config.Checks.httpUrl;
import static io.ctifeeds.config.Checks.intRange;
import static io.ctifeeds.config.Checks.oneOf;
import static io.ctifeeds.config.Checks.optionalCron;
import static io.ctifeeds.config.Checks.positiveIsoDuration;

import java.util.List;

import io.ctifeeds.config.Checks;
import io.ctifeeds.config.Setting;
import io.ctifeeds.config.SettingGroup;
import io.ctifeeds.feed.DelistingPolicy;
import io.ctifeeds.stix.Tlp;

/** The IPsum feed's settings (the seed connector's table plus ours) and what each must hold. */
public final class IpsumSettings implements SettingGroup {

    /** For {@link java.util.ServiceLoader}. */
    public IpsumSettings() {
    }

    @Override
    public List<Setting> settings() {
        return all();
    }

    public static List<Setting> all() {
        return List.of(
                new Setting("connector.ipsum.enabled", false, bool()),
                new Setting("connector.ipsum.api-base-url", false, httpUrl(false)),
                new Setting("connector.ipsum.api-key", true, Checks.any()),
                new Setting("connector.ipsum.cron", false, optionalCron()),
                new Setting("connector.ipsum.tlp-level", false, Tlp::fromConfig),
                new Setting("connector.ipsum.default-x-opencti-score", false, intRange(0, 100)),
                new Setting("connector.ipsum.score-mode", false, oneOf("count", "fixed")),
                new Setting("connector.ipsum.score-base", false, intRange(0, 100)),
                new Setting("connector.ipsum.score-per-list", false, intRange(0, 100)),
                new Setting("connector.ipsum.score-max", false, intRange(0, 100)),
                new Setting("connector.ipsum.skip-non-public", false, bool()),
                new Setting("connector.ipsum.indicator-lifetime", false, positiveIsoDuration()),
                new Setting("connector.ipsum.labels", false, Checks.any()),
                new Setting("connector.ipsum.delisting-policy", false, DelistingPolicy::fromConfig),
                new Setting("connector.ipsum.min-size-ratio", false, fraction()));
    }
}
