package fr.spie.gateway.outbound;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static fr.spie.gateway.it.GatewayTestSupport.awaitStatus;
import static fr.spie.gateway.it.GatewayTestSupport.delivery;
import static fr.spie.gateway.it.GatewayTestSupport.example;
import static fr.spie.gateway.it.GatewayTestSupport.submit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import fr.spie.connector.francetravail.FranceTravailApiClient;
import fr.spie.gateway.SpieGatewayMain;
import fr.spie.gateway.delivery.DeliveryTask;
import fr.spie.gateway.it.GatewayTestSupport;
import fr.spie.gateway.messaging.DeliveryQueues;
import fr.spie.gateway.privacy.Digests;
import fr.spie.gateway.retention.RetentionJob;
import fr.spie.gateway.routing.RoutingConfigHolder;
import fr.spie.gateway.store.ExchangeStore;
import fr.spie.gateway.store.StoredExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The partner transports end to end, the whole gateway running (own config dir, src/test/resources/outbound/config):
 * WireMock as France Travail (token endpoint, rechercher-usager, orientation, rendez-vous-partenaire) and as i-milo,
 * and the département's outbox folder under the data directory.
 */
@SpringBootTest(classes = SpieGatewayMain.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class OutboundTransportsTest {
    static final WireMockServer FT = GatewayTestSupport.startRecipient();
    static final WireMockServer IMILO = GatewayTestSupport.startRecipient();
    static final Path DATA = GatewayTestSupport.tempDataDir();
    static final Path OUTBOX = DATA.resolve("outbox").resolve("cd-51");
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String CLIENT_SECRET = "ft-s3cret-" + UUID.randomUUID();
    static final String API_KEY = "imilo-k3y-" + UUID.randomUUID();
    static final String TOKEN_URL = FranceTravailApiClient.TOKEN_PATH + "?realm=/partenaire";
    static final String ORIENTATION = "/partenaire/orientationusager/v1/orientation";
    static final String RENDEZ_VOUS = "/partenaire/rendez-vous-partenaire/v1/rendez-vous";
    static final String NIR_AND_BIRTH = FranceTravailApiClient.RECHERCHER_USAGER_PATH;
    static final String IMILO_DOSSIER = "1234567";

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ExchangeStore store;
    @Autowired
    JmsTemplate jms;
    @Autowired
    OutboundTransports transports;
    @Autowired
    RoutingConfigHolder config;
    @Autowired
    RetentionJob retentionJob;

    @DynamicPropertySource
    static void gatewayProperties(DynamicPropertyRegistry registry) {
        registry.add("spie.data-dir", DATA::toString);
        registry.add("spie.config-dir", () -> "src/test/resources/outbound/config");
        registry.add("logging.level.fr.spie", () -> "DEBUG");
        registry.add("TEST_FT_API_URL", FT::baseUrl);
        registry.add("TEST_FT_AUTH_URL", FT::baseUrl);
        registry.add("TEST_FT_CLIENT_SECRET", () -> CLIENT_SECRET);
        registry.add("TEST_IMILO_URL", () -> IMILO.baseUrl() + "/api-imilo");
        registry.add("TEST_IMILO_API_KEY", () -> API_KEY);
    }

    /** France Travail knows the person (S001) and accepts everything; i-milo too. */
    @BeforeEach
    void partnersUp() {
        FT.resetAll();
        FT.stubFor(post(urlEqualTo(TOKEN_URL)).withRequestBody(containing("client_secret=" + CLIENT_SECRET))
                .willReturn(okJson("{\"access_token\":\"ft-access-1\",\"token_type\":\"Bearer\",\"expires_in\":1499}")));
        found();
        FT.stubFor(post(urlPathEqualTo(ORIENTATION)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"idOrientation\":\"O-1\"}")));
        FT.stubFor(post(urlPathEqualTo(RENDEZ_VOUS)).willReturn(aResponse().withStatus(204)));
        IMILO.resetAll();
        IMILO.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(201)));
    }

    private static void found() {
        FT.stubFor(post(urlPathEqualTo(NIR_AND_BIRTH)).willReturn(okJson(
                "{\"codeRetour\":\"S001\",\"message\":\"Approchant trouvé\",\"jetonUsager\":\"jeton-abc\","
                        + "\"topIdentiteCertifiee\":\"O\"}")));
    }

    // ------------------------------------------------------------------ France Travail

    @Test
    void anOrientationReachesFranceTravailsOrientationApi(CapturedOutput output) {
        ObjectNode envelope = example("orientation.ped-france-travail");
        String id = submitted("cd-51", envelope);

        JsonNode status = awaitStatus(port, "cd-51", id, s -> "DELIVERED".equals(s.path("status").asString()), WAIT);

        assertThat(delivery(status, "ft-51").path("attempts").asInt()).isEqualTo(1);
        FT.verify(1, postRequestedFor(urlEqualTo(NIR_AND_BIRTH))
                .withHeader("Authorization", equalTo("Bearer ft-access-1"))
                // the subject's 13-character NIR, sent with its key as France Travail's other partners do
                .withRequestBody(equalToJson("{\"dateNaissance\":\"1982-02-11\",\"nir\":\"282025110803094\"}")));
        FT.verify(1, postRequestedFor(urlEqualTo(ORIENTATION))
                .withHeader("Authorization", equalTo("Bearer ft-access-1"))
                .withHeader("ft-jeton-usager", equalTo("jeton-abc"))
                .withHeader("pa-identifiant-agent", equalTo("SPIE-CD51"))
                .withHeader("pa-nom-agent", equalTo("PASSERELLE"))
                .withHeader("pa-prenom-agent", equalTo("SPIE"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("{\"origine\":\"INSCRIPTION_AUTO_CAF\",\"parcours\":\"PED\","
                        + "\"organisme\":\"FT\"}")));
        assertThat(output.getAll()).doesNotContain(CLIENT_SECRET, "2820251108030", "jeton-abc");
        assertThat(auditDetails(id, "ft-51", "DELIVERED")).singleElement().asString()
                .startsWith("acknowledged at attempt 1; orientation sent to France Travail; ")
                .doesNotContain("not certified");
    }

    @Test
    void anOrientationToAJobSeekerFranceTravailFoundByAnUncertifiedNirSaysSoInTheAuditTrail() {
        FT.stubFor(post(urlPathEqualTo(NIR_AND_BIRTH)).willReturn(okJson(
                "{\"codeRetour\":\"S001\",\"message\":\"Approchant trouvé\",\"jetonUsager\":\"jeton-abc\","
                        + "\"topIdentiteCertifiee\":\"N\"}")));
        String id = submitted("cd-51", example("orientation.ped-france-travail"));

        awaitStatus(port, "cd-51", id, s -> "DELIVERED".equals(s.path("status").asString()), WAIT);

        // France Travail chose the job seeker: delivered, and the auditor can tell on what identity
        assertThat(auditDetails(id, "ft-51", "DELIVERED")).singleElement().asString().contains(
                "orientation sent to France Travail (France Travail found the job seeker by a NIR it says is not"
                        + " certified)");
    }

    @Test
    void franceTravailsErrorTextEchoingThePersonReachesNeitherLastErrorNorTheTrailNorTheLog(CapturedOutput output) {
        // France Travail may echo what it was sent: only its status and error code are kept (docs/transports.md)
        String echo = "{\"codeRetour\":\"R010\",\"message\":\"Parcours refusé pour CANARYNAMEQWZX née le"
                + " 1937-04-29, 7 impasse des Canaris\",\"libelle\":\"commentaire CANARYCOMMENTQWZX\"}";
        FT.stubFor(post(urlPathEqualTo(ORIENTATION)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody(echo)));
        String id = submitted("cd-51", example("orientation.ped-france-travail"));

        JsonNode status = awaitStatus(port, "cd-51", id, s -> "DEAD_LETTERED".equals(s.path("status").asString()),
                WAIT);

        assertThat(delivery(status, "ft-51").path("lastError").asString())
                .isEqualTo("France Travail POST " + ORIENTATION + " → 400 [R010]");
        for (String type : List.of("DELIVERY_ATTEMPTED", "DELIVERY_FAILED", "DEAD_LETTERED")) {
            assertThat(auditDetails(id, "ft-51", type)).as(type).allSatisfy(detail -> assertThat(detail)
                    .doesNotContain("CANARY", "1937-04-29", "Canaris"));
        }
        assertThat(output.getAll()).doesNotContain("CANARYNAMEQWZX", "CANARYCOMMENTQWZX", "1937-04-29");
    }

    @Test
    void aPersonFranceTravailDoesNotKnowIsDeadLetteredWithTheReason() {
        FT.stubFor(post(urlPathEqualTo(NIR_AND_BIRTH)).willReturn(okJson(
                "{\"codeRetour\":\"S002\",\"message\":\"Aucun approchant trouvé\"}")));
        String id = submitted("cd-51", example("orientation.ped-france-travail"));

        JsonNode status = awaitStatus(port, "cd-51", id, s -> "DEAD_LETTERED".equals(s.path("status").asString()),
                WAIT);

        JsonNode ft = delivery(status, "ft-51");
        assertThat(ft.path("attempts").asInt()).isEqualTo(1);
        assertThat(ft.path("lastError").asString()).isEqualTo("person not found at France Travail (rechercher-usager S002)");
        assertThat(auditDetails(id, "ft-51", "DEAD_LETTERED")).singleElement().asString()
                .contains("person not found at France Travail");
        FT.verify(0, postRequestedFor(urlEqualTo(ORIENTATION)));
    }

    @Test
    void severalMatchingPersonsAreNotGuessed() {
        FT.stubFor(post(urlPathEqualTo(NIR_AND_BIRTH)).willReturn(okJson(
                "{\"codeRetour\":\"S003\",\"message\":\"Plusieurs approchants trouvés\"}")));
        String id = submitted("cd-51", example("orientation.ped-france-travail"));

        JsonNode status = awaitStatus(port, "cd-51", id, s -> "DEAD_LETTERED".equals(s.path("status").asString()),
                WAIT);

        assertThat(delivery(status, "ft-51").path("attempts").asInt()).isEqualTo(1);
        assertThat(delivery(status, "ft-51").path("lastError").asString())
                .startsWith("several persons match at France Travail (rechercher-usager S003): not guessed");
        FT.verify(0, postRequestedFor(urlEqualTo(ORIENTATION)));
    }

    @Test
    void aPersonThePartnerMayNotSeeIsDeadLettered() {
        FT.stubFor(post(urlPathEqualTo(NIR_AND_BIRTH)).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"codeRetour\":\"R001\",\"message\":\"Accès refusé\"}")));
        String id = submitted("cd-51", example("orientation.ped-france-travail"));

        JsonNode status = awaitStatus(port, "cd-51", id, s -> "DEAD_LETTERED".equals(s.path("status").asString()),
                WAIT);

        assertThat(delivery(status, "ft-51").path("attempts").asInt()).isEqualTo(1);
        assertThat(delivery(status, "ft-51").path("lastError").asString())
                .startsWith("France Travail refuses access to this person (rechercher-usager R001");
        FT.verify(0, postRequestedFor(urlEqualTo(ORIENTATION)));
    }

    @Test
    void aServerErrorIsRetriedThenDelivered() {
        FT.stubFor(post(urlPathEqualTo(ORIENTATION)).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        FT.stubFor(post(urlPathEqualTo(ORIENTATION)).inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(201)));
        String id = submitted("cd-51", example("orientation.ped-france-travail"));

        JsonNode status = awaitStatus(port, "cd-51", id, s -> "DELIVERED".equals(s.path("status").asString()), WAIT);

        assertThat(delivery(status, "ft-51").path("attempts").asInt()).isEqualTo(2);
        FT.verify(2, postRequestedFor(urlEqualTo(ORIENTATION)));
        assertThat(auditDetails(id, "ft-51", "DELIVERY_FAILED")).singleElement().asString()
                .contains("orientationusager/v1/orientation → 503");
    }

    @Test
    void aRateLimitIsRetriedNoSoonerThanRetryAfter() {
        FT.stubFor(post(urlPathEqualTo(ORIENTATION)).inScenario("limited").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")).willSetStateTo("ok"));
        FT.stubFor(post(urlPathEqualTo(ORIENTATION)).inScenario("limited").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(201)));
        String id = submitted("cd-51", example("orientation.ped-france-travail"));

        JsonNode status = awaitStatus(port, "cd-51", id, s -> "DELIVERED".equals(s.path("status").asString()), WAIT);

        assertThat(delivery(status, "ft-51").path("attempts").asInt()).isEqualTo(2);
        List<LoggedRequest> calls = FT.findAll(postRequestedFor(urlEqualTo(ORIENTATION)));
        assertThat(calls).hasSize(2);
        long between = Duration.between(calls.get(0).getLoggedDate().toInstant(),
                calls.get(1).getLoggedDate().toInstant()).toMillis();
        assertThat(between).as("backoff is 50 ms, Retry-After 1 s").isGreaterThanOrEqualTo(900);
    }

    @Test
    void theTokenIsFetchedOnceAndReusedAndRenewedWhenFranceTravailSaysItExpired(CapturedOutput output) {
        // the cached token (from earlier tests, or none) is refused once: the client renews it and tries again
        FT.stubFor(post(urlPathEqualTo(NIR_AND_BIRTH)).inScenario("expiry").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(401)).willSetStateTo("renewed"));
        FT.stubFor(post(urlPathEqualTo(NIR_AND_BIRTH)).inScenario("expiry").whenScenarioStateIs("renewed")
                .willReturn(okJson("{\"codeRetour\":\"S001\",\"jetonUsager\":\"jeton-abc\"}")));
        FT.stubFor(post(urlEqualTo(TOKEN_URL)).withRequestBody(containing("client_secret=" + CLIENT_SECRET))
                .willReturn(okJson("{\"access_token\":\"ft-access-2\",\"token_type\":\"Bearer\",\"expires_in\":1499}")));

        String first = submitted("cd-51", example("orientation.ped-france-travail"));
        awaitStatus(port, "cd-51", first, s -> "DELIVERED".equals(s.path("status").asString()), WAIT);
        String second = submitted("cd-51", example("orientation.ped-france-travail"));
        awaitStatus(port, "cd-51", second, s -> "DELIVERED".equals(s.path("status").asString()), WAIT);

        FT.verify(1, postRequestedFor(urlEqualTo(TOKEN_URL))
                .withHeader("Content-Type", equalTo("application/x-www-form-urlencoded"))
                .withRequestBody(containing("grant_type=client_credentials"))
                .withRequestBody(containing("client_id=PAR_spie_cd51")));
        FT.verify(2, postRequestedFor(urlEqualTo(ORIENTATION)).withHeader("Authorization",
                equalTo("Bearer ft-access-2")));
        assertThat(output.getAll()).doesNotContain(CLIENT_SECRET, "ft-access-2");
    }

    @Test
    void anAppointmentReachesRendezVousPartenaireAndIMilo(CapturedOutput output) {
        ObjectNode envelope = appointmentOfAKnownPerson();
        String id = submitted("cd-51", envelope);

        JsonNode status = awaitStatus(port, "cd-51", id, s -> "DELIVERED".equals(s.path("status").asString()), WAIT);

        assertThat(delivery(status, "ft-51").path("attempts").asInt()).isEqualTo(1);
        assertThat(delivery(status, "ml-reims").path("attempts").asInt()).isEqualTo(1);
        FT.verify(1, postRequestedFor(urlEqualTo(RENDEZ_VOUS))
                .withHeader("ft-jeton-usager", equalTo("jeton-abc"))
                .withHeader("pa-identifiant-agent", equalTo("SPIE-CD51"))
                .withRequestBody(equalToJson("""
                        {"date": "2025-03-25T09:30:00+01:00", "duree": 45, "initiateur": "PARTENAIRE",
                         "modaliteContact": "PHYSIQUE", "motif": "AUT", "statut": "PRIS", "theme": "Signature du CER",
                         "typeReception": "IND",
                         "organisme": {"code": "CD", "libelleStructure": "Territoire de solidarité Rémois",
                                       "emailContact": "nadia.garnier@marne.example.org",
                                       "telephoneContact": "03 26 00 00 00"},
                         "interlocuteur": {"email": "nadia.garnier@marne.example.org", "nom": "GARNIER",
                                           "prenom": "Nadia"}}""")));
        IMILO.verify(1, postRequestedFor(urlEqualTo("/api-imilo/operateurs/dossiers/" + IMILO_DOSSIER + "/rdv"))
                .withHeader("X-Gravitee-Api-Key", equalTo(API_KEY))
                .withHeader("Content-Type", equalTo("application/json"))
                .withoutHeader("X-Spie-Required-Credential-Header")
                .withRequestBody(equalToJson("""
                        {"dateHeureDebut": "2025-03-25 09:30:00", "dateHeureFin": "2025-03-25 10:15:00",
                         "objet": "Signature du CER", "conseiller": "Nadia GARNIER", "idDossier": "1234567",
                         "commentaire": null, "lieu": "Territoire de solidarité Rémois",
                         "type": "Entretien individuel", "statut": "Planifié"}""")));
        assertThat(output.getAll()).doesNotContain(API_KEY, CLIENT_SECRET);
    }

    @Test
    void anAppointmentIsCreatedOnceThenUpdatedAndCancelledWithFranceTravailsIdOfIt() {
        String appointmentId = "CD51-RDV-" + UUID.randomUUID();
        FT.stubFor(post(urlPathEqualTo(RENDEZ_VOUS)).willReturn(created("ft-rdv-1")));
        FT.stubFor(put(urlPathEqualTo(RENDEZ_VOUS)).willReturn(aResponse().withStatus(200)));

        String booked = delivered(appointment(appointmentId, "booked", "2025-03-25T09:30:00+01:00"));
        String moved = delivered(appointment(appointmentId, "moved", "2025-03-27T14:00:00+01:00"));
        delivered(appointment(appointmentId, "cancelled", "2025-03-27T14:00:00+01:00"));

        // the audit trail says which was done, so that an auditor can tell what France Travail holds
        assertThat(auditDetails(booked, "ft-51", "DELIVERED")).singleElement().asString().contains(
                "rendez-vous created at France Travail (POST; no France Travail id kept for this appointment: its"
                        + " first record, or its id unused for spie.retention.france-travail-appointments)");
        assertThat(auditDetails(moved, "ft-51", "DELIVERED")).singleElement().asString()
                .contains("rendez-vous updated at France Travail (PUT with the id its creation answered)");
        List<LoggedRequest> posts = FT.findAll(postRequestedFor(urlEqualTo(RENDEZ_VOUS)));
        assertThat(posts).hasSize(1);
        JsonNode first = GatewayTestSupport.JSON.readTree(posts.get(0).getBodyAsString());
        assertThat(first.has("id")).as("the source's own id is not France Travail's").isFalse();
        assertThat(first.path("statut").asString()).isEqualTo("PRIS");
        List<JsonNode> puts = FT.findAll(putRequestedFor(urlEqualTo(RENDEZ_VOUS))).stream()
                .map(r -> GatewayTestSupport.JSON.readTree(r.getBodyAsString())).toList();
        assertThat(puts).extracting(b -> b.path("id").asString(), b -> b.path("statut").asString(),
                b -> b.path("date").asString()).containsExactly(
                tuple("ft-rdv-1", "MODIFIE", "2025-03-27T14:00:00+01:00"),
                tuple("ft-rdv-1", "ANNULE", "2025-03-27T14:00:00+01:00"));
        FT.verify(2, putRequestedFor(urlEqualTo(RENDEZ_VOUS)).withHeader("ft-jeton-usager", equalTo("jeton-abc"))
                .withHeader("Authorization", equalTo("Bearer ft-access-1")));
        FT.verify(0, deleteRequestedFor(anyUrl()));
    }

    @Test
    void anAppointmentFranceTravailNoLongerKnowsIsCreatedAgainAndItsNewIdUsedAfterwards() {
        String appointmentId = "CD51-RDV-" + UUID.randomUUID();
        FT.stubFor(post(urlPathEqualTo(RENDEZ_VOUS)).willReturn(created("ft-rdv-old")));
        delivered(appointment(appointmentId, "booked", "2025-03-25T09:30:00+01:00"));

        // France Travail lost it (duplicate users merged): what rdv-insertion gets
        FT.stubFor(put(urlPathEqualTo(RENDEZ_VOUS)).willReturn(aResponse().withStatus(200)));
        FT.stubFor(put(urlPathEqualTo(RENDEZ_VOUS)).withRequestBody(matchingJsonPath("$.id", equalTo("ft-rdv-old")))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"codeHttp\":400,\"codeErreur\":\"ID_NON_RECONNU\",\"message\":\"Il n'existe pas"
                                + " de rdv pour l'id et l'utilisateur indiqué\"}")));
        FT.stubFor(post(urlPathEqualTo(RENDEZ_VOUS)).willReturn(created("ft-rdv-new")));
        String moved = delivered(appointment(appointmentId, "moved", "2025-03-27T14:00:00+01:00"));
        delivered(appointment(appointmentId, "cancelled", "2025-03-27T14:00:00+01:00"));

        FT.verify(2, postRequestedFor(urlEqualTo(RENDEZ_VOUS)));
        FT.verify(1, postRequestedFor(urlEqualTo(RENDEZ_VOUS)).withRequestBody(matchingJsonPath("$.statut",
                equalTo("MODIFIE"))));
        FT.verify(1, putRequestedFor(urlEqualTo(RENDEZ_VOUS)).withRequestBody(matchingJsonPath("$.id",
                equalTo("ft-rdv-old"))));
        FT.verify(1, putRequestedFor(urlEqualTo(RENDEZ_VOUS)).withRequestBody(matchingJsonPath("$.id",
                equalTo("ft-rdv-new"))).withRequestBody(matchingJsonPath("$.statut", equalTo("ANNULE"))));
        assertThat(delivery(awaitStatus(port, "cd-51", moved, s -> true, WAIT), "ft-51").path("attempts").asInt())
                .as("a lost rendez-vous is not a failure").isEqualTo(1);
        assertThat(auditDetails(moved, "ft-51", "DELIVERED")).singleElement().asString().contains(
                "rendez-vous created at France Travail (POST; France Travail no longer knew the rendez-vous created"
                        + " for it before)");
    }

    @Test
    void aPutFranceTravailAcknowledgesStartsTheRetentionOfTheAppointmentsIdAgain() {
        String appointmentId = "CD51-RDV-" + UUID.randomUUID();
        FT.stubFor(post(urlPathEqualTo(RENDEZ_VOUS)).willReturn(created("ft-rdv-used")));
        FT.stubFor(put(urlPathEqualTo(RENDEZ_VOUS)).willReturn(aResponse().withStatus(200)));
        delivered(appointment(appointmentId, "booked", "2025-03-25T09:30:00+01:00"));
        Instant created = lastUsed(appointmentId);
        assertThat(created).isAfter(Instant.now().minus(Duration.ofMinutes(5)));
        Instant monthsAgo = Instant.now().minus(Duration.ofDays(300));
        jdbc.update("UPDATE ft_appointment SET last_used_at = ? WHERE appointment_digest = ?",
                Timestamp.from(monthsAgo), Digests.sha256Hex(appointmentId));
        Instant beforePut = Instant.now();

        delivered(appointment(appointmentId, "moved", "2025-03-27T14:00:00+01:00"));

        FT.verify(1, putRequestedFor(urlEqualTo(RENDEZ_VOUS)));
        assertThat(lastUsed(appointmentId)).isAfterOrEqualTo(beforePut.minusSeconds(1));
    }

    @Test
    void anAppointmentWhoseIdTheRetentionDeletedIsCreatedAgainThenUpdated() {
        String appointmentId = "CD51-RDV-" + UUID.randomUUID();
        FT.stubFor(post(urlPathEqualTo(RENDEZ_VOUS)).willReturn(created("ft-rdv-forgotten")));
        FT.stubFor(put(urlPathEqualTo(RENDEZ_VOUS)).willReturn(aResponse().withStatus(200)));
        delivered(appointment(appointmentId, "booked", "2025-03-25T09:30:00+01:00"));
        jdbc.update("UPDATE ft_appointment SET last_used_at = ? WHERE appointment_digest = ?",
                Timestamp.from(Instant.now().minus(Duration.ofDays(401))), Digests.sha256Hex(appointmentId));

        retentionJob.run(Instant.now());

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM ft_appointment WHERE appointment_digest = ?",
                Long.class, Digests.sha256Hex(appointmentId))).as("unused for P400D").isZero();
        FT.stubFor(post(urlPathEqualTo(RENDEZ_VOUS)).willReturn(created("ft-rdv-again")));
        String moved = delivered(appointment(appointmentId, "moved", "2025-03-27T14:00:00+01:00"));
        assertThat(auditDetails(moved, "ft-51", "DELIVERED")).singleElement().asString()
                .contains("its id unused for spie.retention.france-travail-appointments");
        delivered(appointment(appointmentId, "cancelled", "2025-03-27T14:00:00+01:00"));

        FT.verify(1, postRequestedFor(urlEqualTo(RENDEZ_VOUS)).withRequestBody(matchingJsonPath("$.statut",
                equalTo("MODIFIE"))));
        FT.verify(1, putRequestedFor(urlEqualTo(RENDEZ_VOUS)));
        FT.verify(1, putRequestedFor(urlEqualTo(RENDEZ_VOUS)).withRequestBody(matchingJsonPath("$.id",
                equalTo("ft-rdv-again"))).withRequestBody(matchingJsonPath("$.statut", equalTo("ANNULE"))));
    }

    /**
     * Another attempt of the same appointment (a probe sent from another instance while a consumer sends it) is
     * creating its rendez-vous: this one waits for the id instead of POSTing a second rendez-vous, then updates it.
     */
    @Test
    void anAppointmentAnotherAttemptIsCreatingIsWaitedForAndUpdatedNotCreatedTwice() throws Exception {
        String appointmentId = "CD51-RDV-" + UUID.randomUUID();
        FT.stubFor(post(urlPathEqualTo(RENDEZ_VOUS)).willReturn(created("ft-rdv-second")));
        FT.stubFor(put(urlPathEqualTo(RENDEZ_VOUS)).willReturn(aResponse().withStatus(200)));
        Instant now = Instant.now();
        jdbc.update("INSERT INTO ft_appointment (recipient, source_partner, appointment_digest, ft_id, created_at,"
                + " last_used_at) VALUES ('ft-51', 'cd-51', ?, '', ?, ?)", Digests.sha256Hex(appointmentId),
                Timestamp.from(now), Timestamp.from(now));

        String id = submitted("cd-51", appointment(appointmentId, "moved", "2025-03-27T14:00:00+01:00"));
        Thread.sleep(1500);
        FT.verify(0, postRequestedFor(urlEqualTo(RENDEZ_VOUS)));
        FT.verify(0, putRequestedFor(urlEqualTo(RENDEZ_VOUS)));
        // the other attempt's POST is answered
        jdbc.update("UPDATE ft_appointment SET ft_id = 'ft-rdv-first' WHERE appointment_digest = ?",
                Digests.sha256Hex(appointmentId));
        awaitStatus(port, "cd-51", id, s -> "DELIVERED".equals(s.path("status").asString()), WAIT);

        FT.verify(0, postRequestedFor(urlEqualTo(RENDEZ_VOUS)));
        FT.verify(1, putRequestedFor(urlEqualTo(RENDEZ_VOUS)).withRequestBody(matchingJsonPath("$.id",
                equalTo("ft-rdv-first"))));
        assertThat(auditDetails(id, "ft-51", "DELIVERED")).singleElement().asString()
                .contains("rendez-vous updated at France Travail (PUT with the id its creation answered, created"
                        + " meanwhile by another attempt)");
    }

    @Test
    void aClaimLeftByAnAttemptThatStoppedMidPostIsTakenOverOnceStale() {
        String appointmentId = "CD51-RDV-" + UUID.randomUUID();
        FT.stubFor(post(urlPathEqualTo(RENDEZ_VOUS)).willReturn(created("ft-rdv-taken-over")));
        Instant anHourAgo = Instant.now().minus(Duration.ofHours(1));
        jdbc.update("INSERT INTO ft_appointment (recipient, source_partner, appointment_digest, ft_id, created_at,"
                + " last_used_at) VALUES ('ft-51', 'cd-51', ?, '', ?, ?)", Digests.sha256Hex(appointmentId),
                Timestamp.from(anHourAgo), Timestamp.from(anHourAgo));

        delivered(appointment(appointmentId, "booked", "2025-03-25T09:30:00+01:00"));

        FT.verify(1, postRequestedFor(urlEqualTo(RENDEZ_VOUS)));
        assertThat(jdbc.queryForObject("SELECT ft_id FROM ft_appointment WHERE appointment_digest = ?",
                String.class, Digests.sha256Hex(appointmentId))).isEqualTo("ft-rdv-taken-over");
    }

    @Test
    void aPostFranceTravailRefusesGivesItsClaimUp() {
        String appointmentId = "CD51-RDV-" + UUID.randomUUID();
        FT.stubFor(post(urlPathEqualTo(RENDEZ_VOUS)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"codeHttp\":400,\"codeErreur\":\"E001\",\"message\":\"refus\"}")));

        String id = submitted("cd-51", appointment(appointmentId, "booked", "2025-03-25T09:30:00+01:00"));
        awaitStatus(port, "cd-51", id, s -> "DEAD_LETTERED".equals(delivery(s, "ft-51").path("status").asString()),
                WAIT);

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM ft_appointment WHERE appointment_digest = ?",
                Long.class, Digests.sha256Hex(appointmentId))).as("no claim left behind").isZero();
    }

    private Instant lastUsed(String appointmentId) {
        return jdbc.queryForObject("SELECT last_used_at FROM ft_appointment WHERE appointment_digest = ?",
                Timestamp.class, Digests.sha256Hex(appointmentId)).toInstant();
    }

    @Test
    void anAppointmentWithoutIdIsCreatedEachTime() {
        FT.stubFor(post(urlPathEqualTo(RENDEZ_VOUS)).willReturn(created("ft-rdv-x")));
        ObjectNode first = appointmentOfAKnownPerson();
        ObjectNode second = appointmentOfAKnownPerson();
        ((ObjectNode) second.get("payload")).put("status", "moved");

        delivered(first);
        String again = delivered(second);

        FT.verify(2, postRequestedFor(urlEqualTo(RENDEZ_VOUS)));
        assertThat(auditDetails(again, "ft-51", "DELIVERED")).singleElement().asString()
                .contains("rendez-vous created at France Travail (POST; the appointment has no id");
        FT.verify(0, putRequestedFor(anyUrl()));
    }

    /**
     * i-milo publishes no way to change or cancel an rdv (FORMATS.md §9: the rdv is read, GET .../rdv/{idRdv}; its
     * event feed is i-milo's own changes): every record of an appointment is POSTed with its state, even when i-milo
     * answers with an id, and the source's id is not sent. docs/transports.md says what the dossier then holds.
     */
    @Test
    void iMiloHasNoUpdateOfAnRdvSoEveryRecordOfAnAppointmentIsPostedWithItsState() {
        String appointmentId = "CD51-RDV-" + UUID.randomUUID();
        String rdv = "/api-imilo/operateurs/dossiers/" + IMILO_DOSSIER + "/rdv";
        IMILO.stubFor(post(urlEqualTo(rdv)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":5678}")));

        delivered(appointment(appointmentId, "booked", "2025-03-25T09:30:00+01:00"));
        String moved = delivered(appointment(appointmentId, "moved", "2025-03-27T14:00:00+01:00"));
        delivered(appointment(appointmentId, "cancelled", "2025-03-27T14:00:00+01:00"));

        assertThat(auditDetails(moved, "ml-reims", "DELIVERED")).singleElement().asString()
                .startsWith("acknowledged at attempt 1; i-milo POST rdv → HTTP 201; ");
        List<LoggedRequest> requests = IMILO.findAll(anyRequestedFor(anyUrl()));
        assertThat(requests).extracting(r -> r.getMethod().getName(), LoggedRequest::getUrl)
                .containsOnly(tuple("POST", rdv)).hasSize(3);
        assertThat(requests).extracting(r -> GatewayTestSupport.JSON.readTree(r.getBodyAsString()))
                .extracting(b -> b.path("statut").asString(), b -> b.path("dateHeureDebut").asString(),
                        b -> b.has("id"))
                .containsExactly(tuple("Planifié", "2025-03-25 09:30:00", false),
                        tuple("Reporté", "2025-03-27 14:00:00", false),
                        tuple("Annulé", "2025-03-27 14:00:00", false));
        assertThat(requests).extracting(r -> r.getHeader("Idempotency-Key")).doesNotHaveDuplicates();
    }

    @Test
    void iMiloRefusingTheKeyIsDeadLetteredWithoutTheKeyInTheReason(CapturedOutput output) {
        IMILO.resetAll();
        IMILO.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(403)));
        String id = submitted("cd-51", appointmentOfAKnownPerson());

        JsonNode status = awaitStatus(port, "cd-51", id,
                s -> "DEAD_LETTERED".equals(delivery(s, "ml-reims").path("status").asString()), WAIT);

        assertThat(delivery(status, "ml-reims").path("attempts").asInt()).isEqualTo(1);
        assertThat(delivery(status, "ml-reims").path("lastError").asString())
                .isEqualTo("i-milo POST rdv → HTTP 403 (check the API key of this partner)");
        assertThat(output.getAll()).as("the output is captured").contains("attempt 1 failed: i-milo POST rdv")
                .doesNotContain(API_KEY);
    }

    @Test
    void aRecordTypeFranceTravailDoesNotTakeIsDeadLetteredNamingIt() {
        String id = submitted("ml-reims", example("youth-support.cej-ongoing"));

        JsonNode status = awaitStatus(port, "ml-reims", id,
                s -> "DEAD_LETTERED".equals(s.path("status").asString()), WAIT);

        assertThat(delivery(status, "ft-51").path("attempts").asInt()).isEqualTo(1);
        assertThat(delivery(status, "ft-51").path("lastError").asString())
                .isEqualTo("record type 'youth-support' is not taken by France Travail's partner APIs"
                        + " (transport france-travail-api sends appointment, orientation)");
        FT.verify(0, postRequestedFor(anyUrl()));
    }

    // ------------------------------------------------------------------ département outbox

    @Test
    void theDepartementOutboxGetsOneCompleteCsvFilePerRecordAndARedeliveryWritesNoSecondFile() throws Exception {
        AtomicBoolean watching = new AtomicBoolean(true);
        List<String> partialFilesSeen = Collections.synchronizedList(new ArrayList<>());
        Thread watcher = new Thread(() -> {
            while (watching.get()) {
                for (Path file : visibleFiles()) {
                    try {
                        String content = Files.readString(file, StandardCharsets.UTF_8);
                        if (!content.endsWith("\r\n") || content.split("\r\n").length != 2) {
                            partialFilesSeen.add(file.getFileName() + ": " + content.length() + " chars");
                        }
                    } catch (NoSuchFileException e) {
                        // not there yet
                    } catch (IOException e) {
                        partialFilesSeen.add(file.getFileName() + ": " + e);
                    }
                }
            }
        });
        watcher.start();
        List<Path> before = visibleFiles();
        ObjectNode envelope = example("person.applicant-with-nir");
        String id;
        try {
            id = submitted("caf-51", envelope);
            awaitStatus(port, "caf-51", id, s -> "DELIVERED".equals(s.path("status").asString()), WAIT);
        } finally {
            watching.set(false);
            watcher.join();
        }

        List<Path> written = new ArrayList<>(visibleFiles());
        written.removeAll(before);
        assertThat(written).singleElement().satisfies(file -> assertThat(file.getFileName().toString())
                .matches("spie-person-\\d{8}-[0-9a-f-]{36}\\.csv"));
        assertThat(partialFilesSeen).isEmpty();
        Path file = written.get(0);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("Identifiant dans le SI*;Prénom*;Nom*;Date de naissance*;NIR;");
        assertThat(lines.get(1)).contains(envelope.path("payload").path("birthName").asString(),
                envelope.path("payload").path("nir").asString());
        byte[] content = Files.readAllBytes(file);

        // as if the gateway had crashed after writing the file but before recording the outcome: the task comes
        // back from its queue, the transport finds its file and writes no second one
        jdbc.update("UPDATE delivery SET status = 'FAILED' WHERE exchange_id = ? AND recipient = 'cd-51'",
                UUID.fromString(id));
        jms.convertAndSend(DeliveryQueues.deliveryQueue("cd-51"), "redelivery", m -> {
            m.setStringProperty(DeliveryQueues.EXCHANGE_ID, id);
            return m;
        });
        JsonNode status = awaitStatus(port, "caf-51", id, s -> "DELIVERED".equals(s.path("status").asString())
                && delivery(s, "cd-51").path("attempts").asInt() == 2, WAIT);
        assertThat(delivery(status, "cd-51").path("status").asString()).isEqualTo("DELIVERED");
        List<Path> after = new ArrayList<>(visibleFiles());
        after.removeAll(before);
        assertThat(after).containsExactly(file);
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
        String name = file.getFileName().toString();
        assertThat(auditDetails(id, "cd-51", "DELIVERED")).extracting(d -> d.split("; ")[1]).containsExactly(
                "written to the outbox as " + name,
                "already in the outbox as " + name + " (an earlier attempt wrote it)");
        // the person's access report: one delivery to the département, however many times its file was written
        java.net.http.HttpResponse<String> report = GatewayTestSupport.post(port, "/api/v1/audit/persons/report",
                GatewayTestSupport.token("auditor"), "application/json", ("{\"nir\": \""
                        + envelope.path("subject").path("nir").asString() + "\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(report.statusCode()).as(report.body()).isEqualTo(200);
        assertThat(GatewayTestSupport.json(report).path("entries")).filteredOn(e -> id.equals(e.path("exchangeId")
                .asString())).singleElement().satisfies(e -> assertThat(e.path("recipient").asString())
                .isEqualTo("Conseil départemental de la Marne (test)"));

        // the same transport, called again directly with the same task: still one file
        StoredExchange exchange = store.find(UUID.fromString(id)).orElseThrow();
        transports.forRecipient(config.current().partner("cd-51").orElseThrow())
                .deliver(new DeliveryTask(exchange, "cd-51", "rsa-caf-to-cd", 3, envelope.toString()), envelope.toString());
        assertThat(visibleFiles()).hasSize(before.size() + 1);
        assertThat(hiddenFiles()).as("no temporary file left").isEmpty();
    }

    @Test
    void aRecordTypeTheMappingCannotExportIsDeadLettered() {
        String id = submitted("caf-51", example("rsa-situation.open-payable-applicant"));

        JsonNode status = awaitStatus(port, "caf-51", id, s -> !"PENDING".equals(delivery(s, "cd-51")
                .path("status").asString()) && !"FAILED".equals(delivery(s, "cd-51").path("status").asString()),
                WAIT);

        // carnet-de-bord-beneficiaires has rsa-situation columns: the situation is exported too
        assertThat(delivery(status, "cd-51").path("status").asString()).isEqualTo("DELIVERED");
        await().atMost(WAIT).until(() -> visibleFiles().stream()
                .anyMatch(p -> p.getFileName().toString().startsWith("spie-rsa-situation-")));
    }

    // ------------------------------------------------------------------ helpers

    private String submitted(String partner, ObjectNode envelope) {
        assertThat(submit(port, partner, envelope).statusCode()).isEqualTo(202);
        return envelope.path("exchangeId").asString();
    }

    /** Submits the envelope and waits until every recipient has it. */
    private String delivered(ObjectNode envelope) {
        String id = submitted("cd-51", envelope);
        awaitStatus(port, "cd-51", id, s -> "DELIVERED".equals(s.path("status").asString()), WAIT);
        return id;
    }

    /** A record of the appointment {@code appointmentId} (schema 1.1) in the given state. */
    private static ObjectNode appointment(String appointmentId, String status, String startAt) {
        ObjectNode envelope = appointmentOfAKnownPerson();
        envelope.put("schemaVersion", "1.1");
        ((ObjectNode) envelope.get("payload")).put("id", appointmentId).put("status", status).put("startAt", startAt);
        return envelope;
    }

    /** France Travail's answer to a rendez-vous POST: 201 with its id of the rendez-vous. */
    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder created(String franceTravailId) {
        return aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                .withBody("{\"id\":\"" + franceTravailId + "\"}");
    }

    /** The appointment example, about the person of the orientation example (NIR) with an i-milo dossier. */
    private static ObjectNode appointmentOfAKnownPerson() {
        ObjectNode envelope = example("appointment.booked-physical");
        ObjectNode subject = (ObjectNode) example("orientation.ped-france-travail").get("subject");
        ((ArrayNode) subject.get("identifiers")).addObject().put("scheme", "imilo-dossier-id")
                .put("value", IMILO_DOSSIER).put("issuer", "ml-reims");
        envelope.set("subject", subject);
        return envelope;
    }

    private List<String> auditDetails(String exchangeId, String recipient, String type) {
        return jdbc.queryForList("SELECT detail FROM audit_event WHERE exchange_id = ? AND recipient = ? "
                + "AND event_type = ? ORDER BY seq", String.class, UUID.fromString(exchangeId), recipient, type);
    }

    private static List<Path> visibleFiles() {
        return files(false);
    }

    private static List<Path> hiddenFiles() {
        return files(true);
    }

    private static List<Path> files(boolean hidden) {
        if (!Files.isDirectory(OUTBOX)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(OUTBOX)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".") == hidden).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
