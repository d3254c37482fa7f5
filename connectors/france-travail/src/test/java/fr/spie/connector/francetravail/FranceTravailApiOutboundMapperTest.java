package fr.spie.connector.francetravail;

import static fr.spie.connector.francetravail.TestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.spie.connector.OutboundMessage;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class FranceTravailApiOutboundMapperTest {

    static final String BOOKED_PHYSICAL_RDV = """
            {"date":"2025-03-25T09:30:00+01:00","duree":45,"initiateur":"PARTENAIRE","modaliteContact":"PHYSIQUE","motif":"AUT",
             "organisme":{"code":"CD","libelleStructure":"Territoire de solidarité Rémois","emailContact":"nadia.garnier@marne.example.org",
                          "telephoneContact":"03 26 00 00 00"},
             "statut":"PRIS","theme":"Signature du CER","typeReception":"IND",
             "interlocuteur":{"email":"nadia.garnier@marne.example.org","nom":"GARNIER","prenom":"Nadia"}}
            """;

    private final FranceTravailApiOutboundMapper mapper = new FranceTravailApiOutboundMapper();
    private final ObjectNode noSubject = TestSupport.JSON.createObjectNode();

    private static JsonNode example(String type, String name) {
        return json("/spie/examples/v1/" + type + "/" + name + ".valid.json").get("payload");
    }

    private static JsonNode body(OutboundMessage m) {
        return TestSupport.JSON.readTree(m.body());
    }

    @Test
    void formatAndRecordTypes() {
        assertThat(mapper.format()).isEqualTo("france-travail-api");
        assertThat(mapper.recordTypes()).containsExactlyInAnyOrder("orientation", "appointment");
    }

    @Test
    void decidedOrientation() {
        OutboundMessage m = mapper.map("orientation", noSubject, example("orientation", "orientation.ped-france-travail"));
        assertThat(m.contentType()).isEqualTo("application/json");
        assertThat(m.resource()).isEqualTo("orientationusager/v1/orientation");
        assertThat(m.headers()).isEqualTo(Map.of("pa-identifiant-agent", "BATCH", "pa-nom-agent", "BATCH", "pa-prenom-agent", "BATCH"));
        assertThat(body(m)).isEqualTo(TestSupport.JSON.readTree("{\"origine\":\"INSCRIPTION_AUTO_CAF\",\"parcours\":\"PED\",\"organisme\":\"FT\"}"));
    }

    @Test
    void departementReferentIsCd() {
        ObjectNode p = (ObjectNode) example("orientation", "orientation.ped-france-travail").deepCopy();
        p.put("path", "PSP");
        ((ObjectNode) p.get("referentOrganisation")).put("kind", "departement");
        assertThat(body(mapper.map("orientation", noSubject, p)).toString())
                .isEqualTo("{\"origine\":\"INSCRIPTION_AUTO_CAF\",\"parcours\":\"PSP\",\"organisme\":\"CD\"}");
    }

    @Test
    void orientationThatCannotBeExpressed() {
        assertThatThrownBy(() -> mapper.map("orientation", noSubject, example("orientation", "orientation.psp-pending")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only decided orientations");
        ObjectNode noOrigin = (ObjectNode) example("orientation", "orientation.ped-france-travail").deepCopy();
        noOrigin.remove("originCode");
        assertThatThrownBy(() -> mapper.map("orientation", noSubject, noOrigin))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("originCode");
        ObjectNode association = (ObjectNode) example("orientation", "orientation.ped-france-travail").deepCopy();
        ((ObjectNode) association.get("referentOrganisation")).put("kind", "association");
        assertThatThrownBy(() -> mapper.map("orientation", noSubject, association))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("organisme");
    }

    @Test
    void bookedPhysicalAppointment() {
        OutboundMessage m = mapper.map("appointment", noSubject, example("appointment", "appointment.booked-physical"));
        assertThat(m.resource()).isEqualTo("rendez-vous-partenaire/v1/rendez-vous");
        assertThat(body(m)).isEqualTo(TestSupport.JSON.readTree(BOOKED_PHYSICAL_RDV));
    }

    @Test
    void accIsTheFirstAccompanimentAppointmentOnlyEveryOtherButOrientationIsAut() {
        String[][] motifs = {{"orientation", "ORI"}, {"first-follow-up", "ACC"}, {"follow-up", "AUT"},
            {"contract-signature", "AUT"}, {"diagnostic", "AUT"}, {"information", "AUT"}, {"other", "AUT"}};
        for (String[] reason : motifs) {
            ObjectNode p = (ObjectNode) example("appointment", "appointment.booked-physical").deepCopy();
            p.put("reason", reason[0]);
            assertThat(body(mapper.map("appointment", noSubject, p)).path("motif").asString()).as(reason[0])
                    .isEqualTo(reason[1]);
        }
        assertThat(body(mapper.map("appointment", noSubject, example("appointment", "appointment.first-follow-up")))
                .path("motif").asString()).isEqualTo("ACC");
    }

    @Test
    void everyModalityAndStatusHasAFranceTravailCode() {
        String[][] modality = {{"physical", "PHYSIQUE"}, {"phone", "TELEPHONE"}, {"video", "VISIO"}};
        String[][] status = {{"booked", "PRIS"}, {"done", "EFFECTUE"}, {"moved", "MODIFIE"}, {"absent", "ABSENT"}, {"cancelled", "ANNULE"}};
        for (String[] mo : modality) {
            for (String[] st : status) {
                ObjectNode p = (ObjectNode) example("appointment", "appointment.absent-phone").deepCopy();
                p.put("modality", mo[0]);
                p.put("status", st[0]);
                JsonNode b = body(mapper.map("appointment", noSubject, p));
                assertThat(b.get("modaliteContact").asString()).isEqualTo(mo[1]);
                assertThat(b.get("statut").asString()).isEqualTo(st[1]);
            }
        }
    }

    @Test
    void franceTravailStructureGivesItsSafirCode() {
        ObjectNode p = (ObjectNode) example("appointment", "appointment.booked-physical").deepCopy();
        ((ObjectNode) p.get("organisation")).put("kind", "france-travail").put("code", "51041").put("name", "France Travail Reims Europe");
        p.put("reason", "orientation");
        JsonNode b = body(mapper.map("appointment", noSubject, p));
        assertThat(b.get("organisme").get("code").asString()).isEqualTo("FT");
        assertThat(b.get("organisme").get("idStructure").asString()).isEqualTo("51041");
        assertThat(b.get("motif").asString()).isEqualTo("ORI");
    }

    @Test
    void otherRecordTypesAreRefused() {
        assertThatThrownBy(() -> mapper.map("person", noSubject, TestSupport.JSON.createObjectNode()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("person");
    }
}
