package fr.spie.gateway.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * Child process of {@link EmbeddedDatabaseShutdownTest}: opens the database with the given JDBC URL, then exits the
 * JVM as SIGTERM does (shutdown hooks run); its own hook, standing for the gateway's graceful shutdown (in-flight
 * deliveries recorded, the ledger writer's last batch), writes a row 500 ms later and says whether it could.
 */
public final class WriteDuringShutdown {
    private WriteDuringShutdown() {
    }

    public static void main(String[] args) throws Exception {
        Connection c = DriverManager.getConnection(args[0], "sa", "");
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE probe (id INT PRIMARY KEY)");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Thread.sleep(500);
                try (Statement s = c.createStatement()) {
                    s.execute("INSERT INTO probe VALUES (1)");
                }
                c.close();
                System.out.println("written during shutdown");
            } catch (Exception e) {
                System.out.println("write during shutdown failed: " + e.getMessage());
            }
            System.out.flush();
        }));
        System.exit(0);
    }
}
