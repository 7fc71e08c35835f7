package io.ctifeeds.state;

import static io.ctifeeds.config.Checks.intRange;
import static io.ctifeeds.config.Checks.oneOf;

import java.util.List;

import io.ctifeeds.config.Checks;
import io.ctifeeds.config.Setting;
import io.ctifeeds.config.SettingGroup;

/** Where state lives: the embedded folder, or a PostgreSQL database several replicas share. */
public final class StateSettings implements SettingGroup {

    public static final String STORE = "connector.state-store";

    /** For {@link java.util.ServiceLoader}. */
    public StateSettings() {
    }

    @Override
    public List<Setting> settings() {
        return all();
    }

    public static List<Setting> all() {
        return List.of(
                new Setting(STORE, false, oneOf("file", "postgresql")),
                new Setting("connector.postgresql.url", false, StateSettings::jdbcUrl),
                new Setting("connector.postgresql.user", false, Checks.any()),
                new Setting("connector.postgresql.password", true, Checks.any()),
                new Setting("connector.postgresql.schema", false, StateSettings::identifier),
                new Setting("connector.replica-id", false, Checks.any()),
                new Setting("connector.cluster-checkin-interval-ms", false, intRange(500, 600_000)));
    }

    private static void jdbcUrl(String value) {
        if (!value.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("expected a PostgreSQL JDBC URL such as "
                    + "jdbc:postgresql://db:5432/cti_feeds");
        }
    }

    private static void identifier(String value) {
        if (!value.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("expected a lower-case SQL name such as cti_feeds");
        }
    }
}
