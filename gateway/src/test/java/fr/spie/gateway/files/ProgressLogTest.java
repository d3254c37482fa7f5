package fr.spie.gateway.files;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ProgressLogTest {
    static final long SECOND = 1_000_000_000L;
    final Logger logger = (Logger) LoggerFactory.getLogger("test.progress." + UUID.randomUUID());
    final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeEach
    void capture() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
    }

    @Test
    void aLongFileGivesOneProgressLineEveryIntervalWithCountsAndRate() {
        UUID id = UUID.randomUUID();
        ProgressLog progress = new ProgressLog(logger, id, "caf-51", 1_000_000L, 0);

        progress.stored(new ReceivedFileStore.Counts(500, 400, 90, 10), 10 * SECOND);
        assertThat(lines.list).isEmpty(); // not yet: at most one line per interval

        progress.stored(new ReceivedFileStore.Counts(60_000, 50_000, 9_000, 1_000), 30 * SECOND);
        progress.stored(new ReceivedFileStore.Counts(60_500, 50_400, 9_090, 1_010), 31 * SECOND);
        assertThat(lines.list).singleElement().satisfies(line -> assertThat(line.getFormattedMessage()).isEqualTo(
                "file " + id + " from caf-51: 60000 of 1000000 records done (50000 accepted, 9000 unchanged, 1000"
                        + " rejected), 2000 per second"));

        progress.stored(new ReceivedFileStore.Counts(120_000, 100_000, 18_000, 2_000), 60 * SECOND);
        assertThat(lines.list).hasSize(2);
    }
}
