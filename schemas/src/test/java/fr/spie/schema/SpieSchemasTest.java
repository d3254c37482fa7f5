package fr.spie.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.networknt.schema.SchemaLocation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class SpieSchemasTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final SpieSchemas SCHEMAS = SpieSchemas.load();
    private static final String RSA_EXAMPLE = "spie/examples/v1/rsa-situation/rsa-situation.open-payable-applicant.valid.json";

    private static ObjectNode example(String path) {
        try (InputStream in = SpieSchemasTest.class.getClassLoader().getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            return (ObjectNode) MAPPER.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static ObjectNode rsaEnvelope() {
        ObjectNode envelope = example(RSA_EXAMPLE);
        assertThat(SCHEMAS.validateEnvelope(envelope)).isEmpty();
        return envelope;
    }

    @Test
    void loadIsASharedSingletonWithTheTenRecordTypesAndVersions10And11() {
        assertThat(SpieSchemas.load()).isSameAs(SCHEMAS);
        assertThat(SCHEMAS.recordTypes()).containsExactlyInAnyOrder("person", "rsa-situation", "jobseeker-situation",
                "youth-support", "orientation", "diagnostic", "engagement-contract", "appointment", "referent-assignment",
                "consent");
        assertThat(SCHEMAS.schemaVersions()).containsExactly("1.0", "1.1");
        assertThatThrownBy(() -> SCHEMAS.recordTypes().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void unknownRecordTypeGivesExactlyOneViolationNamingTheKnownTypesAndSkipsPayload() {
        ObjectNode envelope = rsaEnvelope();
        envelope.put("recordType", "rsa-situations");
        envelope.putObject("payload").put("whatever", 1);

        List<Violation> violations = SCHEMAS.validateEnvelope(envelope);

        assertThat(violations).hasSize(1);
        assertThat(violations.get(0).pointer()).isEqualTo("/recordType");
        assertThat(violations.get(0).message()).contains("rsa-situations").contains("person", "rsa-situation", "referent-assignment");
    }

    @Test
    void missingRecordTypeGivesExactlyOneViolationAtRecordType() {
        ObjectNode envelope = rsaEnvelope();
        envelope.remove("recordType");

        List<Violation> violations = SCHEMAS.validateEnvelope(envelope);

        assertThat(violations).extracting(Violation::pointer).containsExactly("/recordType");
        assertThat(violations.get(0).message()).startsWith("is required").contains("jobseeker-situation");
    }

    @Test
    void unknownSchemaVersionIsReportedWithTheSupportedOnes() {
        ObjectNode envelope = rsaEnvelope();
        envelope.put("schemaVersion", "2.0");

        List<Violation> violations = SCHEMAS.validateEnvelope(envelope);

        assertThat(violations).hasSize(1);
        assertThat(violations.get(0).pointer()).isEqualTo("/schemaVersion");
        assertThat(violations.get(0).message()).contains("2.0").contains("[1.0, 1.1]");
    }

    @Test
    void formatsAreAsserted() {
        ObjectNode envelope = rsaEnvelope();
        envelope.put("occurredAt", "2025-03-03 06:20");
        ((ObjectNode) envelope.get("subject")).put("birthDate", "1982-02-30");
        ((ObjectNode) envelope.get("payload")).put("requestDate", "18/11/2024");

        assertThat(SCHEMAS.validateEnvelope(envelope)).containsExactlyInAnyOrder(
                new Violation("/occurredAt", "must be a valid date-time (RFC 3339, e.g. 2025-03-04T09:30:00+01:00)"),
                new Violation("/subject/birthDate", "must be a valid date (YYYY-MM-DD)"),
                new Violation("/payload/requestDate", "must be a valid date (YYYY-MM-DD)"));
    }

    @Test
    void badExchangeIdIsReportedOnce() {
        ObjectNode envelope = rsaEnvelope();
        envelope.put("exchangeId", "not-a-uuid");

        assertThat(SCHEMAS.validateEnvelope(envelope)).containsExactly(new Violation("/exchangeId", "must be a valid UUID"));
    }

    @Test
    void payloadViolationsArePrefixedAndEnumMessagesListTheValues() {
        ObjectNode envelope = rsaEnvelope();
        ((ObjectNode) envelope.get("payload")).put("rightState", "ouvert");

        List<Violation> violations = SCHEMAS.validateEnvelope(envelope);

        assertThat(violations).contains(new Violation("/payload/rightState",
                "must be one of [new-request-pending, refused, open-payable, open-suspended, open-payment-suspended, closed, closed-previous-month]"));
    }

    @Test
    void missingRequiredPropertiesPointAtTheMissingProperty() {
        ObjectNode envelope = rsaEnvelope();
        envelope.remove("occurredAt");
        ((ObjectNode) envelope.get("legalBasis")).remove("reference");
        ((ObjectNode) envelope.get("payload")).remove("rightStateCode");

        assertThat(SCHEMAS.validateEnvelope(envelope)).containsExactlyInAnyOrder(
                new Violation("/occurredAt", "is required"),
                new Violation("/legalBasis/reference", "is required"),
                new Violation("/payload/rightStateCode", "is required"));
    }

    @Test
    void unknownPropertiesAreRejectedAtTheirOwnPointer() {
        ObjectNode envelope = rsaEnvelope();
        envelope.put("priority", "high");
        ((ObjectNode) envelope.get("payload").get("household")).put("pets", 2);

        assertThat(SCHEMAS.validateEnvelope(envelope)).extracting(Violation::pointer)
                .containsExactlyInAnyOrder("/priority", "/payload/household/pets");
    }

    @Test
    void rightStateCodeMustMatchTheReadableRightState() {
        ObjectNode payload = (ObjectNode) rsaEnvelope().get("payload");
        payload.put("rightStateCode", "5");

        assertThat(SCHEMAS.validatePayload("rsa-situation", payload))
                .containsExactly(new Violation("/rightState", "must be \"closed\""));
    }

    @Test
    void subjectNeedsNirOrIdentifiersOrPivot() {
        ObjectNode envelope = rsaEnvelope();
        ObjectNode subject = envelope.putObject("subject");
        subject.put("birthName", "TIFOUR").put("sex", "F");
        subject.putArray("identifiers");

        List<Violation> violations = SCHEMAS.validateEnvelope(envelope);

        assertThat(violations).hasSize(1);
        assertThat(violations.get(0).pointer()).isEqualTo("/subject");
        assertThat(violations.get(0).message()).contains("nir", "identifiers", "birthDate");

        subject.putArray("givenNames").add("SOPHIE");
        subject.put("birthDate", "1982-02-11");
        assertThat(SCHEMAS.validateEnvelope(envelope)).isEmpty();

        ObjectNode onlyIdentifier = envelope.putObject("subject");
        onlyIdentifier.putArray("identifiers").addObject().put("scheme", "imilo-dossier-id").put("value", "1234567");
        assertThat(SCHEMAS.validateEnvelope(envelope)).isEmpty();

        envelope.putObject("subject").put("nir", "2820251108030");
        assertThat(SCHEMAS.validateEnvelope(envelope)).isEmpty();
    }

    @Test
    void nirPatternAcceptsCorsicaAnd13Or15Characters() {
        ObjectNode envelope = rsaEnvelope();
        ObjectNode subject = (ObjectNode) envelope.get("subject");
        for (String ok : List.of("2820251108030", "282022A108030", "182022B10803012", "282029910803045")) {
            subject.put("nir", ok);
            assertThat(SCHEMAS.validateEnvelope(envelope)).as(ok).isEmpty();
        }
        for (String bad : List.of("382025110803", "28202511080301", "2821351108030", "282022C108030")) {
            subject.put("nir", bad);
            assertThat(SCHEMAS.validateEnvelope(envelope)).as(bad).extracting(Violation::pointer).containsExactly("/subject/nir");
        }
    }

    @Test
    void nonObjectEnvelopeIsRejected() {
        ArrayNode array = MAPPER.createArrayNode();
        assertThat(SCHEMAS.validateEnvelope(array)).containsExactly(new Violation("", "must be a JSON object"));
        assertThat(SCHEMAS.validateEnvelope(null)).containsExactly(new Violation("", "must be a JSON object"));
    }

    @Test
    void nonObjectPayloadIsReportedWithoutPayloadValidation() {
        ObjectNode envelope = rsaEnvelope();
        envelope.put("payload", "rightState=2");

        assertThat(SCHEMAS.validateEnvelope(envelope)).containsExactly(new Violation("/payload", "must be an object"));
    }

    @Test
    void validatePayloadUsesPayloadRelativePointersAndRejectsUnknownTypes() {
        JsonNode payload = example("spie/examples/v1/appointment/appointment.booked-physical.valid.json").get("payload");
        assertThat(SCHEMAS.validatePayload("appointment", payload)).isEmpty();

        ObjectNode broken = (ObjectNode) payload.deepCopy();
        broken.put("modality", "visio");
        assertThat(SCHEMAS.validatePayload("appointment", broken))
                .containsExactly(new Violation("/modality", "must be one of [physical, phone, video]"));
        // the same payload is not a valid record of another type
        assertThat(SCHEMAS.validatePayload("orientation", payload)).isNotEmpty();
        List<Violation> unknown = SCHEMAS.validatePayload("rdv", payload);
        assertThat(unknown).hasSize(1);
        assertThat(unknown.get(0).pointer()).isEmpty();
        assertThat(unknown.get(0).message()).contains("\"rdv\"", "appointment");
    }

    @Test
    void definesPointerFollowsRefsPropertiesAndItems() {
        assertThat(SCHEMAS.definesPointer("rsa-situation", "/rightState")).isTrue();
        assertThat(SCHEMAS.definesPointer("rsa-situation", "/household/children")).isTrue();
        assertThat(SCHEMAS.definesPointer("rsa-situation", "/fund/code")).isTrue();                 // $ref into common
        assertThat(SCHEMAS.definesPointer("rsa-situation", "/suspensions/reasonCode")).isTrue();    // items, transparent
        assertThat(SCHEMAS.definesPointer("rsa-situation", "/suspensions/0/reasonCode")).isTrue();  // index ignored
        assertThat(SCHEMAS.definesPointer("rsa-situation", "/suspensions")).isTrue();
        assertThat(SCHEMAS.definesPointer("person", "/contact/address/communeCode")).isTrue();
        assertThat(SCHEMAS.definesPointer("person", "/identifiers/scheme")).isTrue();
        assertThat(SCHEMAS.definesPointer("diagnostic", "/needs/housing")).isTrue();               // local $defs
        assertThat(SCHEMAS.definesPointer("youth-support", "/situations/romeCode")).isTrue();
        assertThat(SCHEMAS.definesPointer("rsa-situation", "")).isTrue();

        assertThat(SCHEMAS.definesPointer("rsa-situation", "/rightStat")).isFalse();
        assertThat(SCHEMAS.definesPointer("rsa-situation", "/household/pets")).isFalse();
        assertThat(SCHEMAS.definesPointer("rsa-situation", "/rightState/code")).isFalse();
        assertThat(SCHEMAS.definesPointer("rsa-situation", "/nir")).isFalse();                     // person field
        assertThat(SCHEMAS.definesPointer("person", "/nir")).isTrue();
        assertThat(SCHEMAS.definesPointer("rsa-situation", "rightState")).isFalse();               // not a pointer
        assertThat(SCHEMAS.definesPointer("rsa-situation", "/household/")).isFalse();
        assertThat(SCHEMAS.definesPointer("unknown", "/rightState")).isFalse();
        assertThat(SCHEMAS.definesPointer(null, "/rightState")).isFalse();
        assertThat(SCHEMAS.definesPointer("person", null)).isFalse();
    }

    @Test
    void schemasResolveFromTheBundledFilesOnlyAndAreCompiledOnce() {
        assertThat(SCHEMAS.schemaIds()).hasSize(12).allMatch(id -> id.startsWith(SpieSchemas.BASE_URI));
        int loadsAfterStartup = SCHEMAS.resourceLoads();
        assertThat(loadsAfterStartup).isEqualTo(12);

        for (int i = 0; i < 50; i++) {
            SCHEMAS.validateEnvelope(rsaEnvelope());
        }
        assertThat(SCHEMAS.resourceLoads()).as("no schema loading per call").isEqualTo(loadsAfterStartup);

        // remote fetching is disabled: an $id outside the bundle is never fetched, it simply does not resolve
        assertThatThrownBy(() -> SCHEMAS.registry().getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/links")))
                .isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> SCHEMAS.registry().getSchema(SchemaLocation.of(SpieSchemas.BASE_URI + "missing.schema.json")))
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void everyRefInTheSchemasTargetsABundledSchema() throws IOException {
        for (String id : SCHEMAS.schemaIds()) {
            String file = SpieSchemas.CLASSPATH_DIR + id.substring(SpieSchemas.BASE_URI.length());
            JsonNode doc = example(file);
            List<String> refs = new ArrayList<>();
            collectRefs(doc, refs);
            for (String ref : refs) {
                String docPart = ref.contains("#") ? ref.substring(0, ref.indexOf('#')) : ref;
                String target = docPart.isEmpty() ? id : java.net.URI.create(id).resolve(docPart).toString();
                assertThat(SCHEMAS.schemaIds()).as(ref + " in " + file).contains(target);
                String fragment = ref.contains("#") ? ref.substring(ref.indexOf('#') + 1) : "";
                JsonNode targetDoc = example(SpieSchemas.CLASSPATH_DIR + target.substring(SpieSchemas.BASE_URI.length()));
                assertThat(targetDoc.at(fragment).isMissingNode()).as(ref + " in " + file).isFalse();
            }
        }
    }

    private static void collectRefs(JsonNode node, List<String> out) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isString()) {
                out.add(ref.asString());
            }
            node.values().forEach(child -> collectRefs(child, out));
        } else if (node.isArray()) {
            node.forEach(child -> collectRefs(child, out));
        }
    }

    @Test
    void validationIsThreadSafe() throws Exception {
        ObjectNode valid = rsaEnvelope();
        ObjectNode invalid = valid.deepCopy();
        ((ObjectNode) invalid.get("payload")).put("rightState", "ouvert");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                boolean expectValid = i % 2 == 0;
                results.add(pool.submit(() -> SCHEMAS.validateEnvelope(expectValid ? valid : invalid).isEmpty() == expectValid));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
