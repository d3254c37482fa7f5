package fr.spie.gateway.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static fr.spie.gateway.it.GatewayTestSupport.awaitStatus;
import static fr.spie.gateway.it.GatewayTestSupport.delivery;
import static fr.spie.gateway.it.GatewayTestSupport.get;
import static fr.spie.gateway.it.GatewayTestSupport.json;
import static fr.spie.gateway.it.GatewayTestSupport.post;
import static fr.spie.gateway.it.GatewayTestSupport.token;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import fr.spie.connector.francetravail.FranceTravailApiClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Pulls (issue 3, France Travail APIs called by the gateway): a recipient has the gateway read a person's diagnostic
 * and orientation from France Travail's partner APIs (simulated by WireMock with the real payload shapes); each
 * record read becomes an exchange from ft-51, routed and delivered to cd-51 like any other.
 */
class FranceTravailPullTest extends RunningGatewayTest {
    private static final String NIR = "2820251108030";
    private static final String JETON = "e1881749-1334-47b9-8a34-74922528d4ea#LQdESFx4KSZklOXWJGJ9yxWL";
    private static final String SEARCH = FranceTravailApiClient.RECHERCHER_USAGER_PATH;
    private static final String PULL = "/api/v1/partners/ft-51/pulls";
    private static final String BODY = "{\"subject\":{\"nir\":\"" + NIR + "\",\"birthDate\":\"1982-02-11\"}}";

    @BeforeEach
    void franceTravailApis() {
        FT_51.stubFor(post(urlPathEqualTo("/connexion/oauth2/access_token")).willReturn(okJson(
                "{\"access_token\":\"tok-1\",\"token_type\":\"Bearer\",\"expires_in\":1499}")));
        FT_51.stubFor(get(urlEqualTo(FranceTravailApiClient.DIAGNOSTIC_PATH)).withHeader("ft-jeton-usager",
                equalTo(JETON)).willReturn(okJson(fixture("pe_diagnosticargumente_dossier_individu.json"))));
        FT_51.stubFor(get(urlEqualTo(FranceTravailApiClient.LECTURE_ORIENTATION_PATH)).withHeader("ft-jeton-usager",
                equalTo(JETON)).willReturn(okJson(fixture("lecture_orientation.json"))));
    }

    private static void searchAnswers(String body) {
        FT_51.stubFor(post(urlEqualTo(SEARCH)).willReturn(okJson(body)));
    }

    @Test
    void aRecipientPullsDiagnosticAndOrientationWhichAreRoutedAndDeliveredOnce() {
        searchAnswers("{\"codeRetour\":\"S001\",\"jetonUsager\":\"" + JETON + "\",\"topIdentiteCertifiee\":\"O\"}");

        HttpResponse<String> first = pull("cd-51", BODY);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        JsonNode records = json(first).path("records");
        assertThat(records).hasSize(2);
        List<String> exchangeIds = new ArrayList<>();
        for (JsonNode record : records) {
            assertThat(record.path("status").asString()).as(record.toString()).isEqualTo("ACCEPTED");
            exchangeIds.add(record.path("exchangeId").asString());
        }
        assertThat(records.get(0).path("recordType").asString()).isEqualTo("diagnostic");
        assertThat(records.get(1).path("recordType").asString()).isEqualTo("orientation");
        FT_51.verify(postRequestedFor(urlEqualTo(SEARCH))
                .withRequestBody(equalToJson("{\"nir\":\"" + NIR + "94\",\"dateNaissance\":\"1982-02-11\"}")));
        FT_51.verify(getRequestedFor(urlEqualTo(FranceTravailApiClient.DIAGNOSTIC_PATH))
                .withHeader("Authorization", equalTo("Bearer tok-1")));

        for (String id : exchangeIds) {
            JsonNode status = awaitStatus(port, "admin", id, s -> "DELIVERED".equals(delivery(s, "cd-51")
                    .path("status").asString()), java.time.Duration.ofSeconds(20));
            assertThat(status.path("source").asString()).isEqualTo("ft-51");
            assertThat(status.path("route").isMissingNode()).isTrue();
            assertThat(delivery(status, "cd-51").path("route").asString()).isEqualTo("pulled-ft-to-cd");
            // the route also releases them to ml-reims, which did not ask: a pull goes to its caller alone
            assertThat(status.path("deliveries")).hasSize(1);
        }
        List<JsonNode> delivered = deliveredTo(exchangeIds);
        assertThat(delivered).hasSize(2);
        assertThat(delivered.get(0).path("source").asString()).isEqualTo("ft-51");
        assertThat(delivered.get(0).path("subject").path("nir").asString()).isEqualTo(NIR);
        assertThat(delivered.stream().map(e -> e.path("recordType").asString()))
                .containsExactlyInAnyOrder("diagnostic", "orientation");

        // pulled again, unchanged: the same exchanges, nothing new delivered
        HttpResponse<String> again = pull("cd-51", BODY);
        assertThat(again.statusCode()).isEqualTo(200);
        for (JsonNode record : json(again).path("records")) {
            assertThat(record.path("status").asString()).isEqualTo("UNCHANGED");
            assertThat(exchangeIds).contains(record.path("exchangeId").asString());
        }
        assertThat(deliveredTo(exchangeIds)).hasSize(2);

        // every pull audited with the caller as actor and the person as pseudonym only
        JsonNode events = auditEvents("eventType=PULLED&exchangeId=" + exchangeIds.get(0));
        assertThat(events).hasSize(2);
        for (JsonNode event : events) {
            assertThat(event.path("actor").asString()).isEqualTo("cd-51");
            assertThat(event.path("sourcePartner").asString()).isEqualTo("ft-51");
            assertThat(event.path("subjectPseudonym").asString()).hasSize(64);
            assertThat(event.toString()).doesNotContain(NIR).doesNotContain(JETON);
        }
    }

