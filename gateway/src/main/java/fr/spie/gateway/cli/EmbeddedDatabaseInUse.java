package fr.spie.gateway.cli;

import java.nio.file.Path;
import java.sql.SQLException;

/**
 * The commands that read a data directory's embedded H2 database cannot open it while the gateway runs on it (H2
 * locks the file: error 90020, "Database may be already in use ... use the server mode"). Says so in the operator's
 * terms.
 */
final class EmbeddedDatabaseInUse {
    /** H2's DATABASE_ALREADY_OPEN_1. */
    private static final int ALREADY_OPEN = 90020;

    private EmbeddedDatabaseInUse() {
    }

    /** The explanation when {@code failure} is H2's file lock, else null. */
    static String explain(Throwable failure, Path dataDir, String whileRunning) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getErrorCode() == ALREADY_OPEN) {
                return "the database of " + dataDir + " is in use: a gateway is running on this data directory. "
                        + "Stop it first, or " + whileRunning;
            }
        }
        return null;
    }
}
