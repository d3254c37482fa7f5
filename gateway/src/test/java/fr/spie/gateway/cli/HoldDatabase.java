package fr.spie.gateway.cli;

import java.sql.Connection;
import java.sql.DriverManager;

/**
 * Child process of {@link CommandsOnARunningGatewaysDataTest}: opens the embedded database of a data directory, as a
 * running gateway does, says so, and holds it until killed.
 */
public final class HoldDatabase {
    private HoldDatabase() {
    }

    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + args[0]
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "sa", "")) {
            System.out.println("holding");
            System.out.flush();
            Thread.sleep(120_000);
        }
    }
}