    @Test
    void unknownAndAmbiguousPersonsAreAnsweredAsSuchNeverGuessed() {
        searchAnswers("{\"codeRetour\":\"S002\",\"message\":\"Aucun usager\"}");
        HttpResponse<String> none = pull("cd-51", BODY);
        assertProblem(none, 404, "person-unknown-to-partner");

        searchAnswers("{\"codeRetour\":\"S003\",\"message\":\"Plusieurs usagers\"}");
        HttpResponse<String> several = pull("cd-51", BODY);
        assertProblem(several, 409, "person-ambiguous");
        assertThat(json(several).path("detail").asString()).contains("never guesses");
        FT_51.verify(0, getRequestedFor(urlPathEqualTo(FranceTravailApiClient.DIAGNOSTIC_PATH)));
    }

    /**
     * France Travail finds a job seeker by this NIR but says their identity is not certified (topIdentiteCertifiee N):
     * the NIR may be someone else's and the records read would be filed under it, so nothing is read nor delivered.
     */
    @Test
    void aJobSeekerWhoseIdentityFranceTravailDoesNotCertifyIsNotReadUnderTheNir() {
        searchAnswers("{\"codeRetour\":\"S001\",\"jetonUsager\":\"" + JETON + "\",\"topIdentiteCertifiee\":\"N\"}");

        HttpResponse<String> uncertified = pull("cd-51", BODY);

        assertProblem(uncertified, 409, "person-identity-uncertified");
        assertThat(json(uncertified).path("detail").asString()).contains("not certify").doesNotContain(NIR);
        FT_51.verify(0, getRequestedFor(urlPathEqualTo(FranceTravailApiClient.DIAGNOSTIC_PATH)));
        FT_51.verify(0, getRequestedFor(urlPathEqualTo(FranceTravailApiClient.LECTURE_ORIENTATION_PATH)));
    }

    @Test
    void onlyARecipientOfTheRecordTypeMayPull() {
        searchAnswers("{\"codeRetour\":\"S001\",\"jetonUsager\":\"" + JETON + "\"}");
        HttpResponse<String> caf = pull("caf-51", BODY);
        assertProblem(caf, 403, "pull-not-allowed");
        HttpResponse<String> notConfigured = post(port, "/api/v1/partners/cd-51/pulls", token("cd-51"),
                "application/json", BODY.getBytes(StandardCharsets.UTF_8));
        assertProblem(notConfigured, 404, "pull-not-configured");
        FT_51.verify(0, postRequestedFor(urlEqualTo(SEARCH)));
    }

    @Test
    void badRequestsNameEachProblem() {
        HttpResponse<String> bad = pull("cd-51",
                "{\"subject\":{\"nir\":\"282025110803012\",\"birthDate\":\"11/02/1982\"},\"recordTypes\":[\"person\"]}");
        assertProblem(bad, 400, "invalid-pull-request");
        assertThat(json(bad).path("errors").toString()).contains("/subject/nir", "/subject/birthDate",
                "/recordTypes/0");
        assertThat(bad.body()).doesNotContain("282025110803012");
    }

    @Test
    void franceTravailFailuresAreReportedPerRecordWithoutLosingTheOthers() {
        searchAnswers("{\"codeRetour\":\"S001\",\"jetonUsager\":\"" + JETON + "\"}");
        FT_51.stubFor(get(urlEqualTo(FranceTravailApiClient.LECTURE_ORIENTATION_PATH))
                .willReturn(aResponse().withStatus(204)));
        FT_51.stubFor(get(urlEqualTo(FranceTravailApiClient.DIAGNOSTIC_PATH)).willReturn(aResponse().withStatus(500)));

        HttpResponse<String> response = pull("cd-51",
                "{\"subject\":{\"nir\":\"1850775123456\",\"birthDate\":\"1985-07-01\"}}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode records = json(response).path("records");
        assertThat(records.get(0).path("status").asString()).isEqualTo("FAILED");
        assertThat(records.get(1).path("status").asString()).isEqualTo("NONE");

        FT_51.stubFor(post(urlEqualTo(SEARCH)).willReturn(aResponse().withStatus(503)));
        assertProblem(pull("cd-51", BODY), 503, "partner-unavailable");
    }

    private HttpResponse<String> pull(String caller, String body) {
        return post(port, PULL, token(caller), "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertProblem(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(json(response).path("type").asString()).endsWith("/" + type);
    }

    private static List<JsonNode> deliveredTo(List<String> exchangeIds) {
        List<JsonNode> received = new ArrayList<>();
        for (ServeEvent event : CD_51.getAllServeEvents()) {
            JsonNode body = GatewayTestSupport.JSON.readTree(event.getRequest().getBodyAsString());
            if (exchangeIds.contains(body.path("exchangeId").asString())) {
                received.add(body);
            }
        }
        received.sort(java.util.Comparator.comparing(b -> b.path("recordType").asString()));
        return received;
    }

    private JsonNode auditEvents(String query) {
        HttpResponse<String> response = get(port, "/api/v1/audit/events?" + query + "&limit=1000", token("auditor"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response).path("events");
    }

    private static String fixture(String name) {
        try (InputStream in = FranceTravailPullTest.class.getResourceAsStream("/france-travail-api/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
