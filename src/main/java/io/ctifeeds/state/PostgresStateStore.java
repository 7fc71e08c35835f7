package io.ctifeeds.state;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.postgresql.PGConnection;

/**
 * The state store replicas share: the tables of {@code V2__feed_state.sql}. A commit replaces a feed's snapshot
 * in one transaction (COPY, so 120,000 IPs take about a second), a checkpoint upserts a page's IPs, and a run
 * holds a PostgreSQL advisory lock on its feed, on a connection of its own: a replica that dies loses its
 * connection, and with it the lock, so another replica can run the feed.
 */
public class PostgresStateStore implements StateStore {

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    /** Keeps our advisory locks apart from any other application's on the same database. */
    private static final int LOCK_SPACE = 0x43544946; // "CTIF"

    private final SharedDatabase db;
    private final Map<String, Connection> locks = new ConcurrentHashMap<>();

    public PostgresStateStore(SharedDatabase db) {
        this.db = db;
    }

    @Override
    public FeedState loadState(String feed) {
        try (Connection c = db.connection();
             PreparedStatement q = c.prepareStatement("SELECT state::text FROM feed_state WHERE feed = ?")) {
            q.setString(1, feed);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? JSON.readValue(rs.getString(1), FeedState.class) : FeedState.EMPTY;
            }
        } catch (SQLException | IOException e) {
            throw failure("read the state of feed " + feed, e);
        }
    }

    @Override
    public Snapshot loadSnapshot(String feed) {
        try (Connection c = db.connection()) {
            // a cursor, not the whole result in memory at once
            c.setAutoCommit(false);
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT ip, score, epoch_second FROM feed_snapshot WHERE feed = ?")) {
                q.setFetchSize(10_000);
                q.setString(1, feed);
                Snapshot snapshot = new Snapshot();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        snapshot.put(rs.getString(1), new SnapshotEntry(rs.getInt(2), rs.getLong(3)));
                    }
                }
                c.commit();
                return snapshot;
            }
        } catch (SQLException e) {
            throw failure("read the snapshot of feed " + feed, e);
        }
    }

    @Override
    public void checkpoint(String feed, List<Map.Entry<String, SnapshotEntry>> entries) {
        if (entries.isEmpty()) {
            return;
        }
        try (Connection c = db.connection(); PreparedStatement upsert = c.prepareStatement(
                "INSERT INTO feed_snapshot (feed, ip, score, epoch_second) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT (feed, ip) DO UPDATE SET score = EXCLUDED.score, "
                        + "epoch_second = EXCLUDED.epoch_second")) {
            c.setAutoCommit(false);
            for (Map.Entry<String, SnapshotEntry> e : entries) {
                upsert.setString(1, feed);
                upsert.setString(2, e.getKey());
                upsert.setInt(3, e.getValue().score());
                upsert.setLong(4, e.getValue().epochSecond());
                upsert.addBatch();
            }
            upsert.executeBatch();
            c.commit();
        } catch (SQLException e) {
            throw failure("checkpoint feed " + feed, e);
        }
    }

    @Override
    public void commit(String feed, FeedState state, Snapshot snapshot) {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM feed_snapshot WHERE feed = ?")) {
                delete.setString(1, feed);
                delete.executeUpdate();
            }
            StringBuilder rows = new StringBuilder(snapshot.size() * 40);
            for (Iterator<String> ips = snapshot.ips(); ips.hasNext(); ) {
                String ip = ips.next();
                SnapshotEntry entry = snapshot.get(ip);
                // feed names and canonical IPs hold no tab, newline or backslash: nothing to escape for COPY
                rows.append(feed).append('\t').append(ip).append('\t').append(entry.score()).append('\t')
                        .append(entry.epochSecond()).append('\n');
            }
            c.unwrap(PGConnection.class).getCopyAPI().copyIn(
                    "COPY feed_snapshot (feed, ip, score, epoch_second) FROM STDIN", new StringReader(rows.toString()));
            try (PreparedStatement upsert = c.prepareStatement(
                    "INSERT INTO feed_state (feed, state, updated_at) VALUES (?, ?::jsonb, now()) "
                            + "ON CONFLICT (feed) DO UPDATE SET state = EXCLUDED.state, updated_at = now()")) {
                upsert.setString(1, feed);
                upsert.setString(2, JSON.writeValueAsString(state));
                upsert.executeUpdate();
            }
            c.commit();
        } catch (SQLException | IOException e) {
            throw failure("write the state of feed " + feed, e);
        }
    }

    @Override
    public List<String> feeds() {
        try (Connection c = db.connection();
             PreparedStatement q = c.prepareStatement("SELECT feed FROM feed_state ORDER BY feed");
             ResultSet rs = q.executeQuery()) {
            List<String> feeds = new ArrayList<>();
            while (rs.next()) {
                feeds.add(rs.getString(1));
            }
            return feeds;
        } catch (SQLException e) {
            throw failure("list the feed states", e);
        }
    }

    @Override
    public void deleteAll() {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try (var s = c.createStatement()) {
                s.executeUpdate("DELETE FROM feed_snapshot");
                s.executeUpdate("DELETE FROM feed_state");
            }
            c.commit();
        } catch (SQLException e) {
            throw failure("reset the state", e);
        }
    }

    @Override
    public boolean tryLock(String feed) {
        try {
            Connection c = db.connection();
            try (PreparedStatement q = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
                q.setInt(1, LOCK_SPACE);
                q.setInt(2, feed.hashCode());
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        Connection previous = locks.put(feed, c);
                        if (previous != null) {
                            previous.close();
                        }
                        return true;
                    }
                }
            }
            c.close();
            return false;
        } catch (SQLException e) {
            throw failure("lock feed " + feed, e);
        }
    }

    @Override
    public void unlock(String feed) {
        Connection c = locks.remove(feed);
        if (c == null) {
            return;
        }
        try (c; PreparedStatement q = c.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
            q.setInt(1, LOCK_SPACE);
            q.setInt(2, feed.hashCode());
            q.execute();
        } catch (SQLException e) {
            // closing the connection releases the lock anyway
        }
    }

    private static IllegalStateException failure(String what, Exception e) {
        return new IllegalStateException("cannot " + what + " in PostgreSQL: " + e.getMessage(), e);
    }
}
