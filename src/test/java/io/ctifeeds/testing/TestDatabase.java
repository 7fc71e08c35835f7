package io.ctifeeds.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A schema of its own in this machine's PostgreSQL (127.0.0.1:5432, database test, trust auth) for one test,
 * dropped afterwards. The application makes its tables there, as it would in production.
 */
public final class TestDatabase implements AutoCloseable {

    public static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    public static final String USER = "postgres";

    private final String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    public String schema() {
        return schema;
    }

    public Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(URL + "?currentSchema=" + schema, USER, "");
        return c;
    }

    /** The settings that put the application's state here. */
    public java.util.Map<String, String> settings() {
        return java.util.Map.of("connector.state-store", "postgresql", "connector.postgresql.url", URL,
                "connector.postgresql.user", USER, "connector.postgresql.schema", schema);
    }

    /** The same as environment variables, for child processes. */
    public java.util.Map<String, String> environment() {
        return java.util.Map.of("CONNECTOR_STATE_STORE", "postgresql", "CONNECTOR_POSTGRESQL_URL", URL,
                "CONNECTOR_POSTGRESQL_USER", USER, "CONNECTOR_POSTGRESQL_SCHEMA", schema);
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(URL, USER, ""); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
