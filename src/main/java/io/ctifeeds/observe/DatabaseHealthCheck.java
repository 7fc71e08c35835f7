package io.ctifeeds.observe;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import io.ctifeeds.state.SharedDatabase;

/**
 * Readiness: the shared PostgreSQL answers (CONNECTOR_STATE_STORE=postgresql). Without it no run can start: the
 * state, the locks and the clustered scheduler all live there. Bound only with that store.
 */
public class DatabaseHealthCheck extends ReachabilityCheck {

    private final SharedDatabase database;

    public DatabaseHealthCheck(SharedDatabase database, Duration timeout, Duration cacheFor) {
        super("state-database", "PostgreSQL " + database.displayUrl(), timeout, cacheFor);
        this.database = database;
    }

    @Override
    protected String probe() throws SQLException {
        boolean valid;
        try (Connection connection = database.connection()) {
            valid = connection.isValid(5);
        } catch (SQLException e) {
            throw new SQLException("PostgreSQL " + database.displayUrl() + " cannot be reached: " + e.getMessage(),
                    e);
        }
        if (!valid) {
            throw new SQLException("PostgreSQL " + database.displayUrl() + " does not answer");
        }
        return "PostgreSQL " + database.displayUrl();
    }
}
