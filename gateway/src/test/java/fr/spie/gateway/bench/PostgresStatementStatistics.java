package fr.spie.gateway.bench;

import fr.spie.gateway.it.prod.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * PostgreSQL's own per-statement figures for a benchmark run ({@code -Dbench.pg.statistics=true}): the server is
 * started with {@code pg_stat_statements}, the figures are reset once the gateways are up, and the statements that
 * took the most time are printed after the load, with the shared buffers each call touched (a look-up reading
 * hundreds of pages is a plan to look at).
 */
final class PostgresStatementStatistics {
    static final List<String> SERVER_SETTINGS = List.of("shared_preload_libraries=pg_stat_statements",
            "pg_stat_statements.track=all");

    private PostgresStatementStatistics() {
    }

    static boolean enabled() {
        return Boolean.getBoolean("bench.pg.statistics");
    }

    /** Creates the extension in the run's database and starts its figures afresh. */
    static void reset(String jdbcUrl) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, PostgresServer.USER, "");
             Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            s.execute("SELECT pg_stat_statements_reset()");
        }
    }

    /** The statements of the run's database by total execution time, most first. */
    static String top(String jdbcUrl, int limit) throws SQLException {
        StringBuilder out = new StringBuilder(String.format(
                "PostgreSQL statements by total execution time (ms; calls; average ms; shared buffers per call):%n"));
        try (Connection c = DriverManager.getConnection(jdbcUrl, PostgresServer.USER, "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT total_exec_time, calls, shared_blks_hit + shared_blks_read, "
                     + "regexp_replace(query, '\\s+', ' ', 'g') FROM pg_stat_statements "
                     + "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                     + "ORDER BY total_exec_time DESC LIMIT " + limit)) {
            while (rs.next()) {
                long calls = Math.max(1, rs.getLong(2));
                String query = rs.getString(4);
                out.append(String.format("%10.0f %9d %8.3f %9.1f  %s%n", rs.getDouble(1), calls,
                        rs.getDouble(1) / calls, rs.getDouble(3) / calls,
                        query.length() > 110 ? query.substring(0, 110) + "..." : query));
            }
        }
        return out.toString();
    }
}
