package io.ctifeeds.state;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

import javax.sql.DataSource;

import io.ctifeeds.display.DisplayUrl;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

/**
 * The PostgreSQL database replicas share (CONNECTOR_STATE_STORE=postgresql): a connection pool on the
 * application's schema, created and migrated at start-up (Flyway: Quartz's tables, then ours), and the Quartz
 * settings of the clustered JDBC job store on the same database.
 */
public final class SharedDatabase implements org.apache.camel.Service {

    /** Every replica's Quartz scheduler has this name: Quartz clusters the schedulers of one name. */
    public static final String SCHEDULER_NAME = "cti-feeds";

    private final String url;
    private final String user;
    private final String password;
    private final String schema;
    private final HikariDataSource pool;

    /**
     * @throws IllegalStateException with a line that names the settings when the database cannot be reached or
     *                               migrated
     */
    public SharedDatabase(String url, String user, String password, String schema) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.schema = schema;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setSchema(schema);
        config.setPoolName("cti-feeds-state");
        config.setMaximumPoolSize(8);
        // fail fast with our own message rather than after Hikari's 30 s
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(10_000);
        pool = new HikariDataSource(config);
        try {
            Flyway.configure().dataSource(url, user, password).schemas(schema).defaultSchema(schema)
                    .createSchemas(true).locations("classpath:db/migration", "classpath:io/ctifeeds/state/migration")
                    .load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw new IllegalStateException("cannot use the PostgreSQL database " + DisplayUrl.of(url) + " as " + user
                    + " (CONNECTOR_POSTGRESQL_URL, _USER, _PASSWORD): " + rootMessage(e), e);
        }
    }

    /** The database's URL as it may be shown: no query string, where a password may be. */
    public String displayUrl() {
        return DisplayUrl.of(url);
    }

    public DataSource dataSource() {
        return pool;
    }

    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /** Closes a borrowed connection for good instead of returning it to the pool (its session's locks end). */
    public void evict(Connection connection) {
        pool.evictConnection(connection);
    }

    /** The schema the application's tables are in. */
    public String schema() {
        return schema;
    }

    /**
     * Quartz on this database: JDBC job store, clustered, its own small pool, the same schema.
     *
     * @param checkinMillis how often each replica tells the others it is alive; a replica silent for longer has
     *                      its jobs recovered by another
     */
    public Properties quartzProperties(long checkinMillis, int threads) {
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", SCHEDULER_NAME);
        p.setProperty("org.quartz.scheduler.instanceId", "AUTO");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(threads));
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", Long.toString(checkinMillis));
        p.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
        p.setProperty("org.quartz.jobStore.dataSource", "ctiFeeds");
        p.setProperty("org.quartz.dataSource.ctiFeeds.provider", "hikaricp");
        p.setProperty("org.quartz.dataSource.ctiFeeds.driver", "org.postgresql.Driver");
        p.setProperty("org.quartz.dataSource.ctiFeeds.URL", withSchema(url, schema));
        p.setProperty("org.quartz.dataSource.ctiFeeds.user", user);
        p.setProperty("org.quartz.dataSource.ctiFeeds.password", password);
        p.setProperty("org.quartz.dataSource.ctiFeeds.maxConnections", Integer.toString(threads + 3));
        return p;
    }

    static String withSchema(String url, String schema) {
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage().strip();
    }

    @Override
    public void start() {
        // the pool opened when the database was checked and migrated, before any route
    }

    @Override
    public void stop() {
        pool.close();
    }
}
