package fr.spie.gateway.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;

/**
 * Child process of {@link CommandsOnARunningGatewaysDataTest}: opens the embedded database of a data directory, as a
 * running gateway does, says so, and holds it until killed.
 */
public final class HoldDatabase {
    private HoldDatabase() {
    }

    /** Starts the child process on the embedded database of {@code dataDir} and returns once it holds it. */
    static Process holding(Path dataDir) throws IOException {
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), HoldDatabase.class.getName(),
                dataDir.resolve("db").resolve("spie").toAbsolutePath().toString()).redirectErrorStream(true).start();
        String first = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        if (!"holding".equals(first)) {
            holder.destroyForcibly();
            throw new IllegalStateException("the process holding the database said: " + first);
        }
        return holder;
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
