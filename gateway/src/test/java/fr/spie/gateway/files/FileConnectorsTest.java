package fr.spie.gateway.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.spie.connector.InboundConnector;
import fr.spie.connector.RecordRejection;
import fr.spie.connector.RecordSink;
import fr.spie.connector.SpieRecord;
import fr.spie.connector.UnreadableInputException;
import fr.spie.gateway.config.FileChannel;
import fr.spie.gateway.config.LegalBasis;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The test fixtures read as the file-channel tests expect, with the connector each format selects. */
class FileConnectorsTest {
    static final LegalBasis BASIS = new LegalBasis("public-task", "x");

    static byte[] fixture(String name) throws Exception {
        try (InputStream in = FileConnectorsTest.class.getResourceAsStream("/files/" + name)) {
            return in.readAllBytes();
        }
    }

    static final class Collect implements RecordSink {
        final List<SpieRecord> records = new ArrayList<>();
        final List<RecordRejection> rejections = new ArrayList<>();

        @Override
        public void accept(SpieRecord record) {
            records.add(record);
        }

        @Override
        public void reject(RecordRejection rejection) {
            rejections.add(rejection);
        }
    }

    static Collect read(String format, String mapping, String fixture) throws Exception {
        InboundConnector c = FileConnectors.forChannel("p-1", new FileChannel(format, "x", BASIS, null, mapping, null));
        Collect sink = new Collect();
        c.read(new ByteArrayInputStream(fixture(fixture)), sink);
        return sink;
    }

    @Test
    void cnafFixtures() throws Exception {
        Collect ok = read(FileChannel.CNAF_VRSB0801, null, "cnaf-monthly.xml");
        assertThat(ok.records).hasSize(6);
        assertThat(ok.rejections).isEmpty();
        Collect bad = read(FileChannel.CNAF_VRSB0801, null, "cnaf-bad-person.xml");
        assertThat(bad.records).hasSize(4);
        assertThat(bad.rejections).extracting(RecordRejection::location)
                .containsExactly("/Racine/InfosFoyerRSA[2]/Personne[1]");
        assertThatThrownBy(() -> read(FileChannel.CNAF_VRSB0801, null, "cnaf-xxe.xml"))
                .isInstanceOf(UnreadableInputException.class).hasMessageContaining("DTD");
    }

    /** RSABEM.xml, the CNAF's own sample, declares one household and holds two: the channel decides what that means. */
    @Test
    void aCnafFileWhoseDeclaredTotalIsWrongIsRefusedOrReportedAsConfigured() throws Exception {
        byte[] wrongTotal = new String(fixture("cnaf-monthly.xml"), "ISO-8859-1")
                .replace("<NBTOTDOSRSATRANSM>00000002<", "<NBTOTDOSRSATRANSM>00000001<").getBytes("ISO-8859-1");
        FileChannel strict = new FileChannel(FileChannel.CNAF_VRSB0801, "x", BASIS, null, null, null);
        assertThatThrownBy(() -> FileConnectors.forChannel("caf-51", strict).read(
                new ByteArrayInputStream(wrongTotal), new Collect()))
                .isInstanceOf(UnreadableInputException.class).hasMessageContaining("NBTOTDOSRSATRANSM");

        FileChannel report = new FileChannel(FileChannel.CNAF_VRSB0801, "x", BASIS, null, null, null,
                FileChannel.REPORT);
        Collect sink = new Collect();
        var summary = FileConnectors.forChannel("caf-51", report).read(new ByteArrayInputStream(wrongTotal), sink);
        assertThat(sink.records).hasSize(6);
        assertThat(summary.facts()).containsEntry("declaredCountMismatch", "true");
    }

    @Test
    void departementAndImiloFixtures() throws Exception {
        Collect csv = read(FileChannel.DEPARTEMENT_FILE, null, "carnet-de-bord-beneficiaires.csv");
        assertThat(csv.records).extracting(SpieRecord::recordType).containsExactly("person", "rsa-situation", "person");
        assertThat(csv.rejections).extracting(RecordRejection::location).containsExactly("line 4");
        Collect milo = read(FileChannel.IMILO_DOSSIER_JSON, null, "imilo-dossier-cej.json");
        assertThat(milo.records).extracting(SpieRecord::recordType).containsExactly("person", "youth-support");
    }

    @Test
    void exchangeIdsAreDeterministicPerPartnerFileAndIndex() {
        UUID a = FileProcessor.exchangeId("caf-51", "ab", 0);
        assertThat(FileProcessor.exchangeId("caf-51", "ab", 0)).isEqualTo(a);
        assertThat(FileProcessor.exchangeId("caf-51", "ab", 1)).isNotEqualTo(a);
        assertThat(FileProcessor.exchangeId("msa-51", "ab", 0)).isNotEqualTo(a);
        assertThat(a.version()).isEqualTo(8);
        assertThat(a.variant()).isEqualTo(2);
    }

    @Test
    void exchangeIdsOfOneFileAreConsecutiveInIndexOrder() {
        // the database's primary-key indexes then receive a file's records in one place, not at random
        java.util.Set<UUID> seen = new java.util.HashSet<>();
        UUID previous = null;
        for (long index : new long[] {0, 1, 2, 1_000, (1L << 30) - 1, 1L << 30, (1L << 30) + 1, (1L << 42) - 1}) {
            UUID id = FileProcessor.exchangeId("caf-51", "ab", index);
            assertThat(id.version()).isEqualTo(8);
            assertThat(id.variant()).isEqualTo(2);
            assertThat(seen.add(id)).isTrue();
            if (previous != null) {
                // unsigned order of the two halves, as H2 and PostgreSQL order UUIDs
                int order = Long.compareUnsigned(id.getMostSignificantBits(), previous.getMostSignificantBits());
                if (order == 0) {
                    order = Long.compareUnsigned(id.getLeastSignificantBits(), previous.getLeastSignificantBits());
                }
                assertThat(order).as("id of record %d after the previous one", index).isPositive();
            }
            previous = id;
        }
        // another file: another prefix and another tail
        UUID other = FileProcessor.exchangeId("caf-51", "cd", 0);
        UUID first = FileProcessor.exchangeId("caf-51", "ab", 0);
        assertThat(other.getMostSignificantBits() >>> 16).isNotEqualTo(first.getMostSignificantBits() >>> 16);
        assertThat(other.getLeastSignificantBits() & 0xffff_ffffL)
                .isNotEqualTo(first.getLeastSignificantBits() & 0xffff_ffffL);
        assertThatThrownBy(() -> FileProcessor.exchangeId("caf-51", "ab", 1L << 42))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesThatArePathsAreRefused() {
        assertThat(FileNames.problem("RSABEM_202502.xml")).isEmpty();
        assertThat(FileNames.problem("../../etc/passwd")).isPresent();
        assertThat(FileNames.problem("..\\x.xml")).isPresent();
        assertThat(FileNames.problem("..")).isPresent();
        assertThat(FileNames.problem(".hidden")).isPresent();
        assertThat(FileNames.problem("a\u0000b")).isPresent();
        assertThat(FileNames.problem("C:x")).isPresent();
    }
}
