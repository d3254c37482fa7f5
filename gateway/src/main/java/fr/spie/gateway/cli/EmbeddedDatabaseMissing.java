package fr.spie.gateway.cli;

import java.nio.file.Path;
import java.sql.SQLException;

/**
 * The commands that read a data directory's embedded H2 database open it only if it exists (IFEXISTS=TRUE): a
 * directory that is not the gateway's data directory, or that of a gateway on another database (PostgreSQL), has
 * none, which H2 says in its words (error 90146, "Database ... not found, and IFEXISTS=true, so we cant auto-create
 * it"). Says so in the operator's terms.
 */
final class EmbeddedDatabaseMissing {
    /** H2's DATABASE_NOT_FOUND_WITH_IF_EXISTS_1. */
    private static final int NOT_FOUND_WITH_IF_EXISTS = 90146;

    private EmbeddedDatabaseMissing() {
    }

    /** The explanation when {@code failure} is H2's missing database, else null. */
    static String explain(Throwable failure, Path dataDir) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getErrorCode() == NOT_FOUND_WITH_IF_EXISTS) {
                return "no embedded database in " + dataDir.resolve("db") + " (spie.mv.db): is " + dataDir
                        + " the gateway's data directory (spie.data-dir)? If the gateway runs on another database "
                        + "(spring.datasource.url), give it as --jdbc-url, with --db-user and --db-password";
            }
        }
        return null;
    }
}
