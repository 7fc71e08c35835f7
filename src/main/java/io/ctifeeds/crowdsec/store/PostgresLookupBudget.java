package io.ctifeeds.crowdsec.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;

import io.ctifeeds.state.SharedDatabase;

/**
 * {@link LookupBudget} in the shared database. A lookup is granted by one conditional update per budget in one
 * transaction, so replicas granting at the same time never hand out more than the budget together.
 */
public class PostgresLookupBudget implements LookupBudget {

    private final SharedDatabase db;
    private final long daily;
    private final long monthly;

    public PostgresLookupBudget(SharedDatabase db, long daily, long monthly) {
        this.db = db;
        this.daily = daily;
        this.monthly = monthly;
    }

    @Override
    public Refusal take(Instant now) {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                if (quotaSpent(c, now)) {
                    c.rollback();
                    return Refusal.QUOTA;
                }
                if (!grant(c, day(now), daily)) {
                    c.rollback();
                    return Refusal.DAILY;
                }
                if (!grant(c, month(now), monthly)) {
                    c.rollback();
                    return Refusal.MONTHLY;
                }
                c.commit();
                return Refusal.NONE;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count a CrowdSec lookup in the budget: " + e.getMessage(), e);
        }
    }

    /** Counts one use of the period, unless its budget (when set) is reached; row-locked by the update. */
    private static boolean grant(Connection c, String period, long budget) throws SQLException {
        try (PreparedStatement upsert = c.prepareStatement(
                "INSERT INTO enrichment_budget (period, used) VALUES (?, 1) ON CONFLICT (period) DO UPDATE "
                        + "SET used = enrichment_budget.used + 1 WHERE ? <= 0 OR enrichment_budget.used < ?")) {
            upsert.setString(1, period);
            upsert.setLong(2, budget);
            upsert.setLong(3, budget);
            return upsert.executeUpdate() == 1;
        }
    }

    private static long used(Connection c, String period) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT used FROM enrichment_budget WHERE period = ?")) {
            q.setString(1, period);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private static boolean quotaSpent(Connection c, Instant now) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT spent_until FROM enrichment_quota WHERE id = 1");
             ResultSet rs = q.executeQuery()) {
            return rs.next() && now.isBefore(rs.getTimestamp(1).toInstant());
        }
    }

    @Override
    public void quotaSpent(Instant now) {
        Instant tomorrow = LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC)
                .toInstant();
        try (Connection c = db.connection(); PreparedStatement upsert = c.prepareStatement(
                "INSERT INTO enrichment_quota (id, spent_until) VALUES (1, ?) "
                        + "ON CONFLICT (id) DO UPDATE SET spent_until = EXCLUDED.spent_until")) {
            upsert.setTimestamp(1, Timestamp.from(tomorrow));
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the spent CrowdSec quota: " + e.getMessage(), e);
        }
    }

    @Override
    public long left(Instant now) {
        try (Connection c = db.connection()) {
            long left = -1;
            if (daily > 0) {
                left = Math.max(0, daily - used(c, day(now)));
            }
            if (monthly > 0) {
                long m = Math.max(0, monthly - used(c, month(now)));
                left = left < 0 ? m : Math.min(left, m);
            }
            return left;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the CrowdSec lookup budget: " + e.getMessage(), e);
        }
    }

    private static String day(Instant now) {
        return "day:" + LocalDate.ofInstant(now, ZoneOffset.UTC);
    }

    private static String month(Instant now) {
        return "month:" + YearMonth.from(LocalDate.ofInstant(now, ZoneOffset.UTC));
    }
}
