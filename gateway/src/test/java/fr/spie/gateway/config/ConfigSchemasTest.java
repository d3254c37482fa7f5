package fr.spie.gateway.config;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The schemas enumerate what the Java model accepts: they must not drift apart. */
class ConfigSchemasTest {
    static JsonNode schema(String name) throws Exception {
        try (InputStream in = ConfigSchemasTest.class.getResourceAsStream(ConfigSchemas.RESOURCE_DIR + name
                + ".schema.json")) {
            return JsonMapper.builder().build().readTree(in);
        }
    }

    static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(n -> values.add(n.asString()));
        return values;
    }

    @Test
    void partnerKindsMatchTheEnum() throws Exception {
        List<String> expected = new ArrayList<>(Arrays.stream(PartnerKind.values()).map(PartnerKind::configName)
                .toList());
        expected.add("pole-emploi");
        assertThat(strings(schema("partners").at("/$defs/partner/properties/kind/enum")))
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void legalBasisTypesMatch() throws Exception {
        assertThat(strings(schema("routes").at("/$defs/route/properties/legalBasis/properties/type/enum")))
                .containsExactlyInAnyOrderElementsOf(LegalBasis.TYPES);
    }

    @Test
    void rolesMatch() throws Exception {
        assertThat(strings(schema("access").at("/$defs/operator/properties/role/enum")))
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(Operator.Role.values())
                        .map(r -> r.name().toLowerCase()).toList());
    }

    @Test
    void everySchemaIsDraft2020_12() throws Exception {
        for (String name : List.of("partners", "routes", "access")) {
            assertThat(schema(name).get("$schema").asString()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        }
    }
}
