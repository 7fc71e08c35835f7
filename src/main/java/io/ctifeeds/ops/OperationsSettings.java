package io.ctifeeds.ops;

import static io.ctifeeds.config.Checks.bool;
import static io.ctifeeds.config.Checks.intRange;

import java.util.List;

import io.ctifeeds.config.Setting;

/** Running it as a product: the HTTP server (health, metrics, manual trigger) and live route editing. */
public final class OperationsSettings {

    public static final String SERVER_ENABLED = "camel.server.enabled";
    public static final String SERVER_PORT = "camel.server.port";
    public static final String RELOAD_ENABLED = "camel.main.routes-reload-enabled";
    public static final String RELOAD_DIRECTORY = "camel.main.routes-reload-directory";

    private OperationsSettings() {
    }

    public static List<Setting> all() {
        return List.of(
                new Setting(SERVER_ENABLED, false, bool()),
                new Setting(SERVER_PORT, false, intRange(1, 65_535)),
                new Setting("connector.health-check-timeout-ms", false, intRange(100, 60_000)),
                new Setting(RELOAD_ENABLED, false, bool()));
    }
}
