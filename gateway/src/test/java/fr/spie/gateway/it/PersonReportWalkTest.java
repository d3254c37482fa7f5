package fr.spie.gateway.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static fr.spie.gateway.it.GatewayTestSupport.JSON;
import static fr.spie.gateway.it.GatewayTestSupport.awaitStatus;
import static fr.spie.gateway.it.GatewayTestSupport.delivery;
import static fr.spie.gateway.it.GatewayTestSupport.example;
import static fr.spie.gateway.it.GatewayTestSupport.json;
import static fr.spie.gateway.it.GatewayTestSupport.post;
import static fr.spie.gateway.it.GatewayTestSupport.submit;
import static fr.spie.gateway.it.GatewayTestSupport.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import fr.spie.connector.francetravail.FranceTravailApiClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A person's access report (docs/audit.md, "A person's access report") against what the recipients actually received.
 * Data about one person (Alice), her twin sister (Béatrice: same birth name and birth date) and her spouse (Bruno,
 * same CAF household) is driven through every channel that carries a person here: the HTTP intake (person,
 * rsa-situation, orientation, jobseeker-situation, diagnostic under consent, records keyed by the NIR, a France Travail
 * id, a département id or the identity pivot with and without sex), a CNAF XML file with the household, a France
 * Travail extract, a département CSV file, a France Travail pull; deliveries that succeed, are dead-lettered, are
 * blocked for want of consent, are still in flight, are requeued by an admin and delivered again, and a consent's
 * withdrawal notice. The report, asked by each key the person can be known by, must list each delivery the
 * recipients acknowledged (their WireMock logs), once, with its recipient, date, purpose and legal basis; nothing
 * else, nothing about the sister or the spouse; and each report is audited without the identity.
 */
