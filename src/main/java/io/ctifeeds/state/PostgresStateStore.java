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
    private static final String LOCK_SPACE = "cti-feeds run lock";

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
            try (PreparedStatement q = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                q.setLong(1, lockKey(feed));
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        Connection previous = locks.put(feed, c);
                        if (previous != null) {
                            discard(previous);
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
        try (PreparedStatement q = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            q.setLong(1, lockKey(feed));
            q.execute();
        } catch (SQLException e) {
            // back in the pool, the connection would keep the lock for whichever code borrows it next: closed
            // for good instead, which ends its session and the lock with it
            discard(c);
            return;
        }
        try {
            c.close();
        } catch (SQLException e) {
            // unlocked already
        }
    }

    @Override
    public boolean lockedElsewhere(String feed) {
        if (locks.containsKey(feed)) {
            return false;
        }
        long key = lockKey(feed);
        // a bigint advisory lock shows in pg_locks as its high half in classid, its low half in objid, objsubid 1
        try (Connection c = db.connection(); PreparedStatement q = c.prepareStatement(
                "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1 "
                        + "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                        + "AND classid = ?::bigint::oid AND objid = ?::bigint::oid)")) {
            q.setLong(1, key >>> 32);
            q.setLong(2, key & 0xFFFF_FFFFL);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw failure("check the run lock of feed " + feed, e);
        }
    }

    /** Closes a connection for good (not back into the pool): its session, and the locks it holds, end. */
    private void discard(Connection c) {
        db.evict(c);
        try {
            // now: the pool closes an evicted connection on another thread, some time after it is returned
            ((Connection) c.unwrap(PGConnection.class)).close();
            c.close();
        } catch (SQLException e) {
            // closed already: its session has ended
        }
    }

    /**
     * A feed's advisory lock: 64 bits of the SHA-256 of the schema and the feed name. String.hashCode made
     * feeds collide ("Aa" and "BB"), so that one feed's run held back another's; the schema keeps two
     * deployments on one database apart.
     */
    long lockKey(String feed) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(
                    (LOCK_SPACE + "\n" + db.schema() + "\n" + feed).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.nio.ByteBuffer.wrap(digest).getLong();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    private static IllegalStateException failure(String what, Exception e) {
        return new IllegalStateException("cannot " + what + " in PostgreSQL: " + e.getMessage(), e);
    }
}
