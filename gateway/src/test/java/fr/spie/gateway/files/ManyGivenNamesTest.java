package fr.spie.gateway.files;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.connector.SpieRecord;
import fr.spie.gateway.config.FileChannel;
import fr.spie.schema.SpieSchemas;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * A département's line naming a person with more than three given names (French civil status sets no number) gives
 * envelopes the gateway accepts, all the names kept, declared as schema 1.1 (which allows them); a line with three
 * or fewer stays 1.0.
 */
class ManyGivenNamesTest {
    /** A line of the built-in departement-orientations export (IODAS-like), its Prénoms comma-separated. */
    static final String HEADER = "ID SI;N° CAF;ID France Travail;NIR;Nom de naissance;Nom d'usage;Prénoms;"
            + "Date de naissance;Sexe;Etat droit RSA;Soumis droits et devoirs;Parcours;Statut orientation;"
            + "Date orientation;Organisme référent;Structure référente;Code structure;Référent nom;Référent prénom;"
            + "Référent email;Date désignation\n";

    static ObjectNode envelopeOf(SpieRecord record) {
        ReceivedFile file = new ReceivedFile(UUID.randomUUID(), "cd-51", "f.csv", "d", 1, FileChannel.DEPARTEMENT_FILE,
                "inbox", null, null, null, 0, 0, 0, 0, 0, Instant.parse("2025-03-03T05:15:00Z"), null, null, null,
                null, null, null, null, null, null, null, null);
        FileChannel channel = new FileChannel(FileChannel.DEPARTEMENT_FILE, "rsa-orientation",
                CafAndDepartementPersonKeyTest.BASIS, null, null, null);
        return new FileRecordEnvelopes(file, channel).of(UUID.randomUUID(), record);
    }

    static SpieRecord line(String givenNames) throws Exception {
        FileChannel channel = new FileChannel(FileChannel.DEPARTEMENT_FILE, "rsa-orientation",
                CafAndDepartementPersonKeyTest.BASIS, null, "departement-orientations", null);
        FileConnectorsTest.Collect read = new FileConnectorsTest.Collect();
        FileConnectors.forChannel("cd-51", channel).read(new ByteArrayInputStream((HEADER + "IODAS822920;"
                + "205599000000000;;2820251108030;TIFOUR;;" + givenNames + ";11/02/1982;2;2;Oui;Social;Orientée;"
                + "03/03/2025;Département;Maison des solidarités de Reims;MDS-REIMS;Martin;Léa;LEA.MARTIN@marne.fr;"
                + "04/03/2025\n").getBytes(java.nio.charset.Charset.forName("windows-1252"))), read);
        assertThat(read.rejections).isEmpty();
        return read.records.get(0);
    }

    @Test
    void fiveGivenNamesAreKeptAndTheEnvelopeIsValidAs11() throws Exception {
        ObjectNode envelope = envelopeOf(line("Sophie,Anne,Marie,Louise,Jeanne"));

        assertThat(envelope.path("subject").path("givenNames")).hasSize(5);
        assertThat(envelope.path("schemaVersion").asString()).isEqualTo("1.1");
        assertThat(SpieSchemas.load().validateEnvelope(envelope)).isEmpty();

        ObjectNode three = envelopeOf(line("Sophie,Anne,Marie"));
        assertThat(three.path("schemaVersion").asString()).isEqualTo("1.0");
        assertThat(SpieSchemas.load().validateEnvelope(three)).isEmpty();
    }
}
