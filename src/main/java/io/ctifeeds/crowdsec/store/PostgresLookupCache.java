package io.ctifeeds.crowdsec.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import io.ctifeeds.state.SharedDatabase;

/** {@link LookupCache} in the shared database, so that no replica looks up an IP another just did. */
public class PostgresLookupCache implements LookupCache {

    private final SharedDatabase db;
    private final long minDelaySeconds;
    private long lastPrune;

    public PostgresLookupCache(SharedDatabase db, long minDelaySeconds) {
        this.db = db;
        this.minDelaySeconds = minDelaySeconds;
    }

    @Override
    public boolean isFresh(String ip, long nowEpochSecond) {
        try (Connection c = db.connection();
             PreparedStatement q = c.prepareStatement("SELECT epoch_second FROM enrichment_lookup WHERE ip = ?")) {
            q.setString(1, ip);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() && nowEpochSecond - rs.getLong(1) < minDelaySeconds;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the CrowdSec lookup cache: " + e.getMessage(), e);
        }
    }

    @Override
    public void lookedUp(String ip, long nowEpochSecond) {
        try (Connection c = db.connection(); PreparedStatement upsert = c.prepareStatement(
                "INSERT INTO enrichment_lookup (ip, epoch_second) VALUES (?, ?) "
                        + "ON CONFLICT (ip) DO UPDATE SET epoch_second = EXCLUDED.epoch_second")) {
            upsert.setString(1, ip);
            upsert.setLong(2, nowEpochSecond);
            upsert.executeUpdate();
            prune(c, nowEpochSecond);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record a CrowdSec lookup: " + e.getMessage(), e);
        }
    }

    /** Once an hour, what is older than the delay goes: the table holds one window's lookups. */
    private void prune(Connection c, long now) throws SQLException {
        if (now - lastPrune < 3600) {
            return;
        }
        lastPrune = now;
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM enrichment_lookup WHERE epoch_second < ?")) {
            delete.setLong(1, now - minDelaySeconds);
            delete.executeUpdate();
        }
    }
}
