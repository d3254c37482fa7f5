package fr.spie.gateway.cli;

import java.nio.file.Path;

/**
 * The URL by which the offline commands open a data directory's embedded H2 database: the gateway's file store
 * ({@code retry:}, as application.yml) and settings, opened only if it exists ({@link EmbeddedDatabaseMissing}).
 */
final class EmbeddedDatabaseUrl {

    private EmbeddedDatabaseUrl() {
    }

    static String existing(Path dataDir) {
        return "jdbc:h2:retry:" + dataDir.resolve("db").resolve("spie").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;IFEXISTS=TRUE";
    }
}
