package io.ctifeeds.config;

import static io.ctifeeds.config.Checks.bool;
import static io.ctifeeds.config.Checks.httpUrl;
import static io.ctifeeds.config.Checks.intRange;
import static io.ctifeeds.config.Checks.oneOf;
import static io.ctifeeds.config.Checks.positiveIsoDuration;
import static io.ctifeeds.config.Checks.uuid;

import java.util.List;

/** The settings every feed shares: OpenCTI, the connector, the sinks. */
public final class ConnectorSettings {

    public static final String RUN_AND_TERMINATE = "connector.run-and-terminate";
    public static final String LOG_LEVEL = "connector.log-level";
    public static final String DURATION_PERIOD = "connector.duration-period";

    private ConnectorSettings() {
    }

    public static List<Setting> all() {
        return List.of(
                new Setting("opencti.url", false, httpUrl(true)),
                new Setting("opencti.token", true, Checks.any()),
                new Setting("connector.id", false, uuid(true)),
                new Setting(LOG_LEVEL, false, oneOf("debug", "info", "warn", "warning", "error")),
                new Setting(DURATION_PERIOD, false, positiveIsoDuration()),
                new Setting(RUN_AND_TERMINATE, false, bool()),
                new Setting("connector.send-to-directory", false, bool()),
                new Setting("connector.bundle-size", false, intRange(10, 100_000)),
                new Setting("connector.fetch-retries", false, intRange(0, 20)),
                new Setting("connector.fetch-retry-delay-ms", false, intRange(0, 600_000)));
    }
}
