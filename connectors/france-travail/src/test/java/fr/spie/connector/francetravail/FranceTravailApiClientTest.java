package fr.spie.connector.francetravail;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static fr.spie.connector.francetravail.TestSupport.assertValid;
import static fr.spie.connector.francetravail.TestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class FranceTravailApiClientTest {

    static final String TOKEN_URL = "/connexion/oauth2/access_token?realm=/partenaire";
    static final String SEARCH = "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir";
    static final String NIR = "2820251108030";
    static final String RENDEZ_VOUS = "/partenaire/rendez-vous-partenaire/v1/rendez-vous";
    static final String JETON = "e1881749-1334-47b9-8a34-74922528d4ea#LQdESFx4KSZklOXWJGJ9yxWL";

    WireMockServer wm;
    MutableClock clock;
    FranceTravailApiClient client;

    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2025-03-04T08:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @BeforeEach
    void start() {
        wm = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        wm.start();
        clock = new MutableClock();
        URI base = URI.create("http://127.0.0.1:" + wm.port());
        FranceTravailApiConfig config = new FranceTravailApiConfig(base, base, "client-id", "s3cr&t",
                "api_rechercher-usagerv2 rechercheusager", new FranceTravailApiConfig.Agent("BATCH", "SPIE", "Passerelle"),
                "ft-51", Duration.ofSeconds(5));
        client = new FranceTravailApiClient(config, HttpClient.newHttpClient(), clock);
    }

    @AfterEach
    void stop() {
        wm.stop();
    }

    void token(String value, long expiresIn) {
        wm.stubFor(post(urlEqualTo(TOKEN_URL)).willReturn(okJson(
                "{\"access_token\":\"" + value + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + ",\"scope\":\"x\"}")));
    }

    void searchReturns(String body) {
        wm.stubFor(post(urlEqualTo(SEARCH)).willReturn(okJson(body)));
    }

    // ------------------------------------------------------------------ token

    @Test
    void tokenIsFetchedWithClientCredentialsAndCached() throws Exception {
        token("tok-1", 1499);
        searchReturns("{\"codeRetour\":\"S001\",\"jetonUsager\":\"" + JETON + "\",\"topIdentiteCertifiee\":\"O\"}");

        client.rechercherUsager(NIR, LocalDate.of(1982, 2, 11));
        client.rechercherUsager(NIR, LocalDate.of(1982, 2, 11));

        wm.verify(1, postRequestedFor(urlPathEqualTo("/connexion/oauth2/access_token"))
                .withQueryParam("realm", equalTo("/partenaire"))
                .withHeader("Content-Type", equalTo("application/x-www-form-urlencoded"))
                .withFormParam("grant_type", equalTo("client_credentials"))
                .withFormParam("client_id", equalTo("client-id"))
                .withFormParam("client_secret", equalTo("s3cr&t"))
                .withFormParam("scope", equalTo("api_rechercher-usagerv2 rechercheusager")));
        wm.verify(2, postRequestedFor(urlEqualTo(SEARCH))
                .withHeader("Authorization", equalTo("Bearer tok-1"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("pa-identifiant-agent", equalTo("BATCH"))
                .withHeader("pa-nom-agent", equalTo("SPIE"))
                .withHeader("pa-prenom-agent", equalTo("Passerelle"))
                .withHeader("ft-jeton-usager", absent())
                .withRequestBody(equalToJson("{\"dateNaissance\":\"1982-02-11\",\"nir\":\"" + NIR + "94\"}")));
    }

    @Test
    void tokenIsRenewedBeforeItExpires() throws Exception {
        token("tok-1", 120);
        searchReturns("{\"codeRetour\":\"S002\",\"message\":\"Aucun approchant trouvé\"}");
        client.rechercherUsager(NIR, LocalDate.of(1982, 2, 11));
        clock.now = clock.now.plusSeconds(100); // still valid (renewed 12 s early)
        client.rechercherUsager(NIR, LocalDate.of(1982, 2, 11));
        wm.verify(1, postRequestedFor(urlPathEqualTo("/connexion/oauth2/access_token")));

        token("tok-2", 120);
        clock.now = clock.now.plusSeconds(10); // 110 s: within the renewal margin
        client.rechercherUsager(NIR, LocalDate.of(1982, 2, 11));
        wm.verify(2, postRequestedFor(urlPathEqualTo("/connexion/oauth2/access_token")));
        wm.verify(1, postRequestedFor(urlEqualTo(SEARCH)).withHeader("Authorization", equalTo("Bearer tok-2")));
    }

    @Test
    void on401TheTokenIsRenewedAndTheCallRetriedOnce() throws Exception {
        wm.stubFor(post(urlEqualTo(TOKEN_URL)).inScenario("tok").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"access_token\":\"revoked\",\"expires_in\":1499}")).willSetStateTo("second"));
        wm.stubFor(post(urlEqualTo(TOKEN_URL)).inScenario("tok").whenScenarioStateIs("second")
                .willReturn(okJson("{\"access_token\":\"fresh\",\"expires_in\":1499}")));
        wm.stubFor(post(urlEqualTo(SEARCH)).withHeader("Authorization", equalTo("Bearer revoked"))
                .willReturn(aResponse().withStatus(401)));
        wm.stubFor(post(urlEqualTo(SEARCH)).withHeader("Authorization", equalTo("Bearer fresh"))
                .willReturn(okJson("{\"codeRetour\":\"S001\",\"jetonUsager\":\"" + JETON + "\"}")));

        UsagerSearchResult r = client.rechercherUsager(NIR, LocalDate.of(1982, 2, 11));

        assertThat(r).isInstanceOf(UsagerSearchResult.Found.class);
        wm.verify(2, postRequestedFor(urlPathEqualTo("/connexion/oauth2/access_token")));
        wm.verify(2, postRequestedFor(urlEqualTo(SEARCH)));
    }

    /**
     * A token answer without expires_in is kept 60 s; one with an absurdly long lifetime (as a long, or beyond one)
     * is kept a day at most. Such a lifetime overflowed the renewal instant: every call fetched a token, then failed
     * with a DateTimeException (neither retried as France Travail's failure nor dead-lettered with a reason).
     */
    @ParameterizedTest
    @ValueSource(strings = {"", ",\"expires_in\":9223372036854775807", ",\"expires_in\":100000000000000000000000",
            ",\"expires_in\":\"soon\"", ",\"expires_in\":-5"})
    void aTokenWithoutOrWithAnAbsurdLifetimeIsCachedForABoundedTime(String expiresIn) throws Exception {
        wm.stubFor(post(urlEqualTo(TOKEN_URL)).willReturn(okJson("{\"access_token\":\"tok-1\"" + expiresIn + "}")));
        searchReturns("{\"codeRetour\":\"S002\",\"message\":\"Aucun approchant trouvé\"}");
        client.rechercherUsager(NIR, LocalDate.of(1982, 2, 11));
        client.rechercherUsager(NIR, LocalDate.of(1982, 2, 11));
        wm.verify(1, postRequestedFor(urlPathEqualTo("/connexion/oauth2/access_token")));
        boolean absurd = expiresIn.matches(".*:[0-9]{15,}");
        clock.now = clock.now.plus(absurd ? Duration.ofHours(23) : Duration.ofSeconds(50));
        client.rechercherUsager(NIR, LocalDate.of(1982, 2, 11));
        wm.verify(1, postRequestedFor(urlPathEqualTo("/connexion/oauth2/access_token")));
        clock.now = clock.now.plus(absurd ? Duration.ofHours(1) : Duration.ofSeconds(10));
        client.rechercherUsager(NIR, LocalDate.of(1982, 2, 11));
        wm.verify(2, postRequestedFor(urlPathEqualTo("/connexion/oauth2/access_token")));
    }

    /**
     * Deliveries that all get a 401 with the same revoked token at once renew it once between them: the first
     * forgets it and fetches another, the others find the new one (no storm on the token endpoint).
     */
    @Test
    void concurrent401sRenewTheTokenOnce() throws Exception {
        wm.stubFor(post(urlEqualTo(TOKEN_URL)).inScenario("tok").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"access_token\":\"revoked\",\"expires_in\":1499}")).willSetStateTo("second"));
        wm.stubFor(post(urlEqualTo(TOKEN_URL)).inScenario("tok").whenScenarioStateIs("second")
                .willReturn(okJson("{\"access_token\":\"fresh\",\"expires_in\":1499}").withFixedDelay(200)));
        wm.stubFor(post(urlEqualTo(SEARCH)).withHeader("Authorization", equalTo("Bearer revoked"))
                .willReturn(aResponse().withStatus(401).withFixedDelay(200)));
        wm.stubFor(post(urlEqualTo(SEARCH)).withHeader("Authorization", equalTo("Bearer fresh"))
                .willReturn(okJson("{\"codeRetour\":\"S001\",\"jetonUsager\":\"" + JETON + "\"}")));
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<UsagerSearchResult>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(threads.submit(() -> client.rechercherUsager(NIR, LocalDate.of(1982, 2, 11))));
            }
            for (java.util.concurrent.Future<UsagerSearchResult> r : results) {
                assertThat(r.get(30, java.util.concurrent.TimeUnit.SECONDS)).isInstanceOf(UsagerSearchResult.Found.class);
            }
        } finally {
            threads.shutdownNow();
        }
        wm.verify(2, postRequestedFor(urlPathEqualTo("/connexion/oauth2/access_token")));
        wm.verify(8, postRequestedFor(urlEqualTo(SEARCH)).withHeader("Authorization", equalTo("Bearer revoked")));
        wm.verify(8, postRequestedFor(urlEqualTo(SEARCH)).withHeader("Authorization", equalTo("Bearer fresh")));
    }

    @Test
    void aSecond401IsNotRetriedAgain() {
        token("tok-1", 1499);
        wm.stubFor(post(urlEqualTo(SEARCH)).willReturn(aResponse().withStatus(401)));
        FranceTravailApiException e = catchThrowableOfType(FranceTravailApiException.class,
                () -> client.rechercherUsager(NIR, LocalDate.of(1982, 2, 11)));
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).doesNotContain(NIR);
        wm.verify(2, postRequestedFor(urlEqualTo(SEARCH)));
        wm.verify(2, postRequestedFor(urlPathEqualTo("/connexion/oauth2/access_token")));
    }

    @Test
    void refusedTokenRequestIsNotRetryable() {
        wm.stubFor(post(urlEqualTo(TOKEN_URL)).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"invalid_client\",\"error_description\":\"client authentication failed\"}")));
        FranceTravailApiException e = catchThrowableOfType(FranceTravailApiException.class,
                () -> client.rechercherUsager(NIR, LocalDate.of(1982, 2, 11)));
        assertThat(e.retryable()).isFalse();
        assertThat(e.errorCode()).contains("invalid_client");
        assertThat(e.getMessage()).contains("invalid_client").doesNotContain("s3cr&t");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"access_token\":\"\"}", "{\"token_type\":\"Bearer\"}", "<html>maintenance</html>", ""})
    void aTokenAnswer200WithoutATokenIsARetryableFailure(String body) throws Exception {
        // a 200 without access_token (a proxy's page, a half-deployed endpoint) says nothing about the record: each
        // delivery must be tried again later, not dead-lettered at once with every other one waiting for a token
        wm.stubFor(post(urlEqualTo(TOKEN_URL)).inScenario("token").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body))
                .willSetStateTo("fixed"));
        wm.stubFor(post(urlEqualTo(TOKEN_URL)).inScenario("token").whenScenarioStateIs("fixed")
                .willReturn(okJson("{\"access_token\":\"tok-2\",\"expires_in\":1499}")));
        searchReturns("{\"codeRetour\":\"S002\",\"message\":\"Aucun approchant trouvé\"}");

        FranceTravailApiException e = catchThrowableOfType(FranceTravailApiException.class,
                () -> client.rechercherUsager(NIR, LocalDate.of(1982, 2, 11)));

        assertThat(e.retryable()).isTrue();
        assertThat(e.status()).isEqualTo(200);
        assertThat(e.getMessage()).contains("no access_token");
        wm.verify(0, postRequestedFor(urlEqualTo(SEARCH)));
        // the next attempt fetches a token again
        assertThat(client.rechercherUsager(NIR, LocalDate.of(1982, 2, 11))).isInstanceOf(UsagerSearchResult.NotFound.class);
        wm.verify(1, postRequestedFor(urlEqualTo(SEARCH)).withHeader("Authorization", equalTo("Bearer tok-2")));
    }

    // ------------------------------------------------------------------ rechercher-usager

    @Test
    void s001GivesTheJetonUsager() throws Exception {
        token("tok-1", 1499);
        searchReturns("{\"codeRetour\":\"S001\",\"jetonUsager\":\"" + JETON + "\",\"topIdentiteCertifiee\":\"O\"}");
        UsagerSearchResult r = client.rechercherUsager(NIR, LocalDate.of(1982, 2, 11));
        assertThat(r).isEqualTo(new UsagerSearchResult.Found("S001", JETON, true));
        assertThat(r.toString()).doesNotContain(JETON);
    }

    /**
     * rechercher-usager's topIdentiteCertifiee (carnet de bord's sample answer: "O"): N says the job seeker's identity,
     * so the NIR France Travail found them by, is not certified; an answer without it states nothing.
     */
    @Test
    void s001SaysWhetherTheIdentityIsCertifiedAndNeverGuessesIt() throws Exception {
        token("tok-1", 1499);
        searchReturns("{\"codeRetour\":\"S001\",\"jetonUsager\":\"" + JETON + "\",\"topIdentiteCertifiee\":\"N\"}");
        UsagerSearchResult uncertified = client.rechercherUsager(NIR, LocalDate.of(1982, 2, 11));
        assertThat(uncertified).isEqualTo(new UsagerSearchResult.Found("S001", JETON, false));
        assertThat(((UsagerSearchResult.Found) uncertified).identityUncertified()).isTrue();

        searchReturns("{\"codeRetour\":\"S001\",\"jetonUsager\":\"" + JETON + "\"}");
        UsagerSearchResult notStated = client.rechercherUsager(NIR, LocalDate.of(1982, 2, 11));
        assertThat(notStated).isEqualTo(new UsagerSearchResult.Found("S001", JETON, null));
        assertThat(((UsagerSearchResult.Found) notStated).identityUncertified()).isFalse();

        searchReturns("{\"codeRetour\":\"S001\",\"jetonUsager\":\"" + JETON + "\",\"topIdentiteCertifiee\":\"X\"}");
        assertThat(((UsagerSearchResult.Found) client.rechercherUsager(NIR, LocalDate.of(1982, 2, 11)))
                .identityUncertified()).isTrue();
    }

    @Test
    void s002IsNotFound() throws Exception {
        token("tok-1", 1499);
        searchReturns("{\"codeRetour\":\"S002\",\"jetonUsager\":null,\"message\":\"Aucun approchant trouvé\"}");
        assertThat(client.rechercherUsager(NIR, LocalDate.of(1982, 2, 11)))
                .isEqualTo(new UsagerSearchResult.NotFound("S002", "Aucun approchant trouvé"));
    }

    @Test
    void s003IsAmbiguousAndNeverGuessed() throws Exception {
        token("tok-1", 1499);
        searchReturns("{\"codeRetour\":\"S003\",\"jetonUsager\":\"" + JETON + "\",\"message\":\"Plusieurs approchants trouvés\"}");
        assertThat(client.rechercherUsager(NIR, LocalDate.of(1982, 2, 11)))
                .isEqualTo(new UsagerSearchResult.Ambiguous("S003", "Plusieurs approchants trouvés"));
    }

    @Test
    void forbiddenR001IsAccessDenied() throws Exception {
        token("tok-1", 1499);
        wm.stubFor(post(urlEqualTo(SEARCH)).willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                .withBody("{\"codeRetour\":\"R001\",\"message\":\"Usager hors périmètre\"}")));
        assertThat(client.rechercherUsager(NIR, LocalDate.of(1982, 2, 11)))
                .isEqualTo(new UsagerSearchResult.AccessDenied("R001", "access denied"));
    }

    @Test
    void theNirIsSentWithItsKeyAsFranceTravailsOtherClientsDo() throws Exception {
        // WebRSA sends LEFT(nir, 13) || calcul_cle_nir(...); rdv-insertion and les emplois send their 15-character NIR
        token("tok-1", 1499);
        searchReturns("{\"codeRetour\":\"S002\",\"message\":\"Aucun approchant trouvé\"}");

        client.rechercherUsager(NIR, LocalDate.of(1982, 2, 11));
        client.rechercherUsager(NIR + "94", LocalDate.of(1982, 2, 11));

        wm.verify(2, postRequestedFor(urlEqualTo(SEARCH))
                .withRequestBody(equalToJson("{\"dateNaissance\":\"1982-02-11\",\"nir\":\"" + NIR + "94\"}")));
    }

    @Test
    void aNirWhoseKeyDoesNotMatchIsRefusedBeforeAnyCall() {
        assertThatThrownBy(() -> client.rechercherUsager(NIR + "95", LocalDate.of(1982, 2, 11)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key")
                .hasMessageNotContaining(NIR);
        assertThat(wm.getAllServeEvents()).isEmpty();
    }

    @Test
    void invalidNirIsRefusedBeforeAnyCall() {
        assertThatThrownBy(() -> client.rechercherUsager("12345", LocalDate.of(1982, 2, 11)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("12345");
        assertThat(wm.getAllServeEvents()).isEmpty();
    }

    // ------------------------------------------------------------------ errors

    @Test
    void rateLimitedWithRetryAfterIsATypedRetryableError() {
        token("tok-1", 1499);
        wm.stubFor(post(urlEqualTo(SEARCH)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "30")));
        FranceTravailRateLimitedException e = catchThrowableOfType(FranceTravailRateLimitedException.class,
                () -> client.rechercherUsager(NIR, LocalDate.of(1982, 2, 11)));
        assertThat(e.retryable()).isTrue();
        assertThat(e.status()).isEqualTo(429);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
        wm.verify(1, postRequestedFor(urlEqualTo(SEARCH))); // not retried by the client
    }

    @Test
    void retryAfterAsHttpDate() {
        token("tok-1", 1499);
        wm.stubFor(get(urlEqualTo(FranceTravailApiClient.LECTURE_ORIENTATION_PATH))
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "Tue, 04 Mar 2025 08:02:00 GMT")));
        FranceTravailRateLimitedException e = catchThrowableOfType(FranceTravailRateLimitedException.class,
                () -> client.orientation(JETON));
        assertThat(e.retryAfter()).contains(Duration.ofMinutes(2));
    }

    @Test
    void serverErrorIsRetryable() {
        token("tok-1", 1499);
        wm.stubFor(get(urlEqualTo(FranceTravailApiClient.DIAGNOSTIC_PATH)).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json").withBody("{\"code\":\"T500\",\"message\":\"Erreur technique\"}")));
        FranceTravailApiException e = catchThrowableOfType(FranceTravailApiException.class, () -> client.diagnostic(JETON));
        assertThat(e).isNotInstanceOf(FranceTravailRateLimitedException.class);
        assertThat(e.retryable()).isTrue();
        assertThat(e.status()).isEqualTo(500);
        assertThat(e.getMessage()).contains("500").contains("T500").doesNotContain(JETON);
    }

    @Test
    void requestTimeoutAndTooEarlyAreRetryableLikeOnTheOtherTransports() {
        // 408/425 say "try later": the gateway's other HTTP transports retry them, France Travail's must too
        token("tok-1", 1499);
        wm.stubFor(get(urlEqualTo(FranceTravailApiClient.DIAGNOSTIC_PATH)).willReturn(aResponse().withStatus(408)
                .withHeader("Retry-After", "5")));
        wm.stubFor(get(urlEqualTo(FranceTravailApiClient.LECTURE_ORIENTATION_PATH)).willReturn(aResponse().withStatus(425)));

        FranceTravailApiException timeout = catchThrowableOfType(FranceTravailApiException.class, () -> client.diagnostic(JETON));
        FranceTravailApiException early = catchThrowableOfType(FranceTravailApiException.class, () -> client.orientation(JETON));

        assertThat(timeout.retryable()).isTrue();
        assertThat(timeout.retryAfter()).contains(Duration.ofSeconds(5));
        assertThat(early.retryable()).isTrue();
    }

    @Test
    void otherClientErrorsAreNotRetryableAndCarryFtCode() {
        token("tok-1", 1499);
        wm.stubFor(post(urlEqualTo("/partenaire/orientationusager/v1/orientation")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"codeRetour\":\"R010\",\"message\":\"Parcours incompatible\"}")));
        FranceTravailApiException e = catchThrowableOfType(FranceTravailApiException.class,
                () -> client.sendOrientation(JETON, orientationPayload()));
        assertThat(e.retryable()).isFalse();
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.errorCode()).contains("R010");
        assertThat(e.getMessage()).endsWith("→ 400 [R010]").doesNotContain("Parcours incompatible");
    }

    @Test
    void franceTravailsErrorTextIsNeverKeptOnlyItsStatusAndCode() {
        // the reason ends in the delivery's lastError, the audit trail, the log and pull problem details: France
        // Travail's free text may echo a name, a birth date or an address, which no masking tells from other words
        token("tok-1", 1499);
        wm.stubFor(post(urlEqualTo(SEARCH)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"codeRetour\":\"R002\",\"message\":\"NIR 2 82 02 51 108 030 94 ou " + NIR
                        + "94 invalide pour CANARYNAME7f3a née le 11/02/1982, 12 rue des Canaris\"}")));
        wm.stubFor(post(urlEqualTo("/partenaire/orientationusager/v1/orientation")).willReturn(aResponse().withStatus(422)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"code\":\"E042\",\"libelle\":\"jeton " + JETON + " expiré pour Mme CANARYNAME7f3a\"}")));
        wm.stubFor(get(urlEqualTo(FranceTravailApiClient.DIAGNOSTIC_PATH)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"code\":\"CANARYNAME7f3a\",\"message\":\"inconnu\"}")));

        FranceTravailApiException search = catchThrowableOfType(FranceTravailApiException.class,
                () -> client.rechercherUsager(NIR, LocalDate.of(1982, 2, 11)));
        FranceTravailApiException send = catchThrowableOfType(FranceTravailApiException.class,
                () -> client.sendOrientation(JETON, orientationPayload()));
        FranceTravailApiException read = catchThrowableOfType(FranceTravailApiException.class,
                () -> client.diagnostic(JETON));

        assertThat(search.getMessage()).isEqualTo("France Travail POST " + SEARCH + " → 400 [R002]");
        assertThat(send.getMessage()).isEqualTo("France Travail POST /partenaire/orientationusager/v1/orientation"
                + " → 422 [E042]");
        // a "code" that is no code (a value echoed in its place) is not kept either
        assertThat(read.getMessage()).isEqualTo("France Travail GET " + FranceTravailApiClient.DIAGNOSTIC_PATH
                + " → 400");
        assertThat(read.errorCode()).isEmpty();
    }

    @Test
    void anAccessDeniedOrAnUnexpectedSearchAnswerKeepsNoFreeTextEither() throws Exception {
        token("tok-1", 1499);
        wm.stubFor(post(urlEqualTo(SEARCH)).inScenario("search").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                        .withBody("{\"codeRetour\":\"R001\",\"message\":\"CANARYNAME7f3a hors périmètre\"}"))
                .willSetStateTo("second"));
        wm.stubFor(post(urlEqualTo(SEARCH)).inScenario("search").whenScenarioStateIs("second")
                .willReturn(okJson("{\"codeRetour\":\"S009\",\"message\":\"CANARYNAME7f3a née le 1982-02-11\"}")));

        assertThat(client.rechercherUsager(NIR, LocalDate.of(1982, 2, 11)))
                .isEqualTo(new UsagerSearchResult.AccessDenied("R001", "access denied"));
        FranceTravailApiException e = catchThrowableOfType(FranceTravailApiException.class,
                () -> client.rechercherUsager(NIR, LocalDate.of(1982, 2, 11)));
        assertThat(e.getMessage()).isEqualTo("rechercher-usager: unexpected codeRetour S009");
    }

    @Test
    void networkFailureIsRetryable() {
        wm.stop();
        FranceTravailApiException e = catchThrowableOfType(FranceTravailApiException.class,
                () -> client.rechercherUsager(NIR, LocalDate.of(1982, 2, 11)));
        assertThat(e.retryable()).isTrue();
        assertThat(e.status()).isZero();
    }

    // ------------------------------------------------------------------ per-user reads

    @Test
    void diagnosticIsReadWithTheJetonAndMapped() throws Exception {
        token("tok-1", 1499);
        wm.stubFor(get(urlEqualTo(FranceTravailApiClient.DIAGNOSTIC_PATH))
                .willReturn(okJson(json("/fixtures/api/pe_diagnosticargumente_dossier_individu.json").toString())));

        ObjectNode d = client.diagnostic(JETON).orElseThrow();

        wm.verify(getRequestedFor(urlEqualTo(FranceTravailApiClient.DIAGNOSTIC_PATH))
                .withHeader("Authorization", equalTo("Bearer tok-1"))
                .withHeader("ft-jeton-usager", equalTo(JETON))
                .withHeader("pa-identifiant-agent", equalTo("BATCH"))
                .withHeader("pa-nom-agent", equalTo("SPIE"))
                .withHeader("pa-prenom-agent", equalTo("Passerelle")));
        assertThat(d.get("needs").get("employment").asString()).isEqualTo("need");
        assertThat(d.get("authorOrganisation").get("partnerId").asString()).isEqualTo("ft-51");
        assertValid("diagnostic", subject(), d);
    }

    @Test
    void noDiagnosticIsEmpty() throws Exception {
        token("tok-1", 1499);
        wm.stubFor(get(urlEqualTo(FranceTravailApiClient.DIAGNOSTIC_PATH)).willReturn(aResponse().withStatus(204)));
        assertThat(client.diagnostic(JETON)).isEmpty();
    }

    @Test
    void orientationIsReadAndMapped() throws Exception {
        token("tok-1", 1499);
        wm.stubFor(get(urlEqualTo(FranceTravailApiClient.LECTURE_ORIENTATION_PATH))
                .willReturn(okJson(json("/fixtures/api/lecture_orientation.json").toString())));
        Optional<ObjectNode> o = client.orientation(JETON);
        assertThat(o).isPresent();
        assertThat(o.get().get("path").asString()).isEqualTo("PED");
        assertThat(o.get().get("status").asString()).isEqualTo("decided");
        wm.verify(getRequestedFor(urlEqualTo(FranceTravailApiClient.LECTURE_ORIENTATION_PATH))
                .withHeader("ft-jeton-usager", equalTo(JETON)));
        assertValid("orientation", subject(), o.get());
    }

    @Test
    void noOrientationIs204AndEmpty() throws Exception {
        token("tok-1", 1499);
        wm.stubFor(get(urlEqualTo(FranceTravailApiClient.LECTURE_ORIENTATION_PATH)).willReturn(aResponse().withStatus(204)));
        assertThat(client.orientation(JETON)).isEmpty();
    }

    // ------------------------------------------------------------------ sends

    @Test
    void sendOrientationPostsOrigineParcoursOrganisme() throws Exception {
        token("tok-1", 1499);
        wm.stubFor(post(urlEqualTo("/partenaire/orientationusager/v1/orientation"))
                .willReturn(aResponse().withStatus(201)));

        JsonNode response = client.sendOrientation(JETON, orientationPayload());

        assertThat(response.isEmpty()).isTrue();
        wm.verify(1, postRequestedFor(urlEqualTo("/partenaire/orientationusager/v1/orientation"))
                .withHeader("Authorization", equalTo("Bearer tok-1"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("ft-jeton-usager", equalTo(JETON))
                .withHeader("pa-identifiant-agent", equalTo("BATCH"))
                .withHeader("pa-nom-agent", equalTo("SPIE"))
                .withHeader("pa-prenom-agent", equalTo("Passerelle"))
                .withRequestBody(equalToJson("{\"origine\":\"INSCRIPTION_AUTO_CAF\",\"parcours\":\"PED\",\"organisme\":\"FT\"}")));
    }

    @Test
    void createAppointmentPostsTheRendezVousAndReturnsFranceTravailsIdOfIt() throws Exception {
        token("tok-1", 1499);
        wm.stubFor(post(urlEqualTo(RENDEZ_VOUS)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"rdv-1\"}")));

        // the source's own id of the appointment is not France Travail's: it is not sent
        Optional<String> id = client.createAppointment(JETON, appointmentPayload().put("id", "CD51-RDV-1"));

        assertThat(id).contains("rdv-1");
        wm.verify(1, postRequestedFor(urlEqualTo(RENDEZ_VOUS))
                .withHeader("ft-jeton-usager", equalTo(JETON))
                .withHeader("pa-identifiant-agent", equalTo("BATCH"))
                .withRequestBody(equalToJson(FranceTravailApiOutboundMapperTest.BOOKED_PHYSICAL_RDV)));
    }

    @Test
    void aCreatedAppointmentsIdIsReadAsTextAndOnlyWhenItIsOne() throws Exception {
        token("tok-1", 1499);
        wm.stubFor(post(urlEqualTo(RENDEZ_VOUS)).willReturn(okJson("{\"id\":987654}")));
        assertThat(client.createAppointment(JETON, appointmentPayload())).contains("987654");

        wm.stubFor(post(urlEqualTo(RENDEZ_VOUS)).willReturn(aResponse().withStatus(204)));
        assertThat(client.createAppointment(JETON, appointmentPayload())).isEmpty();

        wm.stubFor(post(urlEqualTo(RENDEZ_VOUS)).willReturn(okJson("{\"id\":\"two words\"}")));
        assertThat(client.createAppointment(JETON, appointmentPayload())).isEmpty();
        wm.verify(3, postRequestedFor(urlEqualTo(RENDEZ_VOUS)));
    }

    @Test
    void updateAppointmentPutsTheNewStateWithFranceTravailsId() throws Exception {
        token("tok-1", 1499);
        wm.stubFor(put(urlEqualTo(RENDEZ_VOUS)).willReturn(aResponse().withStatus(200)));
        ObjectNode cancelled = appointmentPayload().put("status", "cancelled");

        assertThat(client.updateAppointment(JETON, "rdv-1", cancelled)).isTrue();

        ObjectNode expected = (ObjectNode) TestSupport.JSON.readTree(
                FranceTravailApiOutboundMapperTest.BOOKED_PHYSICAL_RDV);
        expected.put("id", "rdv-1").put("statut", "ANNULE");
        wm.verify(1, putRequestedFor(urlEqualTo(RENDEZ_VOUS))
                .withHeader("Authorization", equalTo("Bearer tok-1"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("ft-jeton-usager", equalTo(JETON))
                .withHeader("pa-identifiant-agent", equalTo("BATCH"))
                .withRequestBody(equalToJson(expected.toString())));
        wm.verify(0, postRequestedFor(urlEqualTo(RENDEZ_VOUS)));
    }

    @Test
    void anAppointmentIdFranceTravailDoesNotKnowIsSaidSoNotThrown() throws Exception {
        token("tok-1", 1499);
        // the error rdv-insertion gets after France Travail merged duplicate users
        wm.stubFor(put(urlEqualTo(RENDEZ_VOUS)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody("{\"codeHttp\":400,"
                        + "\"codeErreur\":\"ID_NON_RECONNU\",\"message\":\"Il n'existe pas de rdv pour l'id et"
                        + " l'utilisateur indiqué\"}")));
        assertThat(client.updateAppointment(JETON, "rdv-1", appointmentPayload())).isFalse();

        wm.stubFor(put(urlEqualTo(RENDEZ_VOUS)).willReturn(aResponse().withStatus(404)));
        assertThat(client.updateAppointment(JETON, "rdv-1", appointmentPayload())).isFalse();
    }

    @Test
    void anUpdateFranceTravailRefusesOrCannotTakeNowIsAnError() throws Exception {
        token("tok-1", 1499);
        wm.stubFor(put(urlEqualTo(RENDEZ_VOUS)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody("{\"codeErreur\":\"DATE_INVALIDE\"}")));
        FranceTravailApiException refused = catchThrowableOfType(FranceTravailApiException.class,
                () -> client.updateAppointment(JETON, "rdv-1", appointmentPayload()));
        assertThat(refused.retryable()).isFalse();
        assertThat(refused.getMessage()).isEqualTo("France Travail PUT " + RENDEZ_VOUS + " → 400 [DATE_INVALIDE]");

        wm.stubFor(put(urlEqualTo(RENDEZ_VOUS)).willReturn(aResponse().withStatus(503)));
        FranceTravailApiException later = catchThrowableOfType(FranceTravailApiException.class,
                () -> client.updateAppointment(JETON, "rdv-1", appointmentPayload()));
        assertThat(later.retryable()).isTrue();
    }

    @Test
    void aSendFranceTravailAcceptedIsNotAFailureWhateverItsBody() throws Exception {
        // the orientation exists at France Travail once it answered 201: failing here would dead-letter it, and a
        // replay would send it twice
        token("tok-1", 1499);
        wm.stubFor(post(urlEqualTo("/partenaire/orientationusager/v1/orientation")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "text/plain").withBody("Orientation enregistrée")));

        JsonNode response = client.sendOrientation(JETON, orientationPayload());

        assertThat(response.isObject()).isTrue();
        wm.verify(1, postRequestedFor(urlEqualTo("/partenaire/orientationusager/v1/orientation")));
    }

    static ObjectNode appointmentPayload() {
        return (ObjectNode) json("/spie/examples/v1/appointment/appointment.booked-physical.valid.json").get("payload");
    }

    static JsonNode orientationPayload() {
        return json("/spie/examples/v1/orientation/orientation.ped-france-travail.valid.json").get("payload");
    }

    static ObjectNode subject() {
        ObjectNode s = TestSupport.JSON.createObjectNode();
        s.putArray("identifiers").addObject().put("scheme", "france-travail-id").put("value", "x-1");
        return s;
    }
}
