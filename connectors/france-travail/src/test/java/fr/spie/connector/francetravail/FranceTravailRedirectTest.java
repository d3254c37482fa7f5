package fr.spie.connector.francetravail;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * France Travail answering a redirect: never followed (the token request carries the client secret, the API calls the
 * NIR and the jeton usager); 301/308 end the call for good saying where the endpoint moved, the other 3xx are tried
 * again later — the rule of the gateway's other transports.
 */
class FranceTravailRedirectTest {
    static final String TOKEN_URL = "/connexion/oauth2/access_token?realm=/partenaire";
    static final String SEARCH = "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir";

    WireMockServer wm;
    FranceTravailApiClient client;

    @BeforeEach
    void start() {
        wm = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        wm.start();
        URI base = URI.create("http://127.0.0.1:" + wm.port());
        FranceTravailApiConfig config = new FranceTravailApiConfig(base, base, "client-id", "s3cr&t", "scope",
                new FranceTravailApiConfig.Agent("BATCH", "SPIE", "Passerelle"), "ft-51", Duration.ofSeconds(5));
        client = new FranceTravailApiClient(config, HttpClient.newHttpClient(), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        wm.stop();
    }

    @Test
    void aPermanentRedirectOfTheApiEndsTheCallForGoodWithWhereItMoved() {
        for (int status : new int[] {301, 308}) {
            wm.resetAll();
            wm.stubFor(post(urlEqualTo(TOKEN_URL)).willReturn(okJson("{\"access_token\":\"tok\",\"expires_in\":1499}")));
            wm.stubFor(post(urlEqualTo(SEARCH)).willReturn(aResponse().withStatus(status).withHeader("Location",
                    "https://api.francetravail.example/v2" + SEARCH + "?realm=x&secret=y")));

            FranceTravailApiException e = search();

            assertThat(e.retryable()).as("%s", status).isFalse();
            assertThat(e).hasMessage("France Travail POST " + SEARCH + " → " + status + ": the endpoint moved"
                    + " permanently to https://api.francetravail.example/v2" + SEARCH + ": redirects are not followed,"
                    + " fix apiUrl in the configuration");
            wm.verify(0, anyRequestedFor(urlPathMatching("/v2/.*")));
        }
    }

    @Test
    void aPermanentRedirectOfTheTokenEndpointNamesAuthUrlNotTheCredentials() {
        wm.stubFor(post(urlEqualTo(TOKEN_URL)).willReturn(aResponse().withStatus(301).withHeader("Location",
                "https://auth.francetravail.example/connexion/oauth2/access_token?realm=/partenaire")));

        FranceTravailApiException e = search();

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("moved permanently to https://auth.francetravail.example/connexion/oauth2/"
                + "access_token: redirects are not followed, fix authUrl").doesNotContain("client id").doesNotContain("realm");
    }

    @Test
    void aTemporaryRedirectIsTriedAgainLater() {
        for (int status : new int[] {302, 303, 307}) {
            wm.resetAll();
            wm.stubFor(post(urlEqualTo(TOKEN_URL)).willReturn(okJson("{\"access_token\":\"tok\",\"expires_in\":1499}")));
            wm.stubFor(post(urlEqualTo(SEARCH)).willReturn(aResponse().withStatus(status)
                    .withHeader("Location", "/elsewhere").withHeader("Retry-After", "5")));

            FranceTravailApiException e = search();

            assertThat(e.retryable()).as("%s", status).isTrue();
            assertThat(e.retryAfter()).contains(Duration.ofSeconds(5));
            assertThat(e).hasMessage("France Travail POST " + SEARCH + " → " + status + " (redirect not followed)");
            wm.verify(0, anyRequestedFor(urlPathMatching("/elsewhere")));
        }
    }

    private FranceTravailApiException search() {
        return catchThrowableOfType(FranceTravailApiException.class,
                () -> client.rechercherUsager("2820251108030", LocalDate.of(1982, 2, 11)));
    }
}
