package fr.spie.gateway.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.spie.gateway.config.TransportSettings;
import fr.spie.gateway.delivery.DeliveryFailure;
import fr.spie.gateway.delivery.DeliveryTask;
import fr.spie.gateway.store.StoredExchange;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The outbox export writes in the recipient's id column only the ids the recipient issued (or given unissued); an
 * outbox that is no folder is a failure, one reached through a link is written in.
 */
class DepartementFileTransportTest {
    @TempDir
    Path dataDir;

    /** The first data line of the export of a person with these identifiers to cd-51. */
    String exportedToCd51(String identifiers) throws Exception {
        DepartementFileTransport transport = new DepartementFileTransport("cd-51",
                new TransportSettings.DepartementFile("outbox", null, null, null), dataDir);
        String person = "{\"birthName\": \"DUPONT\", \"givenNames\": [\"Jean\"], \"birthDate\": \"1980-01-15\", "
                + "\"identifiers\": " + identifiers + "}";
        String envelope = "{\"recordType\": \"person\", \"subject\": " + person + ", \"payload\": " + person + "}";
        StoredExchange exchange = new StoredExchange(UUID.randomUUID(), "cd-08", "person", "1.0", "rsa-orientation",
                "public-task", "c", "p", "s", "v1", Instant.parse("2025-03-10T09:00:00Z"));
        transport.deliver(new DeliveryTask(exchange, "cd-51", "r", 1, envelope), envelope);
        try (var files = Files.list(transport.outbox())) {
            List<Path> written = files.toList();
            assertThat(written).hasSize(1);
            return Files.readAllLines(written.get(0), StandardCharsets.UTF_8).get(1);
        }
    }

    static String personEnvelope() {
        String person = "{\"birthName\": \"DUPONT\", \"givenNames\": [\"Jean\"], \"birthDate\": \"1980-01-15\"}";
        return "{\"recordType\": \"person\", \"subject\": " + person + ", \"payload\": " + person + "}";
    }

    static DeliveryTask task(String envelope) {
        StoredExchange exchange = new StoredExchange(UUID.randomUUID(), "cd-08", "person", "1.0", "rsa-orientation",
                "public-task", "c", "p", "s", "v1", Instant.parse("2025-03-10T09:00:00Z"));
        return new DeliveryTask(exchange, "cd-51", "r", 1, envelope);
    }

    /**
     * A file, or a link to nothing, where the outbox folder should be: creating the folder says the name exists, which
     * was taken for the export file an earlier attempt wrote, and the record counted delivered though no file was.
     */
    @ParameterizedTest
    @ValueSource(strings = {"file", "broken-link"})
    void anOutboxThatIsNoFolderIsAFailureNotADelivery(String what) throws Exception {
        Path outbox = dataDir.resolve("outbox");
        if (what.equals("file")) {
            Files.writeString(outbox, "not a folder");
        } else {
            Files.createSymbolicLink(outbox, dataDir.resolve("nowhere"));
        }
        DepartementFileTransport transport = new DepartementFileTransport("cd-51",
                new TransportSettings.DepartementFile("outbox", null, null, null), dataDir);
        String envelope = personEnvelope();
        assertThatThrownBy(() -> transport.deliver(task(envelope), envelope))
                .isInstanceOfSatisfying(DeliveryFailure.class, f -> assertThat(f.retryable()).isTrue())
                .hasMessage("the outbox " + outbox + " is not a folder (a file, or a link to nothing, has its name)");
    }

    @Test
    void anOutboxReachedThroughALinkIsWrittenIn() throws Exception {
        Path real = Files.createDirectories(dataDir.resolve("sftp/cd-51"));
        Files.createSymbolicLink(dataDir.resolve("outbox"), real);
        DepartementFileTransport transport = new DepartementFileTransport("cd-51",
                new TransportSettings.DepartementFile("outbox", null, null, null), dataDir);
        String envelope = personEnvelope();
        DeliveryTask task = task(envelope);
        assertThat(transport.deliver(task, envelope)).startsWith("written to the outbox as spie-person-");
        assertThat(transport.deliver(task, envelope)).startsWith("already in the outbox as spie-person-");
        try (var files = Files.list(real)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList())
                    .containsExactly(transport.fileName(task, "person"));
        }
    }

    @Test
    void anotherDepartementsIdIsNotWrittenAsTheRecipientsOwn() throws Exception {
        assertThat(exportedToCd51("[{\"scheme\": \"departement-id\", \"value\": \"08-77\", \"issuer\": \"cd-08\"}]"))
                .startsWith(";Jean;DUPONT;15/01/1980;");
    }

    @Test
    void theRecipientsOwnIdIsWritten() throws Exception {
        assertThat(exportedToCd51("[{\"scheme\": \"departement-id\", \"value\": \"08-77\", \"issuer\": \"cd-08\"}, "
                + "{\"scheme\": \"departement-id\", \"value\": \"D-001\", \"issuer\": \"CD 51\"}]"))
                .startsWith("D-001;Jean;DUPONT;15/01/1980;");
    }
}
