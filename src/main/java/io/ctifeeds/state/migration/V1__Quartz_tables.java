package io.ctifeeds.state.migration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Statement;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Quartz's own tables for its clustered JDBC job store, from the DDL that ships in the Quartz jar (so they always
 * match the Quartz on the classpath). Its DROP statements are left out: this migration runs on a new schema only,
 * and must never drop a table someone else made.
 */
public class V1__Quartz_tables extends BaseJavaMigration {

    static final String DDL = "org/quartz/impl/jdbcjobstore/tables_postgres.sql";

    @Override
    public void migrate(Context context) throws Exception {
        try (Statement statement = context.getConnection().createStatement()) {
            for (String sql : statements(ddl())) {
                statement.execute(sql);
            }
        }
    }

    static String ddl() throws IOException {
        try (InputStream in = V1__Quartz_tables.class.getClassLoader().getResourceAsStream(DDL)) {
            if (in == null) {
                throw new IOException("Quartz's " + DDL + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The script's statements without comments, COMMIT or DROP. */
    static java.util.List<String> statements(String script) {
        StringBuilder sql = new StringBuilder();
        script.lines().filter(l -> !l.strip().startsWith("--")).forEach(l -> sql.append(l).append('\n'));
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String part : sql.toString().split(";")) {
            String s = part.strip();
            String head = s.toUpperCase(java.util.Locale.ROOT);
            if (!s.isEmpty() && !head.startsWith("DROP") && !head.startsWith("COMMIT")) {
                out.add(s);
            }
        }
        return out;
    }
}
