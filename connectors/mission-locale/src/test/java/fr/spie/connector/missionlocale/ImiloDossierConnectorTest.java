package fr.spie.connector.missionlocale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.spie.connector.ReadSummary;
import fr.spie.connector.RecordRejection;
import fr.spie.connector.UnreadableInputException;
import fr.spie.connector.testing.CollectingSink;
import fr.spie.connector.testing.TestResources;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ImiloDossierConnectorTest {

    static CollectingSink read(String fixture, ReadSummary[] summary) throws Exception {
        CollectingSink c = new CollectingSink();
        try (InputStream in = TestResources.open("fixtures/" + fixture)) {
            summary[0] = new ImiloDossierConnector().read(in, c);
        }
        return c;
    }

    @Test
    void format() {
        assertThat(new ImiloDossierConnector().format()).isEqualTo("imilo-dossier-json");
    }

    @Test
    void oneCejDossierGivesPersonAndYouthSupport() throws Exception {
        ReadSummary[] s = new ReadSummary[1];
        CollectingSink c = read("dossier-cej.json", s);
        c.dump("dossier-cej.json");
        assertThat(c.events).isEqualTo(TestResources.json("expected/dossier-cej.json"));
        assertThat(c.schemaViolations()).isEmpty();
        assertThat(s[0].facts()).containsEntry("shape", "object").containsEntry("droppedValues", "1");
        assertThat(s[0].nativeRecords()).isEqualTo(1);
        assertThat(s[0].records()).isEqualTo(2);
    }

    @Test
    void arrayWithBadDossiersInTheMiddle() throws Exception {
        ReadSummary[] s = new ReadSummary[1];
        CollectingSink c = read("dossiers-array.json", s);
        c.dump("dossiers-array.json");
        assertThat(c.events).isEqualTo(TestResources.json("expected/dossiers-array.json"));
        assertThat(c.schemaViolations()).isEmpty();
        assertThat(c.rejections).containsExactly(
                new RecordRejection("[1] line 3", "dateNaissance is not a date (yyyy-MM-dd)"),
                new RecordRejection("[2] line 4", "not a JSON object (an i-milo dossier is an object)"),
                new RecordRejection("[3] line 5 /situations/0/categorieSituation",
                        "youth-support not emitted: unknown situation category, expected one of [Emploi, Contrat en Alternance, "
                                + "Formation, Immersion en entreprise, Pmsmp, Contrat de volontariat - bénévolat, Scolarité, Demandeur d'emploi]"));
        assertThat(s[0].facts()).containsEntry("shape", "array");
        assertThat(s[0].nativeRecords()).isEqualTo(4);
    }

    @Test
    void jsonLinesAreStreamedOneDossierPerLine() throws Exception {
        ReadSummary[] s = new ReadSummary[1];
        CollectingSink c = read("dossiers.jsonl", s);
        assertThat(c.rejections).isEmpty();
        assertThat(c.records).extracting(r -> r.location() + " " + r.recordType() + " " + r.changeKey())
                .containsExactly("line 1 person milo:7001", "line 1 youth-support milo:7001",
                        "line 2 person milo:7002", "line 2 youth-support milo:7002");
        assertThat(s[0].facts()).containsEntry("shape", "json-lines");
        assertThat(c.schemaViolations()).isEmpty();
    }

    @Test
    void truncatedOrBrokenJsonIsUnreadable() {
        assertThatThrownBy(() -> read("truncated.json", new ReadSummary[1]))
                .isInstanceOf(UnreadableInputException.class).hasMessageStartingWith("not valid JSON")
                .satisfies(e -> assertThat(((UnreadableInputException) e).location()).isEqualTo("line 2"));
        assertThatThrownBy(() -> new ImiloDossierConnector().read(new ByteArrayInputStream("".getBytes()), new CollectingSink()))
                .isInstanceOf(UnreadableInputException.class).hasMessageContaining("empty input");
        assertThatThrownBy(() -> new ImiloDossierConnector().read(
                new ByteArrayInputStream("[{\"idDossier\":1}] x".getBytes(StandardCharsets.UTF_8)), new CollectingSink()))
                .isInstanceOf(UnreadableInputException.class);
    }

    @Test
    void theReasonOfBrokenJsonNeverQuotesTheFile() {
        // a value without its quotes: the parser names it ("Unrecognized token 'DUPONT'")
        assertThatThrownBy(() -> new ImiloDossierConnector().read(new ByteArrayInputStream(
                "{\"idDossier\": 7001, \"nom\": DUPONT}".getBytes(StandardCharsets.UTF_8)), new CollectingSink()))
                .isInstanceOf(UnreadableInputException.class)
                .hasMessageStartingWith("not valid JSON: Unrecognized token")
                .hasMessageNotContaining("DUPONT");
    }

    @Test
    void utf8BomIsAccepted() throws Exception {
        byte[] body = "{\"idDossier\":1,\"nomNaissance\":\"É\",\"prenom\":\"Ana\",\"dateNaissance\":\"2000-01-01\"}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, withBom, 3, body.length);
        CollectingSink c = new CollectingSink();
        new ImiloDossierConnector().read(new ByteArrayInputStream(withBom), c);
        assertThat(c.records).hasSize(1);
        assertThat(c.records.get(0).payload().get("birthName").asString()).isEqualTo("É");
    }

    @Test
    void aDateTimeGivesItsDateOnlyWhenItsTimeIsATime() throws Exception {
        String[][] cases = {
                {"2000-01-06T10:15:00+01:00", "2000-01-06"},
                {"2000-01-06T23:00:00.000+00:00", "2000-01-06"},
                {"2000-01-06T10:15:00Z", "2000-01-06"},
                {"2000-01-06T10:15", "2000-01-06"},
                {"2000-01-06Tgarbage", null},
                {"2000-01-06T25:00:00", null},
                {"2000-01-06T", null},
        };
        for (String[] c : cases) {
            CollectingSink sink = new CollectingSink();
            new ImiloDossierConnector().read(new ByteArrayInputStream(("{\"idDossier\":1,\"nomNaissance\":\"Dupont\","
                    + "\"prenom\":\"Ana\",\"dateNaissance\":\"" + c[0] + "\"}").getBytes(StandardCharsets.UTF_8)), sink);
            if (c[1] == null) {
                assertThat(sink.records).as(c[0]).isEmpty();
                assertThat(sink.rejections).as(c[0]).extracting(RecordRejection::reason)
                        .containsExactly("dateNaissance is not a date (yyyy-MM-dd)");
            } else {
                assertThat(sink.records).as(c[0]).hasSize(1);
                assertThat(sink.records.get(0).payload().get("birthDate").asString()).as(c[0]).isEqualTo(c[1]);
            }
        }
    }
}
