package fr.spie.gateway.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import fr.spie.gateway.intake.IntakeRejection;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The {@code after} cursor of {@code GET /api/v1/files}: only the gateway's own cursors are taken. */
class FileListCursorTest {

    @Test
    void theGatewaysOwnCursorsComeBackAsTheyWere() {
        for (Instant at : new Instant[] {Instant.parse("2031-03-02T10:15:30.123456Z"), Instant.EPOCH,
                Instant.parse("1969-12-31T23:59:59.999999Z"), Instant.parse("0001-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z")}) {
            FileListCursor cursor = new FileListCursor(at, UUID.randomUUID());
            assertThat(FileListCursor.decode(cursor.encode())).isEqualTo(cursor);
            assertThat(FileListQuery.of(Map.of("after", new String[] {cursor.encode()})).after()).isEqualTo(cursor);
        }
    }

    @Test
    void aCursorTheGatewayCouldNotHaveGivenIsAnInvalidParameterNamingAfter() {
        assertThat(HostileFileListCursors.all()).hasSizeGreaterThan(50);
        for (String hostile : HostileFileListCursors.all()) {
            Throwable thrown = catchThrowable(() -> FileListQuery.of(Map.of("after", new String[] {hostile})));
            assertThat(thrown).as(hostile).isInstanceOf(IntakeRejection.class);
            IntakeRejection rejection = (IntakeRejection) thrown;
            assertThat(rejection.status()).isEqualTo(400);
            assertThat(rejection.problem()).isEqualTo("invalid-parameter");
            assertThat(rejection.getMessage()).as(hostile).startsWith("after: ");
            assertThat(rejection.errors().get(0).pointer()).isEqualTo("after");
        }
    }
}
