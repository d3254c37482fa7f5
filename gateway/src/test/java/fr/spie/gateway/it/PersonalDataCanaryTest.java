package fr.spie.gateway.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static fr.spie.gateway.it.GatewayTestSupport.JSON;
import static fr.spie.gateway.it.GatewayTestSupport.awaitStatus;
import static fr.spie.gateway.it.GatewayTestSupport.delivery;
import static fr.spie.gateway.it.GatewayTestSupport.example;
import static fr.spie.gateway.it.GatewayTestSupport.get;
import static fr.spie.gateway.it.GatewayTestSupport.json;
import static fr.spie.gateway.it.GatewayTestSupport.post;
import static fr.spie.gateway.it.GatewayTestSupport.submit;
import static fr.spie.gateway.it.GatewayTestSupport.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The invariant of docs/audit.md and docs/security.md: no NIR, name or payload in the audit trail, the ledger, the
 * logs or a delivery's lastError. Unique canary values are put in every personal field of envelopes, which are then
 * driven through every path an envelope can take (accepted and delivered; refused for each reason, the offending value
 * being the canary; blocked by consent; refused by a recipient whose answer echoes the canary; a consent given and
 * withdrawn; a file with a good and bad records); the canaries must then be found in none of these places, nor in
 * what an auditor reads through the API.
 */
