package fr.spie.connector.francetravail;

import static fr.spie.connector.francetravail.TestSupport.assertValid;
import static fr.spie.connector.francetravail.TestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class FranceTravailDiagnosticMapperTest {

    private final FranceTravailDiagnosticMapper mapper = new FranceTravailDiagnosticMapper("ft-51");

    @Test
    void realDossierIndividuSample() {
        ObjectNode d = mapper.map(json("/fixtures/api/pe_diagnosticargumente_dossier_individu.json")).orElseThrow();
        JsonNode expected = dossierIndividuDiagnostic("ft-51");
        assertThat(d).isEqualTo(expected);
        assertValid("diagnostic", FranceTravailApiClientTest.subject(), d);
    }

    @Test
    void closedConstraintIsAbsentAndPointFortIsStrength() {
        ObjectNode d = mapper.map(TestSupport.JSON.readTree("""
                {"besoinsParDiagnosticIndividuDtos":[{"dateMiseAJour":"2024-01-10T10:00:00.000+00:00","codeRome":"N1103",
                   "nomMetier":"Magasinier","estPrioritaire":true,
                   "besoins":[{"code":"1","valeur":"POINT_FORT"},{"code":"5","valeur":"BESOIN"},{"code":"99","valeur":"BESOIN"}]}],
                 "contraintesIndividusDto":{"contraintes":[{"code":"28","libelle":"Finances","valeur":"CLOTUREE",
                   "date":"2024-02-01T09:00:00+00:00","situations":[]}]}}
                """)).orElseThrow();
        assertThat(d.get("date").asString()).isEqualTo("2024-02-01");
        assertThat(d.get("needs").toString()).isEqualTo("{\"employment\":\"strength\",\"training\":\"need\"}");
        assertThat(d.get("constraints").get(0).get("status").asString()).isEqualTo("absent");
        assertThat(d.get("professionalProject").toString()).isEqualTo("{\"romeCode\":\"N1103\",\"label\":\"Magasinier\"}");
        assertThat(d.has("author")).isFalse();
        assertValid("diagnostic", FranceTravailApiClientTest.subject(), d);
    }

    @Test
    void nothingKnownIsEmptyAndUnknownValuesAreRefused() {
        assertThat(mapper.map(TestSupport.JSON.readTree("{\"besoinsParDiagnosticIndividuDtos\":[]}"))).isEmpty();
        assertThatThrownBy(() -> mapper.map(TestSupport.JSON.readTree(
                "{\"besoinsParDiagnosticIndividuDtos\":[{\"dateMiseAJour\":\"2024-01-10T10:00:00Z\",\"besoins\":[{\"code\":\"1\",\"valeur\":\"PEUT_ETRE\"}]}]}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PEUT_ETRE");
    }

    /**
     * The diagnostic of pe_diagnosticargumente_dossier_individu.json (the fixture and the real sample, and the Carnet
     * de bord's parse of it): dated by the latest dateMiseAJour (2022-12-14T23:00Z, so 15 December in Paris), besoin 3
     * and 8 BESOIN -> employment need, contraintes 23 and 26 OUI -> present with their OUI situations, the others
     * NON_ABORDEE -> not-discussed.
     */
    static JsonNode dossierIndividuDiagnostic(String partnerId) {
        return TestSupport.JSON.readTree("""
                {"date":"2022-12-15",
                 "authorOrganisation":{"partnerId":"%s","kind":"france-travail","name":"France Travail"},
                 "author":{"id":"ecse0201"},
                 "needs":{"employment":"need","training":"not-explored","mobility":"need","family":"not-explored",
                          "health":"not-explored","language":"need","housing":"not-explored","finances":"not-explored",
                          "administrative":"not-explored"},
                 "constraints":[
                  {"theme":"mobility","code":"23","label":"Développer sa mobilité","status":"present"},
                  {"theme":"mobility","code":"23-7","label":"Dépendant des transports en commun","status":"present"},
                  {"theme":"family","code":"24","label":"Surmonter ses contraintes familiales","status":"not-discussed"},
                  {"theme":"health","code":"25","label":"Prendre en compte son état de santé","status":"not-discussed"},
                  {"theme":"language","code":"26","label":"Développer ses capacités en lecture, écriture et calcul","status":"present"},
                  {"theme":"language","code":"26-23","label":"Difficultés en calcul","status":"present"},
                  {"theme":"housing","code":"27","label":"Faire face à des difficultés de logement","status":"not-discussed"},
                  {"theme":"finances","code":"28","label":"Faire face à des difficultés financières","status":"not-discussed"},
                  {"theme":"administrative","code":"29","label":"Faire face à des difficultés administratives ou juridiques","status":"not-discussed"}]}
                """.formatted(partnerId));
    }
}
