package io.ctifeeds.ops;

import static io.ctifeeds.config.Checks.bool;
import static io.ctifeeds.config.Checks.intRange;
import static io.ctifeeds.config.Checks.nonNegativeIsoDuration;

import java.util.List;

import io.ctifeeds.config.Setting;
import io.ctifeeds.config.SettingGroup;

/** Running it as a product: the HTTP server (health, metrics, manual trigger) and live route editing. */
public final class OperationsSettings implements SettingGroup {

    public static final String SERVER_ENABLED = "camel.server.enabled";
    public static final String SERVER_PORT = "camel.server.port";
    public static final String RELOAD_ENABLED = "camel.main.routes-reload-enabled";
    public static final String RELOAD_DIRECTORY = "camel.main.routes-reload-directory";
    public static final String HTTP_TOKEN = "connector.http-token";
    public static final String TRIGGER_MIN_INTERVAL = "connector.trigger-min-interval";
    public static final String HEALTH_CHECK_CACHE = "connector.health-check-cache-ms";

    /** For {@link java.util.ServiceLoader}. */
    public OperationsSettings() {
    }

    @Override
    public List<Setting> settings() {
        return all();
    }

    public static List<Setting> all() {
        return List.of(
                new Setting(SERVER_ENABLED, false, bool()),
                new Setting(SERVER_PORT, false, intRange(1, 65_535)),
                new Setting("connector.health-check-timeout-ms", false, intRange(100, 60_000)),
                new Setting(HEALTH_CHECK_CACHE, false, intRange(0, 600_000)),
                new Setting(HTTP_TOKEN, true, OperationsSettings::token),
                new Setting(TRIGGER_MIN_INTERVAL, false, nonNegativeIsoDuration()),
                new Setting(RELOAD_ENABLED, false, bool()));
    }

    /** Empty (loopback callers only) or long enough not to be guessed. */
    private static void token(String value) {
        if (!value.isEmpty() && value.length() < 16) {
            throw new IllegalArgumentException("expected empty (callers on this host only) or a token of at least "
                    + "16 characters, such as the output of: openssl rand -hex 32");
        }
    }
}
