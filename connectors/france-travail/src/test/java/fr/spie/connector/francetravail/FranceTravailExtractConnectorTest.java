package fr.spie.connector.francetravail;

import static fr.spie.connector.francetravail.TestSupport.assertAllValid;
import static fr.spie.connector.francetravail.TestSupport.json;
import static fr.spie.connector.francetravail.TestSupport.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.spie.connector.ReadSummary;
import fr.spie.connector.RecordRejection;
import fr.spie.connector.SpieRecord;
import fr.spie.connector.UnreadableInputException;
import fr.spie.connector.testing.CollectingSink;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class FranceTravailExtractConnectorTest {

    private final FranceTravailExtractConnector connector =
            new FranceTravailExtractConnector(StandardCharsets.UTF_8, "ft-51");

    private static byte[] bytes(String path) throws IOException {
        try (InputStream in = resource(path)) {
            return in.readAllBytes();
        }
    }

    private CollectingSink read(FranceTravailExtractConnector c, byte[] input) throws UnreadableInputException {
        CollectingSink sink = new CollectingSink();
        c.read(new ByteArrayInputStream(input), sink);
        return sink;
    }

    @Test
    void format() {
        assertThat(connector.format()).isEqualTo("france-travail-extract-spie");
    }

    @Test
    void nominalFileMapsToTheExpectedRecords() throws Exception {
        CollectingSink sink = new CollectingSink();
        ReadSummary summary = connector.read(resource("/fixtures/extract/nominal.csv"), sink);

        JsonNode actual = sink.recordsAsJson();
        Path dump = Path.of("target/nominal.actual.json");
        Files.writeString(dump, TestSupport.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(actual));
        assertThat(actual).as("see %s", dump.toAbsolutePath()).isEqualTo(json("/fixtures/extract/nominal.expected.json"));

        assertThat(sink.rejections).isEmpty();
        assertThat(summary.nativeRecords()).isEqualTo(4);
        assertThat(summary.records()).isEqualTo(8);
        assertThat(summary.rejected()).isZero();
        assertThat(summary.facts()).containsEntry("charset", "UTF-8").containsEntry("columns", "44")
                .containsEntry("droppedInvalidReferentMail", "1").doesNotContainKey("missingOptionalColumns");
        assertAllValid(sink.records);
    }

    @Test
    void eachLineGivesPersonThenJobseekerSituationWithTheSameSubjectAndChangeKey() throws Exception {
        CollectingSink sink = read(connector, bytes("/fixtures/extract/nominal.csv"));
        for (int i = 0; i < sink.records.size(); i += 2) {
            SpieRecord person = sink.records.get(i);
            SpieRecord situation = sink.records.get(i + 1);
            assertThat(person.recordType()).isEqualTo("person");
            assertThat(situation.recordType()).isEqualTo("jobseeker-situation");
            assertThat(situation.subject()).isEqualTo(person.subject());
            assertThat(situation.changeKey()).isEqualTo(person.changeKey()).startsWith("ft:");
            assertThat(situation.location()).isEqualTo(person.location()).startsWith("line ");
            assertThat(person.subject().has("nir")).isFalse();
        }
    }

    @Test
    void badLinesAreRejectedWithASpecificReasonAndTheFileGoesOn() throws Exception {
        CollectingSink sink = new CollectingSink();
        ReadSummary summary = connector.read(resource("/fixtures/extract/bad-lines.csv"), sink);

        assertThat(sink.rejections).containsExactly(
                new RecordRejection("line 3", "missing mandatory value in column identifiant_unique_de"),
                new RecordRejection("line 4", "column date_naissance: invalid calendar date"),
                new RecordRejection("line 5", "column inscription: not a date (expected YYYY-MM-DD[ HH:MM:SS.f])"),
                new RecordRejection("line 6", "column modalite_accompagnement: unknown code \"INTENSIF\" (expected GUIDE, RENFORCE, SUIVI or GLOBAL)"),
                new RecordRejection("line 7", "column categorie_inscription: unknown category \"9\" (expected 1..8)"),
                new RecordRejection("line 9", "column civilite: unknown code \"DR\" (expected MME or M.)"),
                new RecordRejection("line 10", "column dif_sante: unknown value \"PEUT-ETRE\" (expected O/N/OUI/NON)"),
                new RecordRejection("line 11", "has 41 fields, the header has 44"),
                new RecordRejection("line 12", "column code_lieu_naissance: unknown code (expected an INSEE commune or 99xxx country code)"),
                new RecordRejection("line 13", "missing mandatory value in column nom"));
        // line 8's rome_1 is no ROME code (FAKE): dropped and counted, the line is mapped with its rome_2
        assertThat(sink.records).extracting(SpieRecord::location)
                .containsExactly("line 2", "line 2", "line 8", "line 8", "line 14", "line 14");
        assertThat(sink.records.get(3).payload().get("romeCodes").toString()).isEqualTo("[\"N1103\"]");
        assertThat(summary.facts()).containsEntry("droppedInvalidRomeCode", "1");
        assertThat(summary.nativeRecords()).isEqualTo(13);
        assertThat(summary.records()).isEqualTo(6);
        assertThat(summary.rejected()).isEqualTo(10);
        assertAllValid(sink.records);
    }

    @Test
    void utf8BomIsSkippedAndWins() throws Exception {
        byte[] csv = bytes("/fixtures/extract/nominal.csv");
        ByteArrayOutputStream withBom = new ByteArrayOutputStream();
        withBom.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        withBom.write(csv);
        CollectingSink plain = read(connector, csv);
        // configured ISO-8859-1, but the BOM declares UTF-8
        CollectingSink bom = read(new FranceTravailExtractConnector(StandardCharsets.ISO_8859_1, "ft-51"), withBom.toByteArray());
        assertThat(bom.recordsAsJson()).isEqualTo(plain.recordsAsJson());
    }

    @Test
    void iso88591FileReadWithTheConfiguredCharset() throws Exception {
        String text = new String(bytes("/fixtures/extract/nominal.csv"), StandardCharsets.UTF_8).replace("\n", "\r\n");
        byte[] latin1 = text.getBytes(StandardCharsets.ISO_8859_1);
        CollectingSink sink = read(new FranceTravailExtractConnector(StandardCharsets.ISO_8859_1, "ft-51"), latin1);
        assertThat(sink.recordsAsJson()).isEqualTo(read(connector, bytes("/fixtures/extract/nominal.csv")).recordsAsJson());
        assertThat(sink.records.get(4).payload().get("birthName").asString()).isEqualTo("LEFÈVRE");
    }

    @Test
    void utf8BytesReadAsIso88591MakeTheFileUnreadable() throws Exception {
        // the extract is now UTF-8 (no BOM) but the channel still says ISO-8859-1: LEFÈVRE would become LEFÃˆVRE
        assertThatThrownBy(() -> read(new FranceTravailExtractConnector(StandardCharsets.ISO_8859_1, "ft-51"),
                bytes("/fixtures/extract/nominal.csv")))
                .isInstanceOf(UnreadableInputException.class)
                .hasMessageContaining("read as ISO-8859-1 but its bytes are UTF-8");
    }

    @Test
    void iso88591BytesReadAsUtf8MakeTheFileUnreadable() throws Exception {
        byte[] latin1 = new String(bytes("/fixtures/extract/nominal.csv"), StandardCharsets.UTF_8).getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> read(connector, latin1))
                .isInstanceOf(UnreadableInputException.class)
                .hasMessageContaining("not valid in UTF-8")
                .hasMessageContaining("ISO-8859-1");
    }

    /**
     * The nominal header, then copies of its first data line up to line {@code lines}; line {@code bad} has the byte
     * 0xFF (never valid in UTF-8) after its first ten bytes. Lines end with {@code eol}.
     */
    private static byte[] extractWithBadByte(int lines, int bad, String eol) throws IOException {
        List<String> nominal = new String(bytes("/fixtures/extract/nominal.csv"), StandardCharsets.UTF_8).lines().toList();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 1; i <= lines; i++) {
            byte[] line = nominal.get(i == 1 ? 0 : 1).getBytes(StandardCharsets.UTF_8);
            int cut = i == bad ? 10 : line.length;
            out.write(line, 0, cut);
            if (i == bad) {
                out.write(0xFF);
            }
            out.write(line, cut, line.length - cut);
            out.write(eol.getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    private static UnreadableInputException unreadable(FranceTravailExtractConnector c, byte[] input) {
        try {
            c.read(new ByteArrayInputStream(input), new CollectingSink());
        } catch (UnreadableInputException e) {
            return e;
        }
        throw new AssertionError("the input was read");
    }

    @Test
    void invalidBytesAreReportedAtTheirLine() throws Exception {
        // the whole file is decoded ahead at once: the report must not be the line the reader had reached (line 1)
        UnreadableInputException e = unreadable(connector, extractWithBadByte(10, 6, "\n"));
        assertThat(e).hasMessage("bytes not valid in UTF-8 at line 6"
                + " (an ISO-8859-1/windows-1252 file needs the connector configured with that charset)");
        assertThat(e.location()).isEqualTo("line 6");
        assertThat(unreadable(connector, extractWithBadByte(3, 1, "\r\n")).location()).isEqualTo("line 1");
        assertThat(unreadable(connector, extractWithBadByte(3, 3, "\r")).location()).isEqualTo("line 3");
    }

    @Test
    void invalidBytesFarDownALargeFileAreReportedAtTheirLine() throws Exception {
        byte[] big = extractWithBadByte(3000, 2718, "\r\n");
        assertThat(big.length).isGreaterThan(16 * 64 * 1024);
        UnreadableInputException e = unreadable(connector, big);
        assertThat(e).hasMessageStartingWith("bytes not valid in UTF-8 at line 2718 (");
        assertThat(e.location()).isEqualTo("line 2718");
    }

    @Test
    void invalidBytesAfterAUtf8BomAreReportedAsNotUtf8() throws Exception {
        ByteArrayOutputStream withBom = new ByteArrayOutputStream();
        withBom.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        withBom.write(extractWithBadByte(8, 4, "\n"));
        // configured ISO-8859-1 (where every byte is valid), but the BOM made the reader decode UTF-8
        UnreadableInputException e = unreadable(new FranceTravailExtractConnector(StandardCharsets.ISO_8859_1, "ft-51"),
                withBom.toByteArray());
        assertThat(e).hasMessage("bytes not valid in UTF-8 at line 4 (the file starts with a UTF-8 byte-order mark)");
        assertThat(e.location()).isEqualTo("line 4");
        assertThat(unreadable(connector, withBom.toByteArray()))
                .hasMessage("bytes not valid in UTF-8 at line 4 (the file starts with a UTF-8 byte-order mark)");
    }

    @Test
    void utf16BomOfEitherByteOrderIsUnreadableWhateverTheCharset() {
        List<FranceTravailExtractConnector> connectors =
                List.of(connector, new FranceTravailExtractConnector(StandardCharsets.ISO_8859_1, "ft-51"));
        for (byte[] bom : List.of(new byte[] {(byte) 0xFE, (byte) 0xFF, 0, 'a'}, new byte[] {(byte) 0xFF, (byte) 0xFE, 'a', 0})) {
            for (FranceTravailExtractConnector c : connectors) {
                UnreadableInputException e = unreadable(c, bom);
                assertThat(e).hasMessage("UTF-16 byte-order mark: the extract must be UTF-8 or ISO-8859-1");
                assertThat(e.location()).isEqualTo("line 1");
            }
        }
    }

    @Test
    void headerWithoutRequiredColumnsIsUnreadable() {
        byte[] csv = "identifiant_unique_de;nom;prenom\nx;y;z\n".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> read(connector, csv))
                .isInstanceOf(UnreadableInputException.class)
                .hasMessage("header lacks required column(s) [date_naissance, inscription, categorie_inscription]: not a France Travail SPIE extract")
                .extracting(e -> ((UnreadableInputException) e).location()).isEqualTo("line 1");
    }

    @Test
    void notCsvOrEmptyIsUnreadable() {
        assertThatThrownBy(() -> read(connector, new byte[0])).isInstanceOf(UnreadableInputException.class)
                .hasMessageContaining("empty input");
        assertThatThrownBy(() -> read(connector, "<?xml version=\"1.0\"?><fichier/>".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnreadableInputException.class).hasMessageContaining("not a ';'-separated header");
        assertThatThrownBy(() -> read(connector, new byte[] {(byte) 0xFF, (byte) 0xFE, 'a', 0, ';', 0}))
                .isInstanceOf(UnreadableInputException.class).hasMessageContaining("UTF-16");
        assertThatThrownBy(() -> read(connector, new byte[] {'P', 'K', 3, 4, (byte) 0x9F, (byte) 0x80, ';'}))
                .isInstanceOf(UnreadableInputException.class).hasMessageContaining("not valid in UTF-8");
    }

    @Test
    void headerOnlyFileIsEmptyNotUnreadable() throws Exception {
        String header = new String(bytes("/fixtures/extract/nominal.csv"), StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
        CollectingSink sink = new CollectingSink();
        ReadSummary s = connector.read(new ByteArrayInputStream((header + "\n").getBytes(StandardCharsets.UTF_8)), sink);
        assertThat(s.nativeRecords()).isZero();
        assertThat(sink.records).isEmpty();
    }

    @Test
    void columnsMayComeInAnyOrderAndOptionalOnesMayBeMissing() throws Exception {
        byte[] csv = ("CATEGORIE_INSCRIPTION;inscription;date_naissance;prenom;nom;identifiant_unique_de;extra_col\n"
                + "3;2024-01-02 00:00:00.0;1980-01-01 00:00:00.0;ANNE;DURAND;c0ffee00-0000-4000-8000-000000000001;whatever\n")
                .getBytes(StandardCharsets.UTF_8);
        CollectingSink sink = new CollectingSink();
        ReadSummary s = connector.read(new ByteArrayInputStream(csv), sink);
        assertThat(sink.rejections).isEmpty();
        assertThat(sink.records).hasSize(2);
        assertThat(sink.records.get(1).payload().toString())
                .isEqualTo("{\"registration\":{\"date\":\"2024-01-02\",\"category\":\"3\"}}");
        assertThat(s.facts()).containsEntry("ignoredColumns", "extra_col").containsKey("missingOptionalColumns");
        assertAllValid(sink.records);
    }

    @Test
    void quotedFieldsMayContainTheSeparator() {
        assertThat(SemicolonLine.split("a;\"b;c\";\"d \"\"e\"\"\";;")).containsExactly("a", "b;c", "d \"e\"", "", "");
        assertThat(SemicolonLine.split("")).containsExactly("");
        assertThatThrownBy(() -> SemicolonLine.split("a;\"b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void streamsWithoutHoldingTheFile() throws Exception {
        // 50k lines generated on the fly: only counts are kept
        String header = new String(bytes("/fixtures/extract/nominal.csv"), StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
        String line = new String(bytes("/fixtures/extract/nominal.csv"), StandardCharsets.UTF_8).lines().skip(1).findFirst().orElseThrow();
        int n = 50_000;
        InputStream big = new java.io.SequenceInputStream(new java.util.Enumeration<>() {
            int i = -1;

            public boolean hasMoreElements() {
                return i < n;
            }

            public InputStream nextElement() {
                i++;
                return new ByteArrayInputStream(((i == 0 ? header : line) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        });
        long[] count = new long[1];
        ReadSummary s = connector.read(big, new fr.spie.connector.RecordSink() {
            public void accept(SpieRecord record) {
                count[0]++;
            }

            public void reject(RecordRejection rejection) {
                throw new AssertionError(rejection.toString());
            }
        });
        assertThat(s.nativeRecords()).isEqualTo(n);
        assertThat(count[0]).isEqualTo(2L * n);
    }

    @Test
    void withoutPartnerIdNoIssuerNorPartnerId() throws Exception {
        CollectingSink sink = read(new FranceTravailExtractConnector(), bytes("/fixtures/extract/nominal.csv"));
        List<SpieRecord> records = sink.records;
        assertThat(records.get(0).subject().get("identifiers").get(0).has("issuer")).isFalse();
        assertThat(records.get(1).payload().get("structure").has("partnerId")).isFalse();
        assertAllValid(records);
    }
}