class PersonReportWalkTest extends RunningGatewayTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String RECORDS = "/spie/records";
    private static final String TAG = tag();

    private static final String NAME = "RAPPORT" + TAG;
    private static final String ALICE = "ALICE";
    private static final String BEATRICE = "BEATRICE";
    private static final String BRUNO = "BRUNO";
    private static final String BIRTH = "1980-01-15";
    private static final String BRUNO_BIRTH = "1979-05-20";
    private static final String NIR13 = nir13();
    private static final String NIR = NIR13 + key(NIR13);
    /** Her twin sister's: the next order number, one digit away from hers. */
    private static final String SISTER_NIR13 = NIR13.substring(0, 10)
            + String.format("%03d", Integer.parseInt(NIR13.substring(10)) + 1);
    private static final String SISTER_NIR = SISTER_NIR13 + key(SISTER_NIR13);
    /** The household's CAF number: 7 digits, 15 in the CNAF flux. */
    private static final String MATRICULE = String.valueOf(ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999));
    /** France Travail's id of the job seeker in its SPIE extract (lower case, as France Travail writes it). */
    private static final String FT_ID = UUID.randomUUID().toString();
    /**
     * Her job seeker number ("numéro d'identifiant", 7 digits and a letter) as she reads it on her papers: in upper
     * case, as the CAF flux, i-milo and the départements' files give it once read (their connectors upper-case it);
     * a partner's system may keep it in lower case.
     */
    private static final String FT_NUMBER = ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999) + String.valueOf(
            (char) ('A' + ThreadLocalRandom.current().nextInt(26)));
    private static final String DEPT_ID = "RPT-" + TAG;

    private static final String CD = "Conseil départemental de la Marne (test)";
    private static final String FT = "France Travail Marne (test)";
    private static final String ML = "Mission locale de Reims (test)";

    /** Under which key the gateway filed each exchange sent here (known from what was sent). */
    enum Kind { NIR, CAF_MEMBER, FT_ID, FT_NUMBER, DEPT_ID, PIVOT_F, PIVOT_NO_SEX, HOUSEHOLD }

    @Autowired
    JdbcTemplate jdbc;

    private final Map<String, Kind> kinds = new HashMap<>();
    /** The persons the exchanges sent over HTTP are about: "alice", "beatrice". */
    private final Map<String, String> about = new HashMap<>();

    @Test
    void theReportListsEveryDeliveryOfThePersonOnceAndNothingElseWhateverTheChannel() throws Exception {
        Instant start = Instant.now();
        long firstSeq = jdbc.queryForObject("SELECT COALESCE(MAX(seq), 0) FROM audit_event", Long.class);

        // ---- HTTP intake
        String person = send("caf-51", withSubject(example("person.applicant-with-nir"), aliceByNir()), Kind.NIR);
        awaitDelivery("caf-51", person, "cd-51", "DELIVERED");
        awaitDelivery("caf-51", person, "ml-reims", "DELIVERED");
        // delivered to cd-51, refused for good by ml-reims: dead-lettered, not delivered
        ObjectNode situation = withSubject(example("rsa-situation.open-payable-applicant"), aliceByNir());
        ML_REIMS.stubFor(any(anyUrl()).atPriority(1).withHeader("X-Spie-Exchange-Id",
                equalTo(situation.path("exchangeId").asString())).willReturn(aResponse().withStatus(422)));
        String deadLettered = send("caf-51", situation, Kind.NIR);
        awaitDelivery("caf-51", deadLettered, "ml-reims", "DEAD_LETTERED");
        awaitDelivery("caf-51", deadLettered, "cd-51", "DELIVERED");
        // dead-lettered by ml-reims too, then replayed by an admin once ml-reims takes it: delivered once
        ObjectNode refusedOnce = withSubject(example("person.applicant-with-nir"), aliceByNir());
        ML_REIMS.stubFor(any(anyUrl()).atPriority(1).withHeader("X-Spie-Exchange-Id",
                equalTo(refusedOnce.path("exchangeId").asString())).willReturn(aResponse().withStatus(400)));
        String replayed = send("caf-51", refusedOnce, Kind.NIR);
        awaitDelivery("caf-51", replayed, "ml-reims", "DEAD_LETTERED");
        ML_REIMS.removeStub(ML_REIMS.getStubMappings().stream().filter(m -> m.getRequest().toString()
                .contains(replayed)).findFirst().orElseThrow());
        HttpResponse<String> replay = post(port, "/api/v1/admin/dead-letters/replay", token("admin"),
                "application/json", ("{\"recipient\":\"ml-reims\",\"exchangeIds\":[\"" + replayed + "\"]}")
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
        awaitDelivery("caf-51", replayed, "ml-reims", "DELIVERED");
        String orientation = send("cd-51", withSubject(example("orientation.ped-france-travail"), aliceByNir()),
                Kind.NIR);
        awaitDelivery("cd-51", orientation, "ft-51", "DELIVERED");
        String byDeptId = send("cd-51", withSubject(example("orientation.ped-france-travail"),
                aliceBy("departement-id", DEPT_ID, null)), Kind.DEPT_ID);
        awaitDelivery("cd-51", byDeptId, "ft-51", "DELIVERED");
        String byFtId = send("ft-51", withSubject(example("jobseeker-situation.registered-renforce"),
                aliceBy("france-travail-id", FT_ID, "ft-51")), Kind.FT_ID);
        awaitDelivery("ft-51", byFtId, "cd-51", "DELIVERED");
        String byFtNumber = send("ft-51", withSubject(example("jobseeker-situation.registered-renforce"),
                aliceBy("france-travail-id", FT_NUMBER.toLowerCase(Locale.ROOT), "ft-51")), Kind.FT_NUMBER);
        awaitDelivery("ft-51", byFtNumber, "cd-51", "DELIVERED");
        // about the household alone (its CAF number, no member named): neither Alice's nor Bruno's own
        ObjectNode household = JSON.createObjectNode();
        household.putArray("identifiers").addObject().put("scheme", "caf-matricule").put("value", MATRICULE)
                .put("issuer", "CAF 511");
        String aboutTheHousehold = send("caf-51", withSubject(example("rsa-situation.open-payable-applicant"),
                household), Kind.HOUSEHOLD);
        about.put(aboutTheHousehold, "household");
        awaitDelivery("caf-51", aboutTheHousehold, "cd-51", "DELIVERED");
        // France Travail relaying the département's id without its issuer, and nothing else: it names no one (it
        // could be any département's), so the record would be delivered and told to no one: refused
        ObjectNode relayed = JSON.createObjectNode();
        relayed.putArray("identifiers").addObject().put("scheme", "departement-id").put("value", DEPT_ID);
        ObjectNode unkeyed = withSubject(example("jobseeker-situation.registered-renforce"), relayed);
        unkeyed.put("source", "ft-51");
        HttpResponse<String> namesNoOne = submit(port, "ft-51", unkeyed);
        assertThat(namesNoOne.statusCode()).as(namesNoOne.body()).isEqualTo(400);
        assertThat(json(namesNoOne).path("type").asString()).endsWith("unidentified-subject");
        assertThat(json(namesNoOne).path("errors").get(0).path("pointer").asString())
                .isEqualTo("/subject/identifiers/0/issuer");
        assertThat(namesNoOne.body()).doesNotContain(DEPT_ID);
        // a first given name that is only punctuation is no given name: no key either
        ObjectNode punctuation = pivot("-", true);
        HttpResponse<String> noGivenName = submit(port, "caf-51", withSubject(
                example("rsa-situation.open-payable-applicant"), punctuation));
        assertThat(noGivenName.statusCode()).as(noGivenName.body()).isEqualTo(400);
        assertThat(json(noGivenName).path("type").asString()).endsWith("unidentified-subject");
        ObjectNode pivot = pivot(ALICE, true);
        String byPivot = send("caf-51", withSubject(example("rsa-situation.open-payable-applicant"), pivot),
                Kind.PIVOT_F);
        ObjectNode pivotNoSex = pivot(ALICE, false);
        String byPivotNoSex = send("caf-51", withSubject(example("rsa-situation.open-payable-applicant"), pivotNoSex),
                Kind.PIVOT_NO_SEX);
        awaitDelivery("caf-51", byPivot, "cd-51", "DELIVERED");
        awaitDelivery("caf-51", byPivotNoSex, "ml-reims", "DELIVERED");
        // the twin sister: same birth name and birth date, her own NIR, and her identity pivot
        String sister = send("caf-51", withSubject(example("person.applicant-with-nir"), sisterByNir()), Kind.NIR);
        about.put(sister, "beatrice");
        String sisterPivot = send("caf-51", withSubject(example("rsa-situation.open-payable-applicant"),
                pivot(BEATRICE, true)), Kind.PIVOT_F);
        about.put(sisterPivot, "beatrice");
        awaitDelivery("caf-51", sister, "cd-51", "DELIVERED");
        awaitDelivery("caf-51", sisterPivot, "ml-reims", "DELIVERED");

        // ---- blocked for want of consent, then delivered under consent, then the consent's withdrawal notice
        String blocked = send("cd-51", diagnostic(), Kind.NIR);
        awaitDelivery("cd-51", blocked, "ml-reims", "BLOCKED");
        awaitDelivery("cd-51", blocked, "ft-51", "BLOCKED");
        UUID consentId = UUID.randomUUID();
        ObjectNode consent = JSON.createObjectNode();
        consent.set("subject", aliceByNir());
        consent.set("consent", GatewayTestSupport.consentReceipt(consentId, "mission-locale"));
        assertThat(post(port, "/api/v1/consents", token("cd-51"), "application/json", JSON.writeValueAsBytes(consent))
                .statusCode()).isEqualTo(201);
        String underConsent = send("cd-51", diagnostic(), Kind.NIR);
        awaitDelivery("cd-51", underConsent, "ml-reims", "DELIVERED");
        awaitDelivery("cd-51", underConsent, "ft-51", "BLOCKED");
        HttpResponse<String> withdrawn = post(port, "/api/v1/consents/" + consentId + "/withdraw", token("cd-51"),
                "application/json", "{\"reason\":\"asked by the person\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(withdrawn.statusCode()).as(withdrawn.body()).isEqualTo(200);

        // ---- files: CNAF (the household: Alice and her spouse Bruno), France Travail extract, département CSV
        String cnaf = Files.readString(Path.of("src/test/resources/files/cnaf-monthly.xml"), StandardCharsets.UTF_8)
                .replace("TESTFOYER", NAME).replace("777770000000000", MATRICULE + "00000000")
                .replace("TESTSEUL", "SEUL" + TAG).replace("777771000000000",
                        String.valueOf(Long.parseLong(MATRICULE) + 1) + "00000000");
        upload("caf-51", "RSABEM.xml", "application/xml", cnaf, true);
        // the next month's flux: Alice has registered at France Travail, the flux gives her number (in lower case)
        int alicesBenefits = cnaf.indexOf("</Prestations>") + "</Prestations>".length();
        upload("caf-51", "RSABEM-next.xml", "application/xml", cnaf.substring(0, alicesBenefits)
                + "<DossierPoleEmploi><IDASSEDIC>" + FT_NUMBER.toLowerCase(Locale.ROOT) + "</IDASSEDIC>"
                + "</DossierPoleEmploi>" + cnaf.substring(alicesBenefits), true);
        upload("ft-51", "extract_spie_carnet.csv", "text/csv", franceTravailExtract(), true);
        // ml-reims's i-milo dossiers go nowhere either here (no route from ml-reims in this configuration)
        String dossier = Files.readString(Path.of("src/test/resources/files/imilo-dossier-cej.json"),
                StandardCharsets.UTF_8).replace("987001", String.valueOf(ThreadLocalRandom.current().nextInt(100_000,
                        999_999))).replace("MARTIN", NAME).replace("Inès", "Alice").replace("2005-09-14", BIRTH)
                .replace("4053956z", FT_NUMBER.toLowerCase(Locale.ROOT));
        upload("ml-reims", "dossier.json", "application/json", dossier, false);
        // cd-51's persons go nowhere (no route carries them from cd-51): read, and refused as not routable
        upload("cd-51", "beneficiaires.csv", "text/csv", departementFile(), false);

        // ---- a France Travail pull by cd-51
        pull();

        // ---- an admin queues again a delivery the database says is pending (a database restored from a backup)
        assertThat(jdbc.update("UPDATE delivery SET status = 'PENDING', attempts = 0 WHERE exchange_id = ? "
                + "AND recipient = 'ft-51'", UUID.fromString(orientation))).isEqualTo(1);
        HttpResponse<String> requeued = post(port, "/api/v1/admin/deliveries/requeue", token("admin"),
                "application/json", "{\"recipient\":\"ft-51\",\"reason\":\"restored from backup\"}"
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(requeued.statusCode()).as(requeued.body()).isEqualTo(200);
        await().atMost(WAIT).until(() -> received(FT_51).stream()
                .filter(r -> r.exchangeId().equals(orientation)).count() == 2);
        awaitDelivery("cd-51", orientation, "ft-51", "DELIVERED");

        // ---- a delivery still in flight when the report is asked: cd-51 answers late
        ObjectNode late = withSubject(example("person.applicant-with-nir"), aliceByNir());
        CD_51.stubFor(any(anyUrl()).atPriority(1).withHeader("X-Spie-Exchange-Id",
                equalTo(late.path("exchangeId").asString())).willReturn(aResponse().withStatus(200)
                .withFixedDelay(4000)));
        String inFlight = send("caf-51", late, Kind.NIR);
        awaitDelivery("caf-51", inFlight, "ml-reims", "DELIVERED");
        awaitSettled(start, inFlight);
        JsonNode whileInFlight = report("auditor", fullIdentity());
        assertThat(delivery(GatewayTestSupport.status(port, "caf-51", inFlight), "cd-51").path("status").asString())
                .as("still in flight after the report was made").isEqualTo("PENDING");
        assertThat(entries(whileInFlight)).as("a delivery not yet acknowledged is not reported")
                .doesNotContain(inFlight + " → " + CD).contains(inFlight + " → " + ML);
        awaitDelivery("caf-51", inFlight, "cd-51", "DELIVERED");
        awaitSettled(start, null);

        // ---- what the recipients acknowledged, about whom
        Map<String, List<Received>> truth = received();
        List<Received> alice = new ArrayList<>(truth.getOrDefault("alice", List.of()));
        assertThat(truth.getOrDefault("household", List.of())).as("the household's record was delivered")
                .isNotEmpty();
        alice.addAll(truth.get("household"));
        assertThat(truth.getOrDefault("bruno", List.of())).as("the spouse's records were delivered").isNotEmpty();
        assertThat(truth.getOrDefault("beatrice", List.of())).as("the sister's records were delivered").isNotEmpty();
        Set<Kind> channels = alice.stream().map(r -> r.kind).collect(Collectors.toSet());
        assertThat(channels).containsExactlyInAnyOrder(Kind.values());

        // ---- the reports, by every key
        Set<Kind> own = java.util.EnumSet.complementOf(java.util.EnumSet.of(Kind.HOUSEHOLD));
        expect("auditor", fullIdentity(), alice, own);
        expect("caf-51", fullIdentity(), alice, own);
        expect("auditor", nir(NIR), alice, Set.of(Kind.NIR));
        expect("auditor", nir(NIR13), alice, Set.of(Kind.NIR));
        ObjectNode caf = JSON.createObjectNode();
        caf.putArray("givenNames").add(ALICE);
        caf.put("birthDate", BIRTH);
        caf.putArray("identifiers").addObject().put("scheme", "caf-matricule").put("value", MATRICULE)
                .put("issuer", "CAF 511");
        expect("auditor", caf, alice, Set.of(Kind.CAF_MEMBER));
        // the number as the CNAF flux writes it (15 digits), the CAF as another system spells it
        ObjectNode cafAsInTheFlux = caf.deepCopy();
        ((ObjectNode) cafAsInTheFlux.path("identifiers").get(0)).put("value", MATRICULE + "00000000")
                .put("issuer", "caf511");
        expect("auditor", cafAsInTheFlux, alice, Set.of(Kind.CAF_MEMBER));
        expect("auditor", identifier("france-travail-id", FT_ID, null), alice, Set.of(Kind.FT_ID));
        expect("auditor", identifier("france-travail-id", FT_ID.toUpperCase(Locale.ROOT), null), alice,
                Set.of(Kind.FT_ID));
        // her number as she reads it: the CAF flux's records (upper-cased by its connector) and ft-51's (lower case)
        expect("auditor", identifier("france-travail-id", FT_NUMBER, null), alice, Set.of(Kind.FT_NUMBER));
        expect("auditor", identifier("departement-id", DEPT_ID, "cd-51"), alice, Set.of(Kind.DEPT_ID));
        expect("auditor", identifier("departement-id", DEPT_ID, "CD 51"), alice, Set.of(Kind.DEPT_ID));
        expect("auditor", pivot(ALICE, true), alice, Set.of(Kind.PIVOT_F, Kind.PIVOT_NO_SEX));
        expect("auditor", pivot(ALICE, false), alice, Set.of(Kind.PIVOT_F, Kind.PIVOT_NO_SEX));
        ObjectNode asWritten = pivot("Alice", false);
        asWritten.put("birthName", "Rapport" + TAG.toLowerCase(Locale.ROOT));
        expect("auditor", asWritten, alice, Set.of(Kind.PIVOT_F, Kind.PIVOT_NO_SEX));
        // the command line, on the same database: the same deliveries
        String url = "jdbc:h2:retry:" + DATA + "/db/spie;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE";
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cli = fr.spie.gateway.cli.SpieCli.commandLine(fr.spie.gateway.config.RecordTypes.V1,
                Map.of());
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        assertThat(cli.execute("audit", "report", "--data-dir", DATA.toString(), "--jdbc-url", url, "--config",
                GatewayTestSupport.TEST_CONFIG, "--json", "--nir", NIR)).as(err.toString()).isZero();
        assertThat(entries(JSON.readTree(out.toString()))).containsExactlyInAnyOrderElementsOf(
                entries(report("auditor", nir(NIR))));
        // the household's number alone: only what was sent about the household alone (nothing here)
        expect("auditor", identifier("caf-matricule", MATRICULE, "CAF 511"), alice, Set.of(Kind.HOUSEHOLD));
        // the sister and the spouse: their own deliveries, none of Alice's
        JsonNode sisterReport = report("auditor", nir(SISTER_NIR));
        // Alice's NIR mistyped in one digit is her sister's: the key (Alice's) shows the typo, the sister's
        // deliveries are not reported to whoever asked with it
        HttpResponse<String> mistyped = post(port, "/api/v1/audit/persons/report", token("auditor"),
                "application/json", JSON.writeValueAsBytes(nir(SISTER_NIR13 + key(NIR13))));
        assertThat(mistyped.statusCode()).as(mistyped.body()).isEqualTo(400);
        assertThat(json(mistyped).path("errors").toString()).contains("/nir").doesNotContain(SISTER_NIR13);
        assertThat(entries(sisterReport)).isNotEmpty().allMatch(e -> e.startsWith(sister + " "));
        ObjectNode spouse = caf.deepCopy();
        spouse.putArray("givenNames").add(BRUNO);
        spouse.put("birthDate", BRUNO_BIRTH);
        JsonNode spouseReport = report("auditor", spouse);
        Set<String> spouseExchanges = truth.get("bruno").stream().map(Received::exchangeId).collect(Collectors.toSet());
        assertThat(spouseReport.path("entries")).isNotEmpty()
                .allMatch(e -> spouseExchanges.contains(e.path("exchangeId").asString()));

        // ---- each report is on the record, with the caller and a pseudonym, never the identity
        List<Map<String, Object>> produced = jdbc.queryForList("SELECT * FROM audit_event WHERE seq > ? AND "
                + "event_type = 'PERSON_REPORT_PRODUCED'", firstSeq);
        assertThat(produced).hasSize(20);
        assertThat(produced).extracting(e -> String.valueOf(e.get("ACTOR")))
                .allMatch(a -> a.equals("test-auditor") || a.equals("caf-51") || a.startsWith("cli:"))
                .anyMatch(a -> a.startsWith("cli:"));
        for (Map<String, Object> event : produced) {
            String text = event.values().toString().toUpperCase(Locale.ROOT);
            for (String identity : List.of(NIR13, SISTER_NIR13, NAME, ALICE, BRUNO, BEATRICE, MATRICULE, FT_ID
                    .toUpperCase(Locale.ROOT), FT_NUMBER, DEPT_ID, BIRTH, BRUNO_BIRTH)) {
                assertThat(text).as("PERSON_REPORT_PRODUCED").doesNotContain(identity);
            }
            assertThat(String.valueOf(event.get("SUBJECT_PSEUDONYM")).trim()).matches("[0-9a-f]{64}");
            assertThat(String.valueOf(event.get("DETAIL"))).startsWith("searched by ").contains("deliveries reported");
        }
    }

    // ------------------------------------------------------------------ the check

    /**
     * The report asked by {@code caller} with {@code identity} lists, once each, exactly the deliveries of
     * {@code alice} the recipients acknowledged among those sent under one of {@code kinds}, each with its recipient,
     * a date after the recipient's answer, the envelope's purpose and legal basis.
     */
    private void expect(String caller, JsonNode identity, List<Received> alice, Set<Kind> kinds) {
        JsonNode report = report(caller, identity);
        List<String> listed = entries(report);
        Set<String> expected = new LinkedHashSet<>();
        for (Received r : alice) {
            if (kinds.contains(r.kind)) {
                expected.add(r.exchangeId() + " → " + r.recipient());
            }
        }
        assertThat(listed).as("report asked by %s with %s", caller, identity.propertyNames())
                .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
        assertThat(report.path("complete").asBoolean()).isTrue();
        for (JsonNode entry : report.path("entries")) {
            Received first = alice.stream().filter(r -> r.exchangeId().equals(entry.path("exchangeId").asString())
                    && r.recipient().equals(entry.path("recipient").asString())).findFirst().orElseThrow();
            Instant at = Instant.parse(entry.path("deliveredAt").asString());
            assertThat(at).as("delivered after the recipient answered").isAfterOrEqualTo(first.answeredAt());
            assertThat(entry.path("purpose").asString()).isEqualTo(first.purpose());
            assertThat(entry.path("sender").asString()).isEqualTo(SENDERS.get(first.envelope().path("source")
                    .asString("gateway")));
            assertThat(entry.path("legalBasis").asString()).isEqualTo(first.legalBasis());
        }
    }

    private JsonNode report(String caller, JsonNode identity) {
        HttpResponse<String> r = post(port, "/api/v1/audit/persons/report", token(caller), "application/json",
                JSON.writeValueAsBytes(identity));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }

    private static List<String> entries(JsonNode report) {
        List<String> listed = new ArrayList<>();
        for (JsonNode e : report.path("entries")) {
            listed.add(e.path("exchangeId").asString() + " → " + e.path("recipient").asString());
        }
        return listed;
    }

    /** A delivery a recipient acknowledged (2xx), as the recipient received it. */
    record Received(String exchangeId, String recipient, Instant answeredAt, JsonNode envelope, Kind kind,
                    String purpose, String legalBasis) {
    }

    /** Everything the recipients acknowledged since the test began, by person ("alice", "beatrice", "bruno"). */
    private Map<String, List<Received>> received() {
        Map<String, List<Received>> byPerson = new HashMap<>();
        for (WireMockServer server : new WireMockServer[] {CD_51, FT_51, ML_REIMS}) {
            for (Received r : received(server)) {
                String who = who(r);
                if (who != null) {
                    byPerson.computeIfAbsent(who, k -> new ArrayList<>()).add(r);
                }
            }
        }
        // a delivery made twice (the requeued one) is one delivery: the first answer
        byPerson.replaceAll((who, list) -> list.stream().sorted(java.util.Comparator.comparing(Received::answeredAt))
                .collect(Collectors.toMap(r -> r.exchangeId() + r.recipient(), r -> r, (a, b) -> a,
                        java.util.LinkedHashMap::new)).values().stream().toList());
        return byPerson;
    }

    private List<Received> received(WireMockServer server) {
        String recipient = server == CD_51 ? CD : server == FT_51 ? FT : ML;
        List<Received> all = new ArrayList<>();
        for (ServeEvent event : server.getAllServeEvents()) {
            if (!event.getRequest().getUrl().startsWith(RECORDS) || event.getResponse().getStatus() / 100 != 2) {
                continue;
            }
            JsonNode envelope = JSON.readTree(event.getRequest().getBodyAsString());
            String id = envelope.path("exchangeId").asString();
            Instant answered = event.getRequest().getLoggedDate().toInstant();
            all.add(new Received(id, recipient, answered, envelope, kindOf(id, envelope), purpose(envelope),
                    legalBasis(envelope)));
        }
        return all;
    }

    private Kind kindOf(String exchangeId, JsonNode envelope) {
        Kind sent = kinds.get(exchangeId);
        if (sent != null) {
            return sent;
        }
        String source = envelope.path("source").asString();
        return switch (source) {
            // the CNAF files: no NIR, the household's number and the member, or her France Travail number
            case "caf-51" -> envelope.path("subject").path("identifiers").toString().contains(FT_NUMBER)
                    ? Kind.FT_NUMBER : Kind.CAF_MEMBER;
            case "ft-51" -> envelope.path("recordType").asString().equals("jobseeker-situation")
                    ? Kind.FT_ID : Kind.NIR;                   // the extract, or the pull (NIR and birth date)
            case "cd-51" -> Kind.DEPT_ID;                     // the département's file
            default -> Kind.NIR;                               // the withdrawal notice of the consent given by NIR
        };
    }

    /** Whom a delivered envelope is about, from its subject as the recipient received it. */
    private String who(Received r) {
        String known = about.get(r.exchangeId());
        JsonNode subject = r.envelope().path("subject");
        String given = subject.path("givenNames").path(0).asString("");
        String nir = subject.path("nir").asString("");
        String ids = subject.path("identifiers").toString();
        if (known != null) {
            return known;
        }
        if (nir.startsWith(SISTER_NIR13) || NAME.equals(subject.path("birthName").asString("")) && given.equals(BEATRICE)) {
            return "beatrice";
        }
        if (ids.contains(MATRICULE) && given.equals(BRUNO)) {
            return "bruno";
        }
        if (nir.startsWith(NIR13) || ids.contains(FT_ID) || ids.toUpperCase(Locale.ROOT).contains(FT_NUMBER)
                || ids.contains(DEPT_ID)
                || NAME.equals(subject.path("birthName").asString("")) && given.equals(ALICE)) {
            return "alice";
        }
        return null;
    }

    private static final Map<String, String> SENDERS = Map.of("caf-51", "CAF de la Marne (test)", "cd-51", CD,
            "ft-51", FT, "gateway", "la passerelle SPIE");
    private static final Map<String, String> PURPOSES = Map.of(
            "rsa-orientation", "l'orientation des bénéficiaires du RSA",
            "rsa-follow-up", "le suivi du parcours d'insertion des bénéficiaires du RSA",
            "social-support", "l'accompagnement social");
    private static final Map<String, String> BASES = Map.of("legal-obligation", "une obligation légale",
            "public-task", "une mission de service public", "consent", "votre consentement");

    private static String purpose(JsonNode envelope) {
        if (envelope.has("noticeType")) {
            return PURPOSES.get(envelope.path("purposes").path(0).asString());
        }
        return PURPOSES.get(envelope.path("purpose").asString());
    }

    private static String legalBasis(JsonNode envelope) {
        if (envelope.has("noticeType")) {
            // the gateway's own duty to tell the recipients of a withdrawal (GDPR art. 19)
            return "une obligation légale (RGPD art. 19)";
        }
        JsonNode basis = envelope.path("legalBasis");
        return BASES.get(basis.path("type").asString()) + " (" + basis.path("reference").asString() + ")";
    }

    // ------------------------------------------------------------------ channels

    private String send(String partner, ObjectNode envelope, Kind kind) {
        envelope.put("source", partner);
        HttpResponse<String> r = submit(port, partner, envelope);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String id = envelope.path("exchangeId").asString();
        kinds.put(id, kind);
        return id;
    }

    private void awaitDelivery(String partner, String exchangeId, String recipient, String status) {
        awaitStatus(port, partner, exchangeId, s -> s.path("deliveries").toString().contains(recipient)
                && status.equals(delivery(s, recipient).path("status").asString()), WAIT);
    }

    /** Until no delivery of an exchange received since {@code start} is waiting, but {@code except}'s. */
    private void awaitSettled(Instant start, String except) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM delivery d JOIN exchange e ON e.exchange_id = d.exchange_id WHERE "
                        + "e.received_at >= ? AND d.status IN ('PENDING', 'FAILED') AND d.exchange_id <> ?",
                Long.class, java.sql.Timestamp.from(start),
                except == null ? UUID.randomUUID() : UUID.fromString(except)) == 0);
    }

    private void upload(String partner, String name, String contentType, String content, boolean routable) {
        HttpResponse<String> uploaded = post(port, "/api/v1/partners/" + partner + "/files?name="
                + URLEncoder.encode(name, StandardCharsets.UTF_8), token(partner), contentType,
                content.getBytes(StandardCharsets.UTF_8));
        assertThat(uploaded.statusCode()).as(uploaded.body()).isBetween(200, 202);
        String fileId = json(uploaded).path("fileId").asString();
        JsonNode[] report = new JsonNode[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            report[0] = json(GatewayTestSupport.get(port, "/api/v1/files/" + fileId, token(partner)));
            return report[0].path("status").asString().matches("DONE|QUARANTINED");
        });
        assertThat(report[0].path("status").asString()).as(report[0].toString()).isEqualTo("DONE");
        assertThat(report[0].path("counts").path(routable ? "accepted" : "rejected").asInt())
                .as(report[0].toString()).isPositive();
    }

    private String franceTravailExtract() throws IOException {
        List<String> lines = Files.readAllLines(Path.of(
                "../connectors/france-travail/src/test/resources/fixtures/extract/nominal.csv"), StandardCharsets.UTF_8);
        String[] cells = lines.get(1).split(";", -1);
        cells[0] = FT_ID;
        cells[1] = "MME";
        cells[2] = NAME;
        cells[3] = ALICE;
        cells[6] = BIRTH + " 00:00:00.0";
        return lines.get(0) + "\n" + String.join(";", cells) + "\n";
    }

    private String departementFile() throws IOException {
        String header = Files.readAllLines(Path.of("src/test/resources/files/carnet-de-bord-beneficiaires.csv"),
                StandardCharsets.UTF_8).get(0);
        String[] cells = new String[header.split(";", -1).length];
        java.util.Arrays.fill(cells, "");
        cells[0] = DEPT_ID;
        cells[1] = ALICE;
        cells[2] = NAME;
        cells[3] = "15/01/1980";
        return header + "\n" + String.join(";", cells) + "\n";
    }

    private void pull() {
        String jeton = "jeton-" + TAG;
        FT_51.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                urlPathEqualTo("/connexion/oauth2/access_token")).willReturn(okJson(
                "{\"access_token\":\"tok-1\",\"token_type\":\"Bearer\",\"expires_in\":1499}")));
        FT_51.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                urlEqualTo(FranceTravailApiClient.RECHERCHER_USAGER_PATH)).willReturn(okJson(
                "{\"codeRetour\":\"S001\",\"jetonUsager\":\"" + jeton + "\",\"topIdentiteCertifiee\":\"O\"}")));
        FT_51.stubFor(get(urlEqualTo(FranceTravailApiClient.DIAGNOSTIC_PATH)).withHeader("ft-jeton-usager",
                equalTo(jeton)).willReturn(okJson(fixture("pe_diagnosticargumente_dossier_individu.json"))));
        FT_51.stubFor(get(urlEqualTo(FranceTravailApiClient.LECTURE_ORIENTATION_PATH)).withHeader("ft-jeton-usager",
                equalTo(jeton)).willReturn(okJson(fixture("lecture_orientation.json"))));
        HttpResponse<String> pulled = post(port, "/api/v1/partners/ft-51/pulls", token("cd-51"), "application/json",
                ("{\"subject\":{\"nir\":\"" + NIR13 + "\",\"birthDate\":\"" + BIRTH + "\"}}")
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(pulled.statusCode()).as(pulled.body()).isEqualTo(200);
        for (JsonNode record : json(pulled).path("records")) {
            assertThat(record.path("status").asString()).as(pulled.body()).isEqualTo("ACCEPTED");
            awaitDelivery("admin", record.path("exchangeId").asString(), "cd-51", "DELIVERED");
        }
    }

    private static String fixture(String name) {
        try (InputStream in = PersonReportWalkTest.class.getResourceAsStream("/france-travail-api/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ identities

    private ObjectNode diagnostic() {
        ObjectNode e = withSubject(example("diagnostic.complete"), aliceByNir());
        e.put("purpose", "social-support");
        e.putObject("legalBasis").put("type", "consent").put("reference", "RGPD art. 6(1)(a)");
        return e;
    }

    private static ObjectNode withSubject(ObjectNode envelope, ObjectNode subject) {
        envelope.set("subject", subject);
        if (envelope.path("recordType").asString().equals("person")) {
            // the person record tells the same identity as its subject
            ObjectNode payload = (ObjectNode) envelope.path("payload");
            for (String field : new String[] {"nir", "birthName", "givenNames", "birthDate", "sex", "identifiers"}) {
                if (subject.has(field)) {
                    payload.set(field, subject.path(field).deepCopy());
                } else {
                    payload.remove(field);
                }
            }
        }
        return envelope;
    }

    private static ObjectNode pivot(String given, boolean withSex) {
        ObjectNode s = JSON.createObjectNode();
        s.put("birthName", NAME);
        s.putArray("givenNames").add(given);
        s.put("birthDate", BIRTH);
        if (withSex) {
            s.put("sex", "F");
        }
        return s;
    }

    private static ObjectNode aliceByNir() {
        ObjectNode s = pivot(ALICE, true);
        s.put("nir", NIR);
        s.putArray("identifiers").addObject().put("scheme", "caf-matricule").put("value", MATRICULE)
                .put("issuer", "CAF 511");
        return s;
    }

    private static ObjectNode sisterByNir() {
        ObjectNode s = pivot(BEATRICE, true);
        s.put("nir", SISTER_NIR);
        return s;
    }

    private static ObjectNode aliceBy(String scheme, String value, String issuer) {
        ObjectNode s = pivot(ALICE, true);
        ObjectNode id = s.putArray("identifiers").addObject().put("scheme", scheme).put("value", value);
        if (issuer != null) {
            id.put("issuer", issuer);
        }
        return s;
    }

    private static ObjectNode fullIdentity() {
        ObjectNode s = pivot(ALICE, true);
        s.put("nir", NIR);
        ArrayNode ids = s.putArray("identifiers");
        ids.addObject().put("scheme", "caf-matricule").put("value", MATRICULE).put("issuer", "CAF 511");
        ids.addObject().put("scheme", "france-travail-id").put("value", FT_ID);
        ids.addObject().put("scheme", "france-travail-id").put("value", FT_NUMBER);
        ids.addObject().put("scheme", "departement-id").put("value", DEPT_ID).put("issuer", "cd-51");
        return s;
    }

    private static ObjectNode nir(String nir) {
        ObjectNode s = JSON.createObjectNode();
        s.put("nir", nir);
        return s;
    }

    private static ObjectNode identifier(String scheme, String value, String issuer) {
        ObjectNode s = JSON.createObjectNode();
        ObjectNode id = s.putArray("identifiers").addObject().put("scheme", scheme).put("value", value);
        if (issuer != null) {
            id.put("issuer", issuer);
        }
        return s;
    }

    private static String tag() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            b.append((char) ('A' + ThreadLocalRandom.current().nextInt(26)));
        }
        return b.toString();
    }

    /** A NIR of a woman born in January 1980 in Reims (51108), with a random order number. */
    private static String nir13() {
        return "2800151108" + String.format("%03d", ThreadLocalRandom.current().nextInt(1, 998));
    }

    private static String key(String nir13) {
        return String.format("%02d", 97 - Long.parseLong(nir13) % 97);
    }
}
