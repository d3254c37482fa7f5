package fr.spie.gateway.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Which database URLs name an H2 file whose size is measured, and which file. */
class EmbeddedDatabaseFileMetricsTest {

    @Test
    void theGatewaysEmbeddedDatabaseIsItsFileAndOtherDatabasesAreNone() {
        assertThat(EmbeddedDatabaseFileMetrics.h2File("jdbc:h2:retry:/var/lib/spie/db/spie;MODE=PostgreSQL;"
                + "WRITE_DELAY=0")).contains(Path.of("/var/lib/spie/db/spie.mv.db"));
        assertThat(EmbeddedDatabaseFileMetrics.h2File("jdbc:h2:file:./data/db/spie"))
                .contains(Path.of("./data/db/spie.mv.db"));
        assertThat(EmbeddedDatabaseFileMetrics.h2File("jdbc:h2:./data/db/spie;IFEXISTS=TRUE"))
                .contains(Path.of("./data/db/spie.mv.db"));
        assertThat(EmbeddedDatabaseFileMetrics.h2File("jdbc:postgresql://db:5432/spie")).isEmpty();
        assertThat(EmbeddedDatabaseFileMetrics.h2File("jdbc:h2:mem:test;DB_CLOSE_DELAY=-1")).isEmpty();
        assertThat(EmbeddedDatabaseFileMetrics.h2File("jdbc:h2:tcp://db:9092/spie")).isEmpty();
        assertThat(EmbeddedDatabaseFileMetrics.h2File(null)).isEmpty();
    }
}
