package fr.spie.connector.departement;

import static fr.spie.connector.departement.ConfigurableFileConnectorTest.CLOCK;
import static fr.spie.connector.departement.ConfigurableFileConnectorTest.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.spie.connector.SpieRecord;
import fr.spie.connector.testing.CollectingSink;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The issuer of the identifiers a département file carries: a CAF matricule or a departement-id names one person
 * within its issuer only, and the gateway keys it with the issuer (as the CAF's own flux gives it).
 */
class IdentifierIssuersTest {

    /** {scheme, value, issuer} of each identifier of the record's subject ("-" for no issuer). */
    static List<String> identifiers(SpieRecord record) {
        List<String> out = new ArrayList<>();
        for (JsonNode id : record.subject().path("identifiers")) {
            out.add(id.path("scheme").asString() + "|" + id.path("value").asString() + "|"
                    + (id.has("issuer") ? id.path("issuer").asString() : "-"));
        }
        return out;
    }

    @Test
    void thePartnersDefaultsGiveTheIssuerOfItsCafMatriculesAndItselfThatOfItsOwnIds() throws Exception {
        IdentifierIssuers issuers = new IdentifierIssuers("cd-51", Map.of("caf-matricule", "CAF 511"));

        CollectingSink c = read(new ConfigurableFileConnector(FileMapping.carnetDeBordBeneficiaires(), issuers, CLOCK),
                "beneficiaires-utf8.csv");

        assertThat(identifiers(c.records.get(0))).containsExactly("departement-id|D-001|cd-51",
                "caf-matricule|2055990|CAF 511", "france-travail-id|4053956Z|-");
        assertThat(c.records.get(0).payload().path("identifiers")).isEqualTo(c.records.get(0).subject()
                .path("identifiers"));
        assertThat(c.schemaViolations()).isEmpty();
    }

    @Test
    void withoutAPartnerNoIssuerIsInvented() throws Exception {
        CollectingSink c = read(new ConfigurableFileConnector(FileMapping.carnetDeBordBeneficiaires(), CLOCK),
                "beneficiaires-utf8.csv");

        assertThat(identifiers(c.records.get(0))).containsExactly("departement-id|D-001|-",
                "caf-matricule|2055990|-", "france-travail-id|4053956Z|-");
    }

    @Test
    void aMappingFieldsIssuerWinsOverThePartnersDefault() throws Exception {
        Map<String, Object> mapping = new LinkedHashMap<>();
        mapping.put("name", "two-cafs");
        mapping.put("fields", List.of(
                Map.of("column", "CAF", "target", "person:/identifiers", "identifierScheme", "caf-matricule",
                        "identifierIssuer", "CAF 021"),
                Map.of("column", "ID", "target", "person:/identifiers", "identifierScheme", "departement-id",
                        "identifierIssuer", "cd-51 (Solis)"),
                Map.of("column", "NOM", "target", "person:/birthName")));
        mapping.put("records", List.of(Map.of("recordType", "person")));
        IdentifierIssuers issuers = new IdentifierIssuers("cd-51", Map.of("caf-matricule", "CAF 511"));
        CollectingSink c = new CollectingSink();

        new ConfigurableFileConnector(FileMapping.fromMap(mapping), issuers, CLOCK).read(new ByteArrayInputStream(
                "CAF;ID;NOM\n2055990;S-9;DUPONT\n".getBytes(StandardCharsets.UTF_8)), c);

        assertThat(c.rejections).isEmpty();
        assertThat(identifiers(c.records.get(0))).containsExactly("caf-matricule|2055990|CAF 021",
                "departement-id|S-9|cd-51 (Solis)");
    }

    @Test
    void anIssuerIsCheckedWhereItIsGiven() {
        Map<String, Object> withoutScheme = Map.of("fields", List.of(Map.of("column", "A", "target",
                "person:/birthName", "identifierIssuer", "CAF 511")), "records", List.of(Map.of("recordType", "person")));
        assertThatThrownBy(() -> FileMapping.fromMap(withoutScheme))
                .hasMessageContaining("mapping.fields[0]: field 'A': identifierIssuer needs identifierScheme");
        Map<String, Object> blank = Map.of("fields", List.of(Map.of("column", "A", "target", "person:/identifiers",
                "identifierScheme", "caf-matricule", "identifierIssuer", " ")), "records",
                List.of(Map.of("recordType", "person")));
        assertThatThrownBy(() -> FileMapping.fromMap(blank))
                .hasMessageContaining("mapping.fields[0]: field 'A': identifierIssuer: the issuer must not be empty");
        assertThatThrownBy(() -> new IdentifierIssuers("cd-51", Map.of("caf-matricule", "É-")))
                .hasMessageContaining("identifierIssuers.caf-matricule: the issuer must hold a letter (A-Z) or a digit");
        assertThatThrownBy(() -> new IdentifierIssuers("cd-51", Map.of("caf-matricule", "C".repeat(65))))
                .hasMessageContaining("more than 64 characters");
    }
}
