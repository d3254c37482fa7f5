package fr.spie.gateway.files;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.config.FileChannel;
import fr.spie.gateway.config.GatewayConfig;
import fr.spie.gateway.config.Partner;
import fr.spie.gateway.config.PartnerKind;
import fr.spie.gateway.privacy.SenderIssuer;
import fr.spie.gateway.privacy.SubjectKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A département names its beneficiaries by its own internal id. Its files give that id the partner as issuer; over the
 * API it usually sends it without one. Both must give the person one key (a consent given over the API covers the
 * records of the files), and two départements' same internal id must give two.
 */
class DepartementIdKeyTest {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final FileChannel CD_FILES = new FileChannel(FileChannel.DEPARTEMENT_FILE, "rsa-orientation",
            CafAndDepartementPersonKeyTest.BASIS, null, null, null);
    static final GatewayConfig CONFIG = new GatewayConfig("v", Instant.now(), Path.of("."), List.of(
            new Partner("cd-51", PartnerKind.DEPARTEMENT, "Marne", Set.of(), null, CD_FILES),
            new Partner("cd-08", PartnerKind.DEPARTEMENT, "Ardennes", Set.of(), null),
            new Partner("plie-51", PartnerKind.PLIE, "PLIE", Set.of(), null, new FileChannel(
                    FileChannel.DEPARTEMENT_FILE, "social-support", CafAndDepartementPersonKeyTest.BASIS, null, null,
                    null, null, Map.of("departement-id", "PLIE Reims"))),
            new Partner("ft-51", PartnerKind.FRANCE_TRAVAIL, "FT", Set.of(), null)), List.of(), List.of());

    static JsonNode byOwnId(String value) {
        return JSON.readTree("{\"identifiers\": [{\"scheme\": \"departement-id\", \"value\": \"" + value + "\"}]}");
    }

    static String keyOf(String sender, JsonNode subject) {
        return SubjectKey.of(SenderIssuer.subjectToKey(CONFIG, sender, subject)).orElse(null);
    }

    @Test
    void theDepartementsIdOverTheApiHasTheKeyOfItsFilesLine() throws Exception {
        JsonNode line = CafAndDepartementPersonKeyTest.departementLine(CD_FILES, new String(
                FileConnectorsTest.fixture("carnet-de-bord-beneficiaires.csv"), StandardCharsets.UTF_8)).subject();
        JsonNode overTheApi = byOwnId("FT-D-001");

        assertThat(keyOf("cd-51", overTheApi)).isEqualTo(SubjectKey.of(line).orElseThrow())
                .isEqualTo("id:departement-id@CD51:FT-D-001");
        // a consent is filed under every key of its subject: the file's line finds it
        assertThat(SubjectKey.allOf(SenderIssuer.subjectToKey(CONFIG, "cd-51", overTheApi)))
                .contains(SubjectKey.of(line).orElseThrow());
        // keying only: the subject as received is left as it came
        assertThat(overTheApi.path("identifiers").get(0).has("issuer")).isFalse();
    }

    @Test
    void twoDepartementsSameInternalIdAreTwoPeople() {
        assertThat(keyOf("cd-51", byOwnId("123"))).isEqualTo("id:departement-id@CD51:123");
        assertThat(keyOf("cd-08", byOwnId("123"))).isEqualTo("id:departement-id@CD08:123");
        // an issuer given is kept: cd-08 relaying cd-51's id names cd-51's beneficiary
        JsonNode relayed = JSON.readTree("{\"identifiers\": [{\"scheme\": \"departement-id\", \"value\": \"123\", "
                + "\"issuer\": \"cd-51\"}]}");
        assertThat(keyOf("cd-08", relayed)).isEqualTo("id:departement-id@CD51:123");
    }

    @Test
    void aPartnerWhoseFilesAreReadWithADepartementMappingIssuesItsIdsAsItsFilesSay() {
        assertThat(SenderIssuer.ofDepartementIds(CONFIG, "plie-51")).isEqualTo("PLIE Reims");
        assertThat(keyOf("plie-51", byOwnId("123"))).isEqualTo("id:departement-id@PLIEREIMS:123");
        assertThat(SenderIssuer.ofDepartementIds(CONFIG, "cd-51")).isEqualTo("cd-51");
    }

    @Test
    void aDepartementIdWithoutIssuerFromAnyoneElseNamesNoOne() {
        assertThat(SenderIssuer.ofDepartementIds(CONFIG, "ft-51")).isNull();
        assertThat(SenderIssuer.ofDepartementIds(CONFIG, null)).isNull();
        assertThat(keyOf("ft-51", byOwnId("123"))).isNull();
        assertThat(keyOf(null, byOwnId("123"))).isNull();
        // the subject's next key is used instead
        JsonNode withFranceTravailId = JSON.readTree("{\"identifiers\": [{\"scheme\": \"departement-id\", "
                + "\"value\": \"123\"}, {\"scheme\": \"france-travail-id\", \"value\": \"X1\"}]}");
        assertThat(keyOf("ft-51", withFranceTravailId)).isEqualTo("id:france-travail-id:X1");
        assertThat(SubjectKey.allOf(withFranceTravailId)).containsExactly("id:france-travail-id:X1");
    }
}
