package fr.spie.connector.departement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.spie.connector.ReadSummary;
import fr.spie.connector.RecordRejection;
import fr.spie.connector.UnreadableInputException;
import fr.spie.connector.testing.CollectingSink;
import fr.spie.connector.testing.TestResources;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigurableFileConnectorTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-10T09:00:00Z"), ZoneId.of("Europe/Paris"));

    static CollectingSink read(ConfigurableFileConnector connector, String fixture) throws UnreadableInputException {
        CollectingSink c = new CollectingSink();
        try (InputStream in = TestResources.open("fixtures/" + fixture)) {
            connector.read(in, c);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return c;
    }

    static FileMapping testMapping(String name) {
        return FileMapping.fromJson(TestResources.open("mappings/" + name + ".json"));
    }

    static FileMapping withEncoding(FileMapping m, String encoding) {
        return new FileMapping(m.name(), m.kind(), m.separator(), m.quote(), m.header(), java.nio.charset.Charset.forName(encoding),
                m.dateFormats(), m.columns(), m.keyColumn(), m.changeKeyPrefix(), m.nullValues(), m.fields(), m.records());
    }

    @Test
    void formatIsDepartementFile() {
        assertThat(new ConfigurableFileConnector().format()).isEqualTo("departement-file");
    }

    @ParameterizedTest
    @ValueSource(strings = {"beneficiaires-utf8-bom.csv", "beneficiaires-utf8.csv"})
    void defaultMappingWithAndWithoutBomGivesTheExpectedRecords(String fixture) throws Exception {
        CollectingSink c = read(new ConfigurableFileConnector(), fixture);
        c.dump(fixture + ".json");
        assertThat(c.events).isEqualTo(TestResources.json("expected/beneficiaires.json"));
        assertThat(c.schemaViolations()).isEmpty();
    }

    @Test
    void isoLatin1WithAccentsGivesTheSameRecords() throws Exception {
        FileMapping latin1 = withEncoding(FileMapping.carnetDeBordBeneficiaires(), "ISO-8859-1");
        CollectingSink c = read(new ConfigurableFileConnector(latin1), "beneficiaires-latin1.csv");
        assertThat(c.events).isEqualTo(TestResources.json("expected/beneficiaires.json"));
        assertThat(c.schemaViolations()).isEmpty();
    }

    @Test
    void windows1252KeepsCharactersLatin1HasNot() throws Exception {
        FileMapping cp1252 = withEncoding(FileMapping.carnetDeBordBeneficiaires(), "windows-1252");
        CollectingSink c = read(new ConfigurableFileConnector(cp1252), "beneficiaires-cp1252.csv");
        assertThat(c.records.get(0).payload().get("birthName").asString()).isEqualTo("L’Œuvre");
        assertThat(c.records.get(0).subject().get("birthName").asString()).isEqualTo("L’Œuvre");
        assertThat(c.records).hasSize(5);
        assertThat(c.schemaViolations()).isEmpty();
    }

    @Test
    void aBadLineInTheMiddleIsRejectedWithASpecificReasonAndTheFileGoesOn() throws Exception {
        CollectingSink c = new CollectingSink();
        ReadSummary summary;
        try (InputStream in = TestResources.open("fixtures/beneficiaires-utf8-bom.csv")) {
            summary = new ConfigurableFileConnector().read(in, c);
        }
        assertThat(c.rejections).containsExactly(new RecordRejection("line 4",
                "column 'Date de naissance*': not a date in any of the formats dd/MM/yyyy, yyyy-MM-dd, dd-MM-yyyy, dd.MM.yyyy"));
        assertThat(c.records).extracting(r -> r.location()).containsExactly("line 2", "line 2", "line 3", "line 5", "line 5");
        assertThat(summary.nativeRecords()).isEqualTo(4);
        assertThat(summary.records()).isEqualTo(5);
        assertThat(summary.rejected()).isEqualTo(1);
        assertThat(summary.facts()).containsEntry("bom", "true").containsEntry("mapping", "carnet-de-bord-beneficiaires")
                .containsEntry("droppedValues", "3");
        // the reason never carries the value
        assertThat(c.rejections.get(0).reason()).doesNotContain("31/02/1991");
    }

    /** The text of a fixture (read in {@code charset}) as UTF-8 bytes after a UTF-8 byte-order mark. */
    static byte[] utf8WithBom(String fixture, Charset charset) throws java.io.IOException {
        String text;
        try (InputStream in = TestResources.open("fixtures/" + fixture)) {
            text = new String(in.readAllBytes(), charset);
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xEF);
        out.write(0xBB);
        out.write(0xBF);
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    static CollectingSink read(ConfigurableFileConnector connector, byte[] input, ReadSummary[] summary)
            throws UnreadableInputException {
        CollectingSink c = new CollectingSink();
        summary[0] = connector.read(new ByteArrayInputStream(input), c);
        return c;
    }

    @ParameterizedTest
    @ValueSource(strings = {"windows-1252", "ISO-8859-1"})
    void utf8BomWinsOverASingleByteMappingEncoding(String encoding) throws Exception {
        // accented header names (Prénom*) and values, UTF-8 after a BOM, mapping saying windows-1252 / ISO-8859-1
        FileMapping mapping = withEncoding(FileMapping.carnetDeBordBeneficiaires(), encoding);
        ReadSummary[] summary = new ReadSummary[1];
        CollectingSink c = read(new ConfigurableFileConnector(mapping),
                utf8WithBom("beneficiaires-utf8.csv", StandardCharsets.UTF_8), summary);
        assertThat(c.events).isEqualTo(TestResources.json("expected/beneficiaires.json"));
        assertThat(c.records.get(0).payload().get("givenNames").get(0).asString()).isEqualTo("Hélène");
        assertThat(summary[0].facts()).containsEntry("encoding", encoding).containsEntry("bom", "true")
                .containsEntry("decodedAs", "UTF-8");
    }

    @Test
    void utf8BomWinsInAHeaderlessFile() throws Exception {
        // without the rule the BOM bytes would be the start of the first value ("ï»¿P1")
        ReadSummary[] summary = new ReadSummary[1];
        CollectingSink c = read(new ConfigurableFileConnector(testMapping("perceval-noheader"), CLOCK),
                utf8WithBom("perceval-noheader.txt", StandardCharsets.ISO_8859_1), summary);
        assertThat(c.rejections).isEmpty();
        assertThat(c.records).extracting(r -> r.changeKey()).containsExactly("dep:P1", "dep:P2");
        assertThat(c.records).extracting(r -> r.payload().get("birthName").asString()).containsExactly("MÜLLER", "ÑÚÑEZ");
        assertThat(summary[0].facts()).containsEntry("encoding", "ISO-8859-1").containsEntry("decodedAs", "UTF-8");
    }

    @Test
    void utf8BytesWithoutBomReadAsLatin1MakeTheFileUnreadable() {
        // the export is now UTF-8 but the mapping still says ISO-8859-1: its accented letters would be read as two
        FileMapping latin1 = withEncoding(testMapping("solis-jsonl"), "ISO-8859-1");
        assertThatThrownBy(() -> read(new ConfigurableFileConnector(latin1, CLOCK), "solis-export.jsonl"))
                .isInstanceOf(UnreadableInputException.class)
                .hasMessageContaining("read as ISO-8859-1 (the mapping's encoding) but its bytes are UTF-8");
    }

    @Test
    void utf8BomWinsInJsonLines() throws Exception {
        FileMapping latin1 = withEncoding(testMapping("solis-jsonl"), "ISO-8859-1");
        ReadSummary[] summary = new ReadSummary[1];
        CollectingSink c = read(new ConfigurableFileConnector(latin1, CLOCK),
                utf8WithBom("solis-export.jsonl", StandardCharsets.UTF_8), summary);
        assertThat(c.events).isEqualTo(TestResources.json("expected/solis.json"));
        assertThat(summary[0].facts()).containsEntry("bom", "true").containsEntry("decodedAs", "UTF-8");
    }

    @Test
    void withoutBomTheMappingEncodingIsUsed() throws Exception {
        ReadSummary[] summary = new ReadSummary[1];
        byte[] latin1;
        try (InputStream in = TestResources.open("fixtures/beneficiaires-latin1.csv")) {
            latin1 = in.readAllBytes();
        }
        read(new ConfigurableFileConnector(withEncoding(FileMapping.carnetDeBordBeneficiaires(), "ISO-8859-1")), latin1, summary);
        assertThat(summary[0].facts()).containsEntry("encoding", "ISO-8859-1").containsEntry("bom", "false")
                .containsEntry("decodedAs", "ISO-8859-1");
    }

    @Test
    void badBytesAfterAUtf8BomAreReportedAsNotUtf8() {
        ByteArrayOutputStream withBom = new ByteArrayOutputStream();
        withBom.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        withBom.writeBytes(withBadByte(beneficiaires(8), StandardCharsets.UTF_8, 6, 0xFF));
        // 0xFF is a character in windows-1252, but the BOM made the reader decode UTF-8
        UnreadableInputException e = unreadable(
                new ConfigurableFileConnector(withEncoding(FileMapping.carnetDeBordBeneficiaires(), "windows-1252")),
                withBom.toByteArray());
        assertThat(e).hasMessage("not valid UTF-8 text (the file starts with a UTF-8 byte-order mark, which overrides the"
                + " mapping's windows-1252)");
        assertThat(e.location()).isEqualTo("line 6");
        // a UTF-8 mapping: the message as without BOM
        assertThat(unreadable(new ConfigurableFileConnector(), withBom.toByteArray()))
                .hasMessage("not valid UTF-8 text (check the mapping's encoding)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTF-8", "windows-1252", "ISO-8859-1"})
    void utf16BomMakesTheFileUnreadable(String encoding) {
        ConfigurableFileConnector connector =
                new ConfigurableFileConnector(withEncoding(FileMapping.carnetDeBordBeneficiaires(), encoding));
        String header = String.join("\r\n", beneficiaires(2)) + "\r\n";
        for (Charset utf16 : List.of(StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE)) {
            // Java's UTF-16 encoder writes no mark with an explicit byte order: "\uFEFF" is encoded FE FF or FF FE
            UnreadableInputException e = unreadable(connector, ("\uFEFF" + header).getBytes(utf16));
            assertThat(e).hasMessage("UTF-16 byte-order mark: the file must be UTF-8, ISO-8859-1 or windows-1252 text");
            assertThat(e.location()).isEqualTo("line 1");
        }
    }

    @Test
    void wrongHeaderMakesTheFileUnreadable() {
        assertThatThrownBy(() -> read(new ConfigurableFileConnector(), "wrong-header.csv"))
                .isInstanceOf(UnreadableInputException.class)
                .hasMessageContaining("missing column(s) ['Identifiant dans le SI*']")
                .satisfies(e -> assertThat(((UnreadableInputException) e).location()).isEqualTo("line 1"));
    }

    @Test
    void undecodableTextMakesTheFileUnreadable() {
        assertThatThrownBy(() -> read(new ConfigurableFileConnector(), "not-utf8.csv"))
                .isInstanceOf(UnreadableInputException.class)
                .hasMessageContaining("not valid UTF-8")
                .satisfies(e -> assertThat(((UnreadableInputException) e).location()).isEqualTo("line 2"));
    }

    /** {@code lines} encoded in {@code charset}, each ended by CRLF; line {@code bad} gets {@code badByte} after its 4th byte. */
    static byte[] withBadByte(List<String> lines, Charset charset, int bad, int badByte) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 1; i <= lines.size(); i++) {
            byte[] line = (lines.get(i - 1) + "\r\n").getBytes(charset);
            out.write(line, 0, 4);
            if (i == bad) {
                out.write(badByte);
            }
            out.write(line, 4, line.length - 4);
        }
        return out.toByteArray();
    }

    static UnreadableInputException unreadable(ConfigurableFileConnector connector, byte[] input) {
        try {
            connector.read(new ByteArrayInputStream(input), new CollectingSink());
        } catch (UnreadableInputException e) {
            return e;
        }
        throw new AssertionError("the input was read");
    }

    /** The header of the carnet de bord template, then {@code rows} data rows (the second one spans two lines). */
    static List<String> beneficiaires(int rows) {
        List<String> lines = new ArrayList<>(List.of("Identifiant dans le SI*;Prénom*;Nom*;Date de naissance*;Adresse",
                "A1;Hélène;Lefèvre;12/03/1985;", "A2;Jo;Roy;01/01/1990;\"Bât B", "2e étage\""));
        for (int i = 3; i <= rows; i++) {
            lines.add("A" + i + ";Zoé;Mérieux;02/01/1990;" + "x".repeat(i % 50));
        }
        return lines;
    }

    @Test
    void undecodableTextIsReportedAtItsLine() {
        // the whole file is decoded ahead at once: the location must not be the last row read (the header, line 1)
        UnreadableInputException e = unreadable(new ConfigurableFileConnector(),
                withBadByte(beneficiaires(8), StandardCharsets.UTF_8, 6, 0xFF));
        assertThat(e).hasMessage("not valid UTF-8 text (check the mapping's encoding)");
        assertThat(e.location()).isEqualTo("line 6");
        // inside a quoted cell that spans lines: the physical line
        assertThat(unreadable(new ConfigurableFileConnector(), withBadByte(beneficiaires(8), StandardCharsets.UTF_8, 4, 0xC3))
                .location()).isEqualTo("line 4");
        assertThat(unreadable(new ConfigurableFileConnector(), withBadByte(beneficiaires(8), StandardCharsets.UTF_8, 1, 0x80))
                .location()).isEqualTo("line 1");
    }

    @Test
    void undecodableTextFarDownALargeFileIsReportedAtItsLine() {
        byte[] big = withBadByte(beneficiaires(30_000), StandardCharsets.UTF_8, 27_183, 0xFF);
        assertThat(big.length).isGreaterThan(16 * 64 * 1024);
        UnreadableInputException e = unreadable(new ConfigurableFileConnector(), big);
        assertThat(e).hasMessage("not valid UTF-8 text (check the mapping's encoding)");
        assertThat(e.location()).isEqualTo("line 27183");
    }

    @Test
    void byteUndefinedInWindows1252IsReportedAtItsLine() {
        FileMapping cp1252 = withEncoding(FileMapping.carnetDeBordBeneficiaires(), "windows-1252");
        // 0x81 has no character in windows-1252
        UnreadableInputException e = unreadable(new ConfigurableFileConnector(cp1252),
                withBadByte(beneficiaires(3000), Charset.forName("windows-1252"), 2500, 0x81));
        assertThat(e).hasMessage("not valid windows-1252 text (check the mapping's encoding)");
        assertThat(e.location()).isEqualTo("line 2500");
    }

    @Test
    void undecodableJsonLineIsReportedAtItsLine() {
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 5000; i++) {
            lines.add("{\"id\": \"S-" + i + "\", \"nom\": \"Lefèvre\", \"prenom\": \"Hélène\", \"naissance\": \"1985-03-12\"}");
        }
        UnreadableInputException e = unreadable(new ConfigurableFileConnector(testMapping("solis-jsonl"), CLOCK),
                withBadByte(lines, StandardCharsets.UTF_8, 4321, 0xFF));
        assertThat(e).hasMessage("not valid UTF-8 text (check the mapping's encoding)");
        assertThat(e.location()).isEqualTo("line 4321");
        assertThat(unreadable(new ConfigurableFileConnector(testMapping("solis-jsonl"), CLOCK),
                withBadByte(lines.subList(0, 3), StandardCharsets.UTF_8, 1, 0xFF)).location()).isEqualTo("line 1");
    }

    @Test
    void unclosedQuoteMakesTheFileUnreadable() {
        assertThatThrownBy(() -> read(new ConfigurableFileConnector(), "unclosed-quote.csv"))
                .isInstanceOf(UnreadableInputException.class)
                .hasMessageContaining("quoted cell not closed")
                .satisfies(e -> assertThat(((UnreadableInputException) e).location()).isEqualTo("line 2"));
    }

    @Test
    void emptyInputIsUnreadable() {
        assertThatThrownBy(() -> new ConfigurableFileConnector().read(new ByteArrayInputStream(new byte[0]), new CollectingSink()))
                .isInstanceOf(UnreadableInputException.class).hasMessageContaining("no header");
    }

    @Test
    void quotedCellsMayHoldSeparatorsAndLineBreaksAndLocationIsTheStartLine() throws Exception {
        String csv = "\uFEFFIdentifiant dans le SI*;Prénom*;Nom*;Date de naissance*;Adresse\n"
                + "A1;Jo;Roy;01/01/1990;\"1 rue \"\"X\"\";\nBât B\"\n"
                + "A2;Al;Ray;02/01/1990;\n"
                + "A3;Al;Ray;02/01/1990;;extra\n";
        CollectingSink c = new CollectingSink();
        new ConfigurableFileConnector().read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), c);
        assertThat(c.records.get(0).payload().at("/contact/address/line").asString()).isEqualTo("1 rue \"X\";\nBât B");
        assertThat(c.records.get(1).location()).isEqualTo("line 4");
        assertThat(c.rejections).containsExactly(new RecordRejection("line 5",
                "line has 6 cells, the header has 5 (unquoted separator in a value?)"));
    }

    @Test
    void orientationExportProducesPersonRsaSituationOrientationAndReferentAssignment() throws Exception {
        CollectingSink c = read(new ConfigurableFileConnector(FileMapping.builtin(FileMapping.DEPARTEMENT_ORIENTATIONS), CLOCK),
                "orientations-cp1252.csv");
        c.dump("orientations.json");
        assertThat(c.events).isEqualTo(TestResources.json("expected/orientations.json"));
        assertThat(c.schemaViolations()).isEmpty();
    }

    /**
     * French civil status sets no number of given names (Code civil art. 57): a person registered with four is
     * written with four, and every record of the line is accepted — none is refused, none is cut.
     */
    @Test
    void aPersonWithMoreThanThreeGivenNamesKeepsThemAll() throws Exception {
        String csv;
        try (InputStream in = TestResources.open("fixtures/orientations-cp1252.csv")) {
            csv = new String(in.readAllBytes(), Charset.forName("windows-1252"));
        }
        assertThat(csv).contains(";Sophie,Anne;");
        CollectingSink c = new CollectingSink();
        new ConfigurableFileConnector(FileMapping.builtin(FileMapping.DEPARTEMENT_ORIENTATIONS), CLOCK).read(
                new ByteArrayInputStream(csv.replace(";Sophie,Anne;", ";Sophie, Anne, Marie, Louise, Jeanne;")
                        .getBytes(Charset.forName("windows-1252"))), c);

        String line = c.records.get(0).location();
        assertThat(c.rejections).noneMatch(r -> r.location().equals(line)); // the fixture's other lines have theirs
        assertThat(c.schemaViolations()).isEmpty();
        assertThat(c.records.get(0).subject().path("givenNames").toString())
                .isEqualTo("[\"Sophie\",\"Anne\",\"Marie\",\"Louise\",\"Jeanne\"]");
        assertThat(c.records).filteredOn(r -> r.recordType().equals("person")
                        && r.location().equals(line)).singleElement()
                .satisfies(p -> assertThat(p.payload().path("givenNames")).hasSize(5));
    }

    @Test
    void reorientationFixtureMappingUsesTheReadDateAndRejectsLinesWithNothingToMap() throws Exception {
        CollectingSink c = read(new ConfigurableFileConnector(testMapping("carnet-de-bord-reorientation"), CLOCK), "reorientation.csv");
        c.dump("reorientation.json");
        assertThat(c.events).isEqualTo(TestResources.json("expected/reorientation.json"));
        assertThat(c.schemaViolations()).isEmpty();
    }

    @Test
    void jsonLinesWithBadLine() throws Exception {
        CollectingSink c = read(new ConfigurableFileConnector(testMapping("solis-jsonl"), CLOCK), "solis-export.jsonl");
        c.dump("solis.json");
        assertThat(c.events).isEqualTo(TestResources.json("expected/solis.json"));
        assertThat(c.schemaViolations()).isEmpty();
    }

    @Test
    void headerlessIsoLatin1PipeSeparatedFile() throws Exception {
        CollectingSink c = read(new ConfigurableFileConnector(testMapping("perceval-noheader"), CLOCK), "perceval-noheader.txt");
        assertThat(c.rejections).isEmpty();
        assertThat(c.records).extracting(r -> r.payload().get("birthName").asString()).containsExactly("MÜLLER", "ÑÚÑEZ");
        assertThat(c.records).extracting(r -> r.changeKey()).containsExactly("dep:P1", "dep:P2");
        assertThat(c.records.get(1).payload().get("birthDate").asString()).isEqualTo("1990-07-01");
        assertThat(c.schemaViolations()).isEmpty();
    }

    @Test
    void mappingRefusesUnknownKeysAndTransforms() {
        assertThatThrownBy(() -> FileMapping.fromMap(Map.of("kind", "csv", "separatr", ";")))
                .hasMessageContaining("mapping.separatr: unknown key");
        assertThatThrownBy(() -> FileMapping.fromMap(Map.of("fields", List.of(Map.of("column", "a", "target", "person:/birthName",
                "transforms", List.of("titlecase"))), "records", List.of(Map.of("recordType", "person")))))
                .hasMessageContaining("mapping.fields[0]: field 'a': unknown transform 'titlecase'");
        assertThatThrownBy(() -> FileMapping.fromMap(Map.of("fields", List.of(Map.of("column", "a", "target", "orientation:/path")),
                "records", List.of(Map.of("recordType", "person")))))
                .hasMessageContaining("targets record type 'orientation' which 'records' does not produce");
        assertThatThrownBy(() -> FileMapping.fromMap(Map.of("encoding", "UTF-16")))
                .hasMessageContaining("mapping.encoding");
    }
}
