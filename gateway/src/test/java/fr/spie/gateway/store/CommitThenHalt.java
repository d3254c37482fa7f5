package fr.spie.gateway.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * Child process of {@link EmbeddedDatabaseDurabilityTest}: commits one row with the given JDBC URL, then stops the
 * JVM at once, as {@code kill -9} would (no shutdown hook, no background writer gets another turn).
 */
public final class CommitThenHalt {
    private CommitThenHalt() {
    }

    public static void main(String[] args) throws Exception {
        Connection c = DriverManager.getConnection(args[0], "sa", "");
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE probe (id INT PRIMARY KEY)");
        }
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO probe VALUES (1)");
        }
        c.commit();
        System.out.println("committed");
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}
