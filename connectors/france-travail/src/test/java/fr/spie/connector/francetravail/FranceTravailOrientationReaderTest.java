package fr.spie.connector.francetravail;

import static fr.spie.connector.francetravail.TestSupport.assertValid;
import static fr.spie.connector.francetravail.TestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class FranceTravailOrientationReaderTest {

    private final FranceTravailOrientationReader reader = new FranceTravailOrientationReader("ft-51");

    @Test
    void currentOrientationIsTheFirstElement() {
        ObjectNode o = reader.map(json("/fixtures/api/lecture_orientation.json")).orElseThrow();
        assertThat(o).isEqualTo(TestSupport.JSON.readTree("""
                {"path":"PED","status":"decided","decisionDate":"2025-03-10","origin":"automatic-registration",
                 "originCode":"INSCRIPTION_AUTO_CAF",
                 "referentOrganisation":{"partnerId":"ft-51","kind":"france-travail","name":"France Travail"},
                 "referentStructure":{"partnerId":"ft-51","kind":"france-travail","name":"Agence France Travail Reims Europe"},
                 "decidedBy":{"kind":"departement","name":"Conseil départemental de la Marne"}}
                """));
        assertValid("orientation", FranceTravailApiClientTest.subject(), o);
    }

    @Test
    void pendingWithoutDecisionAndPoleEmploiOrganisme() {
        ObjectNode o = reader.map(TestSupport.JSON.readTree(
                "[{\"parcours\":\"PSO\",\"organisme\":\"PE\",\"statut\":\"EN_ATTENTE\",\"origine\":\"AUTRE\"}]")).orElseThrow();
        assertThat(o.get("status").asString()).isEqualTo("pending");
        assertThat(o.get("origin").asString()).isEqualTo("other");
        assertThat(o.get("referentOrganisation").get("kind").asString()).isEqualTo("france-travail");
        assertValid("orientation", FranceTravailApiClientTest.subject(), o);
    }

    @Test
    void emptyArrayIsNoOrientationAndUnknownCodesAreRefused() {
        assertThat(reader.map(TestSupport.JSON.readTree("[]"))).isEmpty();
        assertThatThrownBy(() -> reader.map(TestSupport.JSON.readTree("[{\"parcours\":\"XYZ\"}]")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("XYZ");
        assertThatThrownBy(() -> reader.map(TestSupport.JSON.readTree("[{\"parcours\":\"PED\",\"statut\":\"BIZARRE\"}]")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BIZARRE");
    }

    @Test
    void decisionDatesAreInstantsLocalDateTimesOrDatesAndNothingElse() {
        String[][] cases = {
                {"2023-05-12T22:54:39.000+00:00", "2023-05-13"},
                {"2023-05-12T12:54:39+02:00", "2023-05-12"},
                {"2023-05-12T12:54:39", "2023-05-12"},
                {"2023-05-12", "2023-05-12"},
        };
        for (String[] c : cases) {
            ObjectNode o = reader.map(TestSupport.JSON.readTree("[{\"parcours\":\"PED\",\"decision\":{\"date_decision\":\""
                    + c[0] + "\"}}]")).orElseThrow();
            assertThat(o.get("decisionDate").asString()).as(c[0]).isEqualTo(c[1]);
        }
        for (String bad : new String[] {"2023-05-12Tgarbage", "2023-05-12 12:54", "2023-05-12T25:00:00", "12/05/2023"}) {
            assertThatThrownBy(() -> reader.map(TestSupport.JSON.readTree("[{\"parcours\":\"PED\",\"decision\":"
                    + "{\"date_decision\":\"" + bad + "\"}}]")))
                    .as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("lectureOrientation: not a date: \"" + bad + "\"");
        }
    }
}
