package fr.spie.connector.departement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.spie.connector.SpieRecord;
import fr.spie.connector.testing.CollectingSink;
import fr.spie.connector.testing.TestResources;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CsvExportWriterTest {

    @TempDir
    Path outbox;

    static List<SpieRecord> imported(String fixture, FileMapping mapping, String recordType) throws Exception {
        CollectingSink c = new CollectingSink();
        try (InputStream in = TestResources.open("fixtures/" + fixture)) {
            new ConfigurableFileConnector(mapping, ConfigurableFileConnectorTest.CLOCK).read(in, c);
        }
        return c.records.stream().filter(r -> r.recordType().equals(recordType)).toList();
    }

    static List<String> visible(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    static List<String> hidden(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).sorted().toList();
        }
    }

    @Test
    void exportUsesTheMappingInReverseAndReimportsToTheSamePersons() throws Exception {
        FileMapping mapping = FileMapping.carnetDeBordBeneficiaires();
        List<SpieRecord> persons = imported("beneficiaires-utf8-bom.csv", mapping, "person");
        Path file = new CsvExportWriter(mapping, "person").write(outbox, "export-personnes.csv", persons);

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines.get(0)).startsWith("Identifiant dans le SI*;Prénom*;Nom*;Date de naissance*;NIR;Téléphone;Email;Adresse;");
        assertThat(lines.get(0)).endsWith(";Ville;Numéro allocataire CAF/MSA;Identifiant Pôle emploi"); // no rsa-situation column
        assertThat(lines.get(1)).isEqualTo("D-001;Hélène;Lefèvre;12/03/1985;2850351108030;06 12 34 56 78;helene.lefevre@example.org;"
                + "\"3 rue de l'Église, Bât. A; 2e étage\";;51100;Reims;2055990;4053956Z");
        assertThat(lines).hasSize(1 + persons.size());

        CollectingSink again = new CollectingSink();
        try (InputStream in = Files.newInputStream(file)) {
            new ConfigurableFileConnector(mapping).read(in, again);
        }
        assertThat(again.rejections).isEmpty();
        assertThat(again.records).extracting(SpieRecord::payload).containsExactlyElementsOf(persons.stream().map(SpieRecord::payload).toList());
    }

    static SpieRecord personWith(String identifiersJson) {
        tools.jackson.databind.node.ObjectNode payload = (tools.jackson.databind.node.ObjectNode)
                tools.jackson.databind.json.JsonMapper.builder().build().readTree("{\"birthName\": \"DUPONT\", "
                        + "\"givenNames\": [\"Jean\"], \"birthDate\": \"1980-01-15\", \"identifiers\": "
                        + identifiersJson + "}");
        return new SpieRecord("person", payload.deepCopy(), payload, "exchange 1", null);
    }

    /** The "Identifiant dans le SI*" and "Numéro allocataire CAF/MSA" cells of the export of {@code person} to cd-51. */
    List<String> idCellsExportedToCd51(SpieRecord person) throws Exception {
        CsvExportWriter writer = new CsvExportWriter(FileMapping.carnetDeBordBeneficiaires(), "person",
                new IdentifierIssuers("cd-51", java.util.Map.of()));
        String name = "p" + System.nanoTime() + ".csv";
        String[] cells = Files.readAllLines(writer.write(outbox, name, List.of(person)), StandardCharsets.UTF_8)
                .get(1).split(";", -1);
        return List.of(cells[writer.columns().indexOf("Identifiant dans le SI*")],
                cells[writer.columns().indexOf("Numéro allocataire CAF/MSA")]);
    }

    @Test
    void aDepartementIdIssuedByAnotherDepartementIsNotWrittenAsThePartnersOwn() throws Exception {
        // cd-08's id of the person would name someone else in cd-51's system
        assertThat(idCellsExportedToCd51(personWith("[{\"scheme\": \"departement-id\", \"value\": \"08-77\", "
                + "\"issuer\": \"cd-08\"}, {\"scheme\": \"caf-matricule\", \"value\": \"2055990\", "
                + "\"issuer\": \"CAF 511\"}]"))).containsExactly("", "2055990");
        // its own id, however the issuer is spelt, after another département's
        assertThat(idCellsExportedToCd51(personWith("[{\"scheme\": \"departement-id\", \"value\": \"08-77\", "
                + "\"issuer\": \"cd-08\"}, {\"scheme\": \"departement-id\", \"value\": \"D-001\", "
                + "\"issuer\": \"CD 51\"}]"))).containsExactly("D-001", "");
        // an id given without issuer is written as before
        assertThat(idCellsExportedToCd51(personWith("[{\"scheme\": \"departement-id\", \"value\": \"D-002\"}]")))
                .containsExactly("D-002", "");
    }

    @Test
    void codeListsAreReversed() throws Exception {
        FileMapping mapping = FileMapping.builtin(FileMapping.DEPARTEMENT_ORIENTATIONS);
        List<SpieRecord> orientations = imported("orientations-cp1252.csv", mapping, "orientation");
        CsvExportWriter writer = new CsvExportWriter(mapping, "orientation");
        Path file = writer.write(outbox, "orientations.csv", orientations);
        List<String> lines = Files.readAllLines(file, java.nio.charset.Charset.forName("windows-1252"));
        int parcours = writer.columns().indexOf("Parcours");
        int statut = writer.columns().indexOf("Statut orientation");
        assertThat(lines.get(1).split(";", -1)[parcours]).isEqualTo("Social");
        assertThat(lines.get(1).split(";", -1)[statut]).isEqualTo("Orienté");
        assertThat(lines.get(2).split(";", -1)[parcours]).isEqualTo("Professionnel");
        assertThat(writer.columns()).doesNotContain("Etat droit RSA", "Référent nom");
    }

    @Test
    void noPartialFileIsEverVisible() throws Exception {
        List<SpieRecord> persons = imported("beneficiaires-utf8-bom.csv", FileMapping.carnetDeBordBeneficiaires(), "person");
        Iterable<SpieRecord> watched = () -> new Iterator<>() {
            final Iterator<SpieRecord> it = persons.iterator();

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public SpieRecord next() {
                try {
                    // while writing: only the hidden temporary file exists
                    assertThat(visible(outbox)).isEmpty();
                    assertThat(hidden(outbox)).singleElement().asString().startsWith(".personnes.csv.").endsWith(".tmp");
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
                return it.next();
            }
        };
        Path file = new CsvExportWriter(FileMapping.carnetDeBordBeneficiaires(), "person").write(outbox, "personnes.csv", watched);
        assertThat(visible(outbox)).containsExactly("personnes.csv");
        assertThat(hidden(outbox)).isEmpty();
        assertThat(Files.readAllLines(file)).hasSize(1 + persons.size());
    }

    @Test
    void aFailureMidWayPublishesNothingAndLeavesNoTemporaryFile() throws Exception {
        List<SpieRecord> persons = imported("beneficiaires-utf8-bom.csv", FileMapping.carnetDeBordBeneficiaires(), "person");
        Iterable<SpieRecord> failing = () -> new Iterator<>() {
            int n;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public SpieRecord next() {
                if (++n == 3) {
                    throw new IllegalStateException("source failed");
                }
                return persons.get(0);
            }
        };
        assertThatThrownBy(() -> new CsvExportWriter(FileMapping.carnetDeBordBeneficiaires(), "person").write(outbox, "p.csv", failing))
                .hasMessage("source failed");
        try (Stream<Path> s = Files.list(outbox)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void aRecordOfAnotherTypeOrACharacterTheEncodingCannotWriteFailsTheExport() throws Exception {
        FileMapping cdb = FileMapping.carnetDeBordBeneficiaires();
        List<SpieRecord> all = new java.util.ArrayList<>();
        CollectingSink c = new CollectingSink();
        try (InputStream in = TestResources.open("fixtures/beneficiaires-utf8-bom.csv")) {
            new ConfigurableFileConnector(cdb).read(in, c);
        }
        all.addAll(c.records);
        assertThatThrownBy(() -> new CsvExportWriter(cdb, "person").write(outbox, "mixed.csv", all))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("record 2 is a rsa-situation");
        FileMapping latin1 = ConfigurableFileConnectorTest.withEncoding(cdb, "ISO-8859-1");
        List<SpieRecord> withOe = imported("beneficiaires-cp1252.csv", ConfigurableFileConnectorTest.withEncoding(cdb, "windows-1252"), "person");
        assertThatThrownBy(() -> new CsvExportWriter(latin1, "person").write(outbox, "latin1.csv", withOe))
                .isInstanceOf(java.nio.charset.CharacterCodingException.class);
        try (Stream<Path> s = Files.list(outbox)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void anExistingExportIsNotOverwritten() throws Exception {
        Files.writeString(outbox.resolve("done.csv"), "x");
        assertThatThrownBy(() -> new CsvExportWriter(FileMapping.carnetDeBordBeneficiaires(), "person").write(outbox, "done.csv", List.of()))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(outbox.resolve("done.csv"))).isEqualTo("x");
    }

    /**
     * Two writes of the same file at once (a redelivery while the first attempt still writes, two instances): the
     * second must neither publish the first's half-written file nor replace the published one. Here A writes its
     * rows, B starts and writes a first row, then A publishes: the published file must be A's, complete, and B,
     * finishing after, must find it there.
     */
    @Test
    void twoWritesOfTheSameFileAtOncePublishOneCompleteFile() throws Exception {
        List<SpieRecord> persons = imported("beneficiaires-utf8-bom.csv", FileMapping.carnetDeBordBeneficiaires(), "person");
        assertThat(persons).hasSizeGreaterThan(1);
        java.util.concurrent.CountDownLatch aWrote = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch bStarted = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch aChecked = new java.util.concurrent.CountDownLatch(1);
        Iterable<SpieRecord> a = () -> new Iterator<>() {
            final Iterator<SpieRecord> it = persons.iterator();

            @Override
            public boolean hasNext() {
                if (!it.hasNext()) {
                    aWrote.countDown();
                    await(bStarted);
                }
                return it.hasNext();
            }

            @Override
            public SpieRecord next() {
                return it.next();
            }
        };
        Iterable<SpieRecord> b = () -> new Iterator<>() {
            int n;

            @Override
            public boolean hasNext() {
                return n < persons.size();
            }

            @Override
            public SpieRecord next() {
                if (n == 0) {
                    bStarted.countDown();
                } else if (n == 1) {
                    await(aChecked);
                }
                return persons.get(n++);
            }
        };
        CsvExportWriter writer = new CsvExportWriter(FileMapping.carnetDeBordBeneficiaires(), "person");
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.Future<Path> first = threads.submit(() -> writer.write(outbox, "same.csv", a));
            await(aWrote);
            java.util.concurrent.Future<Path> second = threads.submit(() -> writer.write(outbox, "same.csv", b));
            Path published = first.get(30, java.util.concurrent.TimeUnit.SECONDS);
            // as A returns, B still writes: what A published is complete
            assertThat(Files.readAllLines(published, StandardCharsets.UTF_8)).hasSize(1 + persons.size());
            aChecked.countDown();
            assertThatThrownBy(() -> second.get(30, java.util.concurrent.TimeUnit.SECONDS))
                    .hasCauseInstanceOf(FileAlreadyExistsException.class);
        } finally {
            aChecked.countDown();
            bStarted.countDown();
            threads.shutdownNow();
        }
        assertThat(visible(outbox)).containsExactly("same.csv");
        assertThat(hidden(outbox)).isEmpty();
        assertThat(Files.readAllLines(outbox.resolve("same.csv"), StandardCharsets.UTF_8)).hasSize(1 + persons.size());
    }

    static void await(java.util.concurrent.CountDownLatch latch) {
        try {
            if (!latch.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new AssertionError("timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void aTemporaryFileLeftByAWriteThatStoppedLongAgoIsDeleted() throws Exception {
        Path old = Files.writeString(outbox.resolve(".left.csv.0a1b2c3d.tmp"), "half");
        Path older = Files.writeString(outbox.resolve(".left.csv.tmp"), "half"); // as versions before this one named it
        Path recent = Files.writeString(outbox.resolve(".left.csv.4e5f6a7b.tmp"), "being written");
        Path another = Files.writeString(outbox.resolve(".other.csv.0a1b2c3d.tmp"), "another export's");
        Path foreign = Files.writeString(outbox.resolve(".collector.lock"), "not the gateway's");
        java.nio.file.attribute.FileTime longAgo = java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(java.time.Duration.ofHours(2)));
        for (Path p : List.of(old, older, another, foreign)) {
            Files.setLastModifiedTime(p, longAgo);
        }
        new CsvExportWriter(FileMapping.carnetDeBordBeneficiaires(), "person").write(outbox, "left.csv", List.of());
        assertThat(hidden(outbox)).containsExactly(".collector.lock", ".left.csv.4e5f6a7b.tmp");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../evil.csv", "..", "sub/evil.csv", "/etc/passwd", "..\\evil.csv", ".hidden.csv", "a..b.csv", "", "x\u0000.csv"})
    void pathTraversalInTheFileNameIsRefused(String name) throws Exception {
        Path inner = Files.createDirectories(outbox.resolve("outbox"));
        assertThatThrownBy(() -> new CsvExportWriter(FileMapping.carnetDeBordBeneficiaires(), "person").write(inner, name, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unsafe export file name");
        try (Stream<Path> s = Files.walk(outbox)) {
            assertThat(s.filter(Files::isRegularFile)).isEmpty();
        }
    }
}
