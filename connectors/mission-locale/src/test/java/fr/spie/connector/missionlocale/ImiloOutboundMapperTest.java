package fr.spie.connector.missionlocale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.spie.connector.OutboundMessage;
import fr.spie.connector.testing.TestResources;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ImiloOutboundMapperTest {

    static final ImiloOutboundMapper MAPPER = new ImiloOutboundMapper();
    static final JsonNode SUBJECT = json("{\"birthName\":\"MARTIN\",\"givenNames\":[\"Inès\"],\"birthDate\":\"2005-09-14\","
            + "\"identifiers\":[{\"scheme\":\"imilo-dossier-id\",\"value\":\"7001\"}]}");

    static JsonNode json(String s) {
        return TestResources.JSON.readTree(s);
    }

    static JsonNode body(OutboundMessage m) {
        return TestResources.JSON.readTree(new String(m.body(), StandardCharsets.UTF_8));
    }

    @Test
    void formatAndRecordTypes() {
        assertThat(MAPPER.format()).isEqualTo("imilo-api");
        assertThat(MAPPER.recordTypes()).containsExactlyInAnyOrder("appointment", "orientation");
    }

    @Test
    void appointmentFromTheSchemaExampleBecomesARendezVousMilo() throws Exception {
        JsonNode envelope = TestResources.JSON.readTree(getClass().getResourceAsStream(
                "/spie/examples/v1/appointment/appointment.booked-physical.valid.json"));
        OutboundMessage m = MAPPER.map("appointment", SUBJECT, envelope.get("payload"));
        JsonNode b = body(m);
        assertThat(m.contentType()).isEqualTo("application/json");
        assertThat(m.resource()).isEqualTo("operateurs/dossiers/7001/rdv");
        assertThat(b.propertyNames()).containsExactly("dateHeureDebut", "dateHeureFin", "objet", "conseiller", "idDossier",
                "commentaire", "lieu", "type", "statut");
        assertThat(b.get("idDossier").asString()).isEqualTo("7001");
        assertThat(b.get("statut").asString()).isEqualTo("Planifié");
        assertThat(b.get("dateHeureDebut").asString()).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
    }

    @Test
    void appointmentDatesAreTheLocalTimeOfTheMissionLocalesZone() {
        // i-milo reads dateHeureDebut as a local time of the structure's zone (referentiel_structures_milo.json:
        // 97410S00 "974-ML ST BENOIT" is Indian/Reunion); a Réunion appointment at 10:00 must read 10:00 there
        JsonNode p = json("{\"startAt\":\"2025-03-12T10:00:00+04:00\",\"durationMinutes\":30,\"modality\":\"physical\","
                + "\"status\":\"booked\",\"organisation\":{\"kind\":\"mission-locale\",\"code\":\"97410S00\"}}");

        JsonNode b = body(new ImiloOutboundMapper(java.time.ZoneId.of("Indian/Reunion")).map("appointment", SUBJECT, p));

        assertThat(b.get("dateHeureDebut").asString()).isEqualTo("2025-03-12 10:00:00");
        assertThat(b.get("dateHeureFin").asString()).isEqualTo("2025-03-12 10:30:00");
        assertThat(body(MAPPER.map("appointment", SUBJECT, p)).get("dateHeureDebut").asString())
                .as("metropolitan missions locales keep Europe/Paris").isEqualTo("2025-03-12 07:00:00");
    }

    @Test
    void appointmentDatesAreParisLocalTimeAndStatusesMap() {
        JsonNode p = json("{\"startAt\":\"2025-03-12T08:30:00Z\",\"durationMinutes\":45,\"modality\":\"phone\",\"status\":\"absent\","
                + "\"reason\":\"follow-up\",\"organisation\":{\"kind\":\"mission-locale\",\"name\":\"51-ML REIMS\",\"code\":\"51454S00\"},"
                + "\"professional\":{\"givenName\":\"Léa\",\"familyName\":\"Martin\"}}");
        JsonNode b = body(MAPPER.map("appointment", SUBJECT, p));
        assertThat(b).isEqualTo(json("{\"dateHeureDebut\":\"2025-03-12 09:30:00\",\"dateHeureFin\":\"2025-03-12 10:15:00\","
                + "\"objet\":\"Suivi\",\"conseiller\":\"Léa Martin\",\"idDossier\":\"7001\",\"commentaire\":null,"
                + "\"lieu\":\"51-ML REIMS\",\"type\":\"Entretien téléphonique\",\"statut\":\"Absent\"}"));
        for (String[] s : new String[][] {{"booked", "Planifié"}, {"done", "Présent"}, {"absent", "Absent"},
                {"cancelled", "Annulé"}, {"moved", "Reporté"}}) {
            JsonNode q = json("{\"startAt\":\"2025-03-12T08:30:00+01:00\",\"modality\":\"video\",\"status\":\"" + s[0]
                    + "\",\"organisation\":{\"kind\":\"mission-locale\"}}");
            assertThat(body(MAPPER.map("appointment", SUBJECT, q)).get("statut").asString()).isEqualTo(s[1]);
        }
    }

    @Test
    void orientationBody() {
        JsonNode envelope = json("{\"path\":\"PSO\",\"status\":\"decided\",\"decisionDate\":\"2025-03-03\",\"origin\":\"automatic-registration\","
                + "\"originCode\":\"INSCRIPTION_AUTO_CAF\",\"referentOrganisation\":{\"kind\":\"mission-locale\",\"name\":\"51-ML REIMS\",\"code\":\"51454S00\"}}");
        OutboundMessage m = MAPPER.map("orientation", SUBJECT, envelope);
        assertThat(m.resource()).isEqualTo("sue/dossiers/7001/orientation");
        assertThat(body(m)).isEqualTo(json("{\"idDossier\":\"7001\",\"parcours\":\"PSO\",\"statut\":\"DECIDEE\",\"dateDecision\":\"2025-03-03\","
                + "\"origine\":\"INSCRIPTION_AUTO_CAF\",\"organismeReferent\":{\"type\":\"mission-locale\",\"nom\":\"51-ML REIMS\",\"code\":\"51454S00\"},"
                + "\"structureReferente\":null,\"motif\":null}"));
    }

    @Test
    void headersNameTheApiKeyHeaderAsRequiredButNeverCarryAKey() {
        JsonNode p = json("{\"startAt\":\"2025-03-12T08:30:00+01:00\",\"modality\":\"physical\",\"status\":\"booked\","
                + "\"organisation\":{\"kind\":\"mission-locale\"}}");
        for (OutboundMessage m : new OutboundMessage[] {MAPPER.map("appointment", SUBJECT, p),
                MAPPER.map("orientation", SUBJECT, json("{\"path\":\"PED\",\"status\":\"pending\",\"referentOrganisation\":{\"kind\":\"france-travail\"}}"))}) {
            assertThat(m.headers()).containsEntry(ImiloOutboundMapper.REQUIRED_CREDENTIAL_HEADER, "X-Gravitee-Api-Key");
            assertThat(m.headers().keySet()).noneMatch(h -> h.equalsIgnoreCase("X-Gravitee-Api-Key") || h.equalsIgnoreCase("Authorization"));
            assertThat(m.headers()).containsOnlyKeys(ImiloOutboundMapper.REQUIRED_CREDENTIAL_HEADER, "Accept");
            assertThat(new String(m.body(), StandardCharsets.UTF_8)).doesNotContainIgnoringCase("gravitee");
        }
    }

    @Test
    void recordsThatCannotBeExpressedAreRefusedWithAReason() {
        JsonNode p = json("{\"startAt\":\"2025-03-12T08:30:00+01:00\",\"modality\":\"physical\",\"status\":\"booked\","
                + "\"organisation\":{\"kind\":\"mission-locale\"}}");
        assertThatThrownBy(() -> MAPPER.map("appointment", json("{\"birthName\":\"X\"}"), p))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no imilo-dossier-id");
        assertThatThrownBy(() -> MAPPER.map("appointment",
                json("{\"identifiers\":[{\"scheme\":\"imilo-dossier-id\",\"value\":\"../admin\"}]}"), p))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a plain identifier");
        assertThatThrownBy(() -> MAPPER.map("person", SUBJECT, p)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MAPPER.map("appointment", SUBJECT, json("{\"startAt\":\"demain\",\"status\":\"booked\"}")))
                .hasMessageContaining("startAt");
    }
}