@ExtendWith(OutputCaptureExtension.class)
class PersonalDataCanaryTest extends RunningGatewayTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final String NAME = "CANARYNAMEQWZX";
    private static final String USAGE_NAME = "CANARYUSAGEQWZX";
    private static final String GIVEN = "CANARYGIVENQWZX";
    private static final String NIR13 = "1370499357123";
    private static final String NIR = NIR13 + key(NIR13);
    private static final String BIRTH_DATE = "1937-04-29";
    private static final String BAD_DATE = "1937-04-31";
    private static final String ADDRESS = "7 impasse CANARYADDRQWZX";
    private static final String EMAIL = "canary.mailqwzx@example.org";
    private static final String PHONE = "06 13 79 24 68";
    private static final String COMMENT = "CANARYCOMMENTQWZX le bénéficiaire a dit ceci";
    private static final String IDENTIFIER = "CANARYIDQWZX";

    /** What must never be found: every canary contains QWZX, except the NIR, the dates and the phone number. */
    private static final List<String> CANARIES = List.of("qwzx", NIR13, BIRTH_DATE, "29/04/1937", "19370429",
            BAD_DATE, "31/04/1937", PHONE, PHONE.replace(" ", ""));

    @Autowired
    JdbcTemplate jdbc;

    /** What an auditor read besides the events. */
    private final Map<String, String> auditorAnswers = new LinkedHashMap<>();

    /** What each sender was answered, when it names the canaries (allowed to name its own values only). */
    private final Map<String, String> senderAnswers = new LinkedHashMap<>();

    @Test
    void noCanaryReachesTheTrailTheLedgerTheLogOrALastError(CapturedOutput output) throws Exception {
        acceptedAndDelivered();
        refusedForEachReason();
        blockedForWantOfConsent();
        refusedByRecipientsEchoingTheRecord();
        consentGivenUsedAndWithdrawn();
        pullsFranceTravailAnswersWithAnEcho();
        webhooksCarryingThePerson();
        aFileWithGoodAndBadRecords();
        anAuditorSearchesThePerson();
        Thread.sleep(1500); // the ledger writer, the deliveries' last logs

        Map<String, String> sinks = new LinkedHashMap<>();
        sinks.put("audit_event", rows("SELECT * FROM audit_event"));
        sinks.put("ledger_entry", rows("SELECT * FROM ledger_entry"));
        sinks.put("delivery.last_error", rows("SELECT last_error FROM delivery"));
        sinks.put("ledger/leaves.bin", new String(Files.readAllBytes(DATA.resolve("ledger").resolve("leaves.bin")),
                StandardCharsets.ISO_8859_1));
        sinks.put("log", output.getAll());
        sinks.put("GET /api/v1/audit/events", auditEvents());
        sinks.putAll(auditorAnswers);
        List<String> leaks = new ArrayList<>();
        sinks.forEach((sink, text) -> {
            String lower = text.toLowerCase(Locale.ROOT);
            for (String canary : CANARIES) {
                int at = lower.indexOf(canary.toLowerCase(Locale.ROOT));
                if (at >= 0) {
                    leaks.add(sink + " holds " + canary + ": …" + text.substring(Math.max(0, at - 200),
                            Math.min(text.length(), at + 100)).replace('\n', ' ') + "…");
                }
            }
        });
        // for the reader of a failure: what each sender was told of its own values
        Files.writeString(Path.of("target", "canary-sender-answers.txt"), String.join("\n",
                senderAnswers.entrySet().stream().map(a -> a.getKey() + " → " + a.getValue()).toList()));
        assertThat(leaks).as("canaries found").isEmpty();
        // the duplicate member's refusal names the member, never its values (docs/security.md)
        assertThat(senderAnswers.keySet()).doesNotContain("duplicate member");
    }

    // ------------------------------------------------------------------ paths

    private void acceptedAndDelivered() {
        ObjectNode person = person();
        accepted("caf-51", person);
        awaitSettled("caf-51", person, "DELIVERED", "cd-51", "ml-reims");
        // the same exchange id with other content: 409
        ObjectNode other = person.deepCopy();
        ((ObjectNode) other.path("payload")).put("birthName", NAME + "BIS");
        refused("409 same id, other content", "caf-51", other, 409);
    }

    private void refusedForEachReason() {
        refused("maxLength on a name", "caf-51", person(e -> subject(e).put("birthName", NAME.repeat(8))), 400);
        refused("pattern on a phone", "caf-51", person(e -> contact(e).put("phone", "QWZX " + PHONE)), 400);
        refused("enum on the sex", "caf-51", person(e -> subject(e).put("sex", "QWZX")), 400);
        refused("format on an email", "caf-51", person(e -> contact(e).put("email", "qwzx no mail")), 400);
        refused("pattern on a NIR", "caf-51", person(e -> subject(e).put("nir", NIR13 + "QWZX")), 400);
        refused("a date that is not a date", "caf-51", person(e -> subject(e).put("birthDate", BAD_DATE)), 400);
        String badKey = NIR13 + String.format("%02d", (Integer.parseInt(NIR.substring(13)) + 1) % 98);
        ObjectNode wrongKey = person(e -> {
            subject(e).put("nir", badKey);
            payload(e).put("nir", badKey);
        });
        answer("a NIR with a wrong key", submit(port, "caf-51", wrongKey));
        refused("unknown record type", "caf-51", person(e -> e.put("recordType", "qwzx-record")), 400);
        refused("403 record type not allowed", "caf-51", orientation("caf-51"), 403);
        String duplicate = JSON.writeValueAsString(person()).replaceFirst("\"birthName\":\"" + NAME + "\"",
                "\"birthName\":\"" + NAME + "\",\"birthName\":\"" + NAME + "TWO\"");
        assertThat(duplicate).contains(NAME + "TWO");
        HttpResponse<String> dup = post(port, "/api/v1/exchanges", token("caf-51"), "application/json",
                duplicate.getBytes(StandardCharsets.UTF_8));
        assertThat(dup.statusCode()).as(dup.body()).isEqualTo(400);
        answer("duplicate member", dup);
    }

    private void blockedForWantOfConsent() {
        ObjectNode diagnostic = diagnostic();
        accepted("cd-51", diagnostic);
        JsonNode status = awaitSettled("cd-51", diagnostic, "BLOCKED", "ml-reims", "ft-51");
        assertThat(delivery(status, "ml-reims").path("lastError").asString()).contains("consent-missing");
    }

    private ObjectNode echoed;

    private void refusedByRecipientsEchoingTheRecord() {
        String echo = "{\"error\":\"invalid record for " + NAME + " " + GIVEN + " born " + BIRTH_DATE + ", NIR " + NIR
                + ", living " + ADDRESS + ", " + COMMENT + "\"}";
        for (WireMockServer server : new WireMockServer[] {CD_51, ML_REIMS}) {
            server.resetAll();
        }
        CD_51.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500).withHeader("Content-Type",
                "application/json").withHeader("X-Echo", NAME).withBody(echo)));
        ML_REIMS.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(400).withHeader("Content-Type",
                "application/json").withBody(echo)));
        try {
            ObjectNode person = person();
            accepted("caf-51", person);
            awaitSettled("caf-51", person, "DEAD_LETTERED", "cd-51", "ml-reims");
            echoed = person;
        } finally {
            for (WireMockServer server : new WireMockServer[] {CD_51, ML_REIMS}) {
                server.resetAll();
                server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
            }
        }
        // an admin replays one dead letter, discards the other, and asks what routing would do with the record
        String id = echoed.path("exchangeId").asString();
        HttpResponse<String> replayed = post(port, "/api/v1/admin/dead-letters/replay", token("admin"),
                "application/json", ("{\"recipient\":\"cd-51\",\"exchangeIds\":[\"" + id + "\"]}")
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);
        HttpResponse<String> discarded = post(port, "/api/v1/admin/dead-letters/discard", token("admin"),
                "application/json", ("{\"recipient\":\"ml-reims\",\"exchangeIds\":[\"" + id + "\"],"
                        + "\"reason\":\"the mission locale refuses it\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(discarded.statusCode()).as(discarded.body()).isEqualTo(200);
        awaitSettled("caf-51", echoed, "DELIVERED", "cd-51");
        for (ObjectNode envelope : List.of(person(), person(e -> subject(e).put("birthDate", BAD_DATE)))) {
            HttpResponse<String> explained = post(port, "/api/v1/admin/routing/explain", token("admin"),
                    "application/json", JSON.writeValueAsBytes(envelope));
            assertThat(explained.statusCode()).as(explained.body()).isEqualTo(200);
        }
    }

    private void consentGivenUsedAndWithdrawn() {
        ObjectNode subject = (ObjectNode) person().path("subject");
        UUID consentId = UUID.randomUUID();
        ObjectNode receipt = GatewayTestSupport.consentReceipt(consentId, "mission-locale");
        ObjectNode body = JSON.createObjectNode();
        body.set("subject", subject);
        body.set("consent", receipt);
        HttpResponse<String> given = post(port, "/api/v1/consents", token("cd-51"), "application/json",
                JSON.writeValueAsBytes(body));
        assertThat(given.statusCode()).as(given.body()).isEqualTo(201);
        answer("consent given", given);
        // the person's consents, searched by NIR (kept out of the URL)
        answer("consent search", post(port, "/api/v1/consents/search", token("cd-51"), "application/json",
                ("{\"person\":\"nir:" + NIR + "\"}").getBytes(StandardCharsets.UTF_8)));

        ObjectNode diagnostic = diagnostic();
        diagnostic.set("subject", subject.deepCopy());
        accepted("cd-51", diagnostic);
        awaitSettled("cd-51", diagnostic, "DELIVERED", "ml-reims");

        HttpResponse<String> withdrawn = post(port, "/api/v1/consents/" + consentId + "/withdraw", token("cd-51"),
                "application/json", ("{\"reason\":\"Mme " + NAME + " née le " + BIRTH_DATE + " l'a demandé\"}")
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(withdrawn.statusCode()).as(withdrawn.body()).isEqualTo(200);
        answer("consent withdrawn", withdrawn);
        ObjectNode after = diagnostic();
        after.set("subject", subject.deepCopy());
        accepted("cd-51", after);
        awaitSettled("cd-51", after, "BLOCKED", "ml-reims");

        // the same as a SPIE consent record, then its withdrawal
        ObjectNode record = example("consent.diagnostic-to-mission-locale");
        record.set("subject", subject.deepCopy());
        String recordConsentId = UUID.randomUUID().toString();
        payload(record).put("consentId", recordConsentId).put("evidenceReference", "GED-CANARY");
        accepted("cd-51", record);
        ObjectNode withdrawal = record.deepCopy();
        withdrawal.put("exchangeId", UUID.randomUUID().toString());
        payload(withdrawal).put("withdrawnAt", "2025-06-01T10:00:00+02:00");
        accepted("cd-51", withdrawal);
    }

    /** An auditor looks the person up: the identity is used in memory only, never kept nor logged. */
    private void anAuditorSearchesThePerson() {
        ObjectNode subject = (ObjectNode) person().path("subject");
        HttpResponse<String> report = post(port, "/api/v1/audit/persons/report", token("auditor"), "application/json",
                JSON.writeValueAsBytes(subject));
        assertThat(report.statusCode()).as(report.body()).isEqualTo(200);
        for (String query : new String[] {"nir=" + NIR, "birthName=" + NAME + "&birthDate=" + BIRTH_DATE + "&givenName="
                + GIVEN, "identifierScheme=caf-matricule&identifierValue=" + IDENTIFIER}) {
            HttpResponse<String> found = get(port, "/api/v1/audit/events?" + query, token("auditor"));
            assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
            auditorAnswers.put("GET /api/v1/audit/events?" + query.replaceAll("=[^&]*", "=…"), found.body());
        }
    }

    /** France Travail's APIs (FT_51) answer a pull's person search with errors whose text echoes the person. */
    private void pullsFranceTravailAnswersWithAnEcho() {
        String echo = "{\"codeRetour\":\"R002\",\"message\":\"usager " + NAME + " " + GIVEN + " né le " + BIRTH_DATE
                + ", " + ADDRESS + "\",\"libelle\":\"" + COMMENT + "\"}";
        String search = "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir";
        FT_51.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/connexion/oauth2/access_token"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson(
                        // the token the other tests of this shared context expect: the gateway keeps it for its
                        // lifetime (FranceTravailPullTest, run after this one, saw "tok-canary" and failed)
                        "{\"access_token\":\"tok-1\",\"token_type\":\"Bearer\",\"expires_in\":1499}")));
        byte[] body = ("{\"subject\":{\"nir\":\"" + NIR + "\",\"birthDate\":\"" + BIRTH_DATE + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        for (int status : new int[] {400, 403, 500}) {
            FT_51.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                    com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo(search))
                    .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                            .withBody(echo)));
            HttpResponse<String> pulled = post(port, "/api/v1/partners/ft-51/pulls", token("cd-51"),
                    "application/json", body);
            assertThat(pulled.statusCode()).as(pulled.body()).isGreaterThanOrEqualTo(400);
            answer("pull, France Travail answering " + status, pulled);
        }
        // a search answered with an unexpected code and the person in its message
        FT_51.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo(search))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson(
                        "{\"codeRetour\":\"S009\",\"message\":\"" + NAME + " " + BIRTH_DATE + "\"}")));
        answer("pull, unexpected codeRetour", post(port, "/api/v1/partners/ft-51/pulls", token("cd-51"),
                "application/json", body));
    }

    /** RDV-Insertion-like webhooks naming the person, signed or not. */
    private void webhooksCarryingThePerson() throws Exception {
        String path = "/api/v1/partners/rdvi-51/webhooks";
        String users = "\"users\":[{\"first_name\":\"" + GIVEN + "\",\"last_name\":\"" + NAME
                + "\",\"birth_date\":\"" + BIRTH_DATE + "\",\"address\":\"" + ADDRESS + "\",\"email\":\"" + EMAIL
                + "\",\"phone_number\":\"" + PHONE + "\",\"nir\":\"" + NIR + "\"}]";
        List<String> bodies = List.of(
                "{\"data\":{\"id\":" + (int) (Math.random() * 1_000_000) + ",\"status\":\"unknown\"," + users
                        + ",\"context\":\"" + COMMENT + "\"},\"meta\":{\"model\":\"Rdv\",\"event\":\"created\","
                        + "\"timestamp\":\"2026-11-29 10:00:00 +0100\"}}",
                "{\"data\":{" + users + "},\"meta\":{\"model\":\"" + NAME + "\",\"event\":\"" + BIRTH_DATE
                        + "\",\"timestamp\":\"2026-11-29 10:00:00 +0100\"}}",
                "{\"data\":{" + users + "},\"meta\":\"" + NAME + "\"}",
                "not json " + NAME);
        for (String text : bodies) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            for (String signature : new String[] {fr.spie.gateway.security.WebhookSignature.sign(WEBHOOK_SECRET,
                    bytes), fr.spie.gateway.security.WebhookSignature.sign("another-secret", bytes), null}) {
                java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20))
                        .header("Content-Type", "application/json; charset=utf-8")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(bytes));
                if (signature != null) {
                    request.header("X-RDVI-Signature", signature);
                }
                answer("webhook", java.net.http.HttpClient.newHttpClient().send(request.build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
        }
    }

    private void aFileWithGoodAndBadRecords() throws Exception {
        String header = Files.readAllLines(Path.of("src/test/resources/files/carnet-de-bord-beneficiaires.csv"),
                StandardCharsets.UTF_8).get(0);
        int columns = header.split(";", -1).length;
        String good = line("QWZX-D-1", "29/04/1937", NIR, columns);
        String badDate = line("QWZX-D-2", "31/04/1937", "", columns);
        String badNir = line("QWZX-D-3", "29/04/1937", NIR13 + "QW", columns);
        byte[] file = (header + "\n" + good + "\n" + badDate + "\n" + badNir + "\n").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> uploaded = post(port, "/api/v1/partners/cd-51/files?name=" + URLEncoder.encode(
                "import_" + NAME + "_" + BIRTH_DATE + ".csv", StandardCharsets.UTF_8), token("cd-51"), "text/csv", file);
        assertThat(uploaded.statusCode()).as(uploaded.body()).isBetween(200, 202);
        String fileId = json(uploaded).path("fileId").asString();
        JsonNode[] report = new JsonNode[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            report[0] = json(get(port, "/api/v1/files/" + fileId, token("cd-51")));
            return report[0].path("status").asString().matches("DONE|QUARANTINED");
        });
        assertThat(report[0].path("counts").path("rejected").asInt()).as(report[0].toString()).isPositive();
        senderAnswers.put("file report", report[0].toString());

        // a CNAF monthly file: a household whose applicant is delivered, and a spouse born on no date
        String matricule = String.valueOf(100_000_000_000_000L + (long) (Math.random() * 800_000_000_000_000L));
        String cnaf = Files.readString(Path.of("src/test/resources/files/cnaf-monthly.xml"), StandardCharsets.UTF_8)
                .replace("TESTFOYER", NAME).replace("ALICE", GIVEN).replace("1980-01-15", BIRTH_DATE)
                .replace("1979-05-20", BAD_DATE).replace("777770000000000", matricule);
        HttpResponse<String> xml = post(port, "/api/v1/partners/caf-51/files?name=" + URLEncoder.encode(
                "RSABEM_" + NAME + ".xml", StandardCharsets.UTF_8), token("caf-51"), "application/xml",
                cnaf.getBytes(StandardCharsets.UTF_8));
        assertThat(xml.statusCode()).as(xml.body()).isBetween(200, 202);
        String xmlId = json(xml).path("fileId").asString();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            report[0] = json(get(port, "/api/v1/files/" + xmlId, token("caf-51")));
            return report[0].path("status").asString().matches("DONE|QUARANTINED");
        });
        assertThat(report[0].path("counts").path("accepted").asInt()).as(report[0].toString()).isPositive();
        assertThat(report[0].path("counts").path("rejected").asInt()).as(report[0].toString()).isPositive();
        senderAnswers.put("CNAF file report", report[0].toString());
        await().atMost(WAIT).until(() -> CD_51.getAllServeEvents().stream()
                .anyMatch(e -> e.getRequest().getBodyAsString().contains(NAME)));
        // what an auditor lists of the files (metadata and counts)
        auditorAnswers.put("GET /api/v1/files (auditor)", auditorReads("/api/v1/files"));
    }

    // ------------------------------------------------------------------ envelopes

    private static String line(String id, String birthDate, String nir, int columns) {
        String[] cells = new String[columns];
        java.util.Arrays.fill(cells, "");
        cells[0] = id;
        cells[1] = GIVEN;
        cells[2] = NAME;
        cells[3] = birthDate;
        cells[4] = nir;
        cells[5] = "Reims";
        cells[6] = PHONE;
        cells[7] = EMAIL;
        cells[8] = ADDRESS;
        cells[9] = COMMENT;
        cells[10] = "51100";
        cells[11] = "Reims";
        return String.join(";", cells);
    }

    /** A CAF person whose every personal field is a canary. */
    private static ObjectNode person() {
        ObjectNode e = example("person.applicant-with-nir");
        for (ObjectNode person : new ObjectNode[] {subject(e), payload(e)}) {
            person.put("nir", NIR).put("birthName", NAME).put("usageName", USAGE_NAME).put("birthDate", BIRTH_DATE);
            person.putArray("givenNames").add(GIVEN).add(GIVEN + "BIS");
            ((ObjectNode) person.path("identifiers").get(0)).put("value", IDENTIFIER);
        }
        contact(e).put("email", EMAIL).put("phone", PHONE);
        ((ObjectNode) contact(e).path("address")).put("line", ADDRESS).put("communeName", "CANARYTOWNQWZX");
        return e;
    }

    private static ObjectNode person(Consumer<ObjectNode> change) {
        ObjectNode e = person();
        change.accept(e);
        return e;
    }

    private static ObjectNode subject(ObjectNode e) {
        return (ObjectNode) e.path("subject");
    }

    private static ObjectNode payload(ObjectNode e) {
        return (ObjectNode) e.path("payload");
    }

    private static ObjectNode contact(ObjectNode e) {
        return (ObjectNode) payload(e).path("contact");
    }

    private static ObjectNode orientation(String source) {
        ObjectNode e = example("orientation.ped-france-travail");
        e.put("source", source);
        e.set("subject", person().path("subject").deepCopy());
        payload(e).put("reason", COMMENT);
        return e;
    }

    /** A diagnostic of cd-51 under consent (route diagnostic-cd-to-ml-consent), with canaries in its free text. */
    private static ObjectNode diagnostic() {
        ObjectNode e = example("diagnostic.complete");
        e.put("source", "cd-51").put("purpose", "social-support");
        e.putObject("legalBasis").put("type", "consent").put("reference", "RGPD art. 6(1)(a)");
        e.set("subject", person().path("subject").deepCopy());
        ((ObjectNode) payload(e).path("constraints").get(0)).put("label", COMMENT);
        ((ObjectNode) payload(e).path("author")).put("familyName", "CANARYAGENTQWZX");
        return e;
    }

    // ------------------------------------------------------------------ helpers

    private static String key(String nir13) {
        return String.format("%02d", 97 - Long.parseLong(nir13) % 97);
    }

    private void accepted(String partner, ObjectNode envelope) {
        HttpResponse<String> r = submit(port, partner, envelope);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        answer("accepted " + envelope.path("recordType").asString(), r);
    }

    private void refused(String why, String partner, ObjectNode envelope, int status) {
        HttpResponse<String> r = submit(port, partner, envelope);
        assertThat(r.statusCode()).as(why + ": " + r.body()).isEqualTo(status);
        answer(why, r);
    }

    private void answer(String what, HttpResponse<String> r) {
        String lower = r.body().toLowerCase(Locale.ROOT);
        if (CANARIES.stream().anyMatch(c -> lower.contains(c.toLowerCase(Locale.ROOT)))) {
            senderAnswers.put(what, r.statusCode() + " " + r.body());
        }
    }

    private JsonNode awaitSettled(String partner, ObjectNode envelope, String expected, String... recipients) {
        String id = envelope.path("exchangeId").asString();
        JsonNode status = awaitStatus(port, partner, id, s -> {
            for (String recipient : recipients) {
                if (!s.path("deliveries").toString().contains(recipient)
                        || !expected.equals(delivery(s, recipient).path("status").asString())) {
                    return false;
                }
            }
            return true;
        }, WAIT);
        return status;
    }

    private String rows(String sql) {
        StringBuilder all = new StringBuilder();
        for (Map<String, Object> row : jdbc.queryForList(sql)) {
            row.values().forEach(v -> all.append(v instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1)
                    : String.valueOf(v)).append('|'));
            all.append('\n');
        }
        return all.toString();
    }

    private String auditEvents() {
        StringBuilder all = new StringBuilder();
        long after = 0;
        while (true) {
            HttpResponse<String> page = get(port, "/api/v1/audit/events?limit=1000&after=" + after,
                    token("auditor"));
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            all.append(page.body()).append('\n');
            JsonNode next = json(page).path("next");
            if (next.isNull() || next.isMissingNode()) {
                return all.toString();
            }
            after = next.asLong();
        }
    }

    private String auditorReads(String path) {
        HttpResponse<String> r = get(port, path, token("auditor"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }
}
