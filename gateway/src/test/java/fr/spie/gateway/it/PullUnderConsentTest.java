package fr.spie.gateway.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static fr.spie.gateway.it.GatewayTestSupport.get;
import static fr.spie.gateway.it.GatewayTestSupport.json;
import static fr.spie.gateway.it.GatewayTestSupport.post;
import static fr.spie.gateway.it.GatewayTestSupport.token;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import fr.spie.gateway.SpieGatewayMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A pull by a recipient whose route from France Travail needs the person's consent (the test configuration, with
 * ml-reims moved from the public-task route of pulled records to a route that needs a consent): without that consent,
 * the pull is refused before France Travail is asked anything, so that the gateway neither reads and stores records
 * it would then block, nor tells the caller whether France Travail knows the person.
 */
@SpringBootTest(classes = SpieGatewayMain.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PullUnderConsentTest {
    private static final WireMockServer RECIPIENTS = GatewayTestSupport.startRecipient();
    private static final WireMockServer FRANCE_TRAVAIL = GatewayTestSupport.startRecipient();
    private static final Path DATA = GatewayTestSupport.tempDataDir();
    private static final Path CONFIG = configWithAConsentRouteForPulls();
    private static final String BODY = "{\"subject\":{\"nir\":\"2820251108030\",\"birthDate\":\"1982-02-11\"}}";

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void gatewayProperties(DynamicPropertyRegistry registry) {
        registry.add("spie.data-dir", DATA::toString);
        registry.add("spie.config-dir", CONFIG::toString);
        registry.add("TEST_URL_CD_51", () -> RECIPIENTS.baseUrl() + "/cd-51");
        registry.add("TEST_URL_FT_51", () -> RECIPIENTS.baseUrl() + "/ft-51");
        registry.add("TEST_URL_ML_REIMS", () -> RECIPIENTS.baseUrl() + "/ml-reims");
        registry.add("TEST_URL_FT_API", FRANCE_TRAVAIL::baseUrl);
    }

    @AfterAll
    static void stopServers() {
        RECIPIENTS.stop();
        FRANCE_TRAVAIL.stop();
    }

    /** test-config, where ml-reims receives pulled records only under the person's consent. */
    private static Path configWithAConsentRouteForPulls() {
        try {
            Path dir = Files.createTempDirectory(DATA, "config");
            Path source = Path.of(GatewayTestSupport.TEST_CONFIG);
            try (var files = Files.list(source)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(f, dir.resolve(f.getFileName()));
                }
            }
            String routes = Files.readString(dir.resolve("routes.yaml"));
            String publicTask = "    to: [cd-51, ml-reims]   # a pull by one of them is delivered to it alone "
                    + "(FranceTravailPullTest)\n";
            assertThat(routes).contains(publicTask);
            routes = routes.replace(publicTask, "    to: [cd-51]\n") + """
                      - id: pulled-ft-to-ml-consent
                        description: Pulled diagnostics and orientations to the mission locale, with the person's consent
                        recordTypes: [diagnostic, orientation]
                        from: [ft-51]
                        to: [ml-reims]
                        purpose: rsa-follow-up
                        legalBasis: {type: public-task, reference: "Code du travail art. L5312-1 et L5411-5-1"}
                        consent: {required: true, purposes: [rsa-follow-up]}
                    """;
            Files.writeString(dir.resolve("routes.yaml"), routes);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aRecipientWithoutThePersonsConsentIsRefusedBeforeFranceTravailIsAskedAnything() {
        FRANCE_TRAVAIL.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500)));

        HttpResponse<String> refused = post(port, "/api/v1/partners/ft-51/pulls", token("ml-reims"),
                "application/json", BODY.getBytes(StandardCharsets.UTF_8));

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        JsonNode problem = json(refused);
        assertThat(problem.path("type").asString()).endsWith("/pull-not-allowed");
        assertThat(problem.path("detail").asString()).contains("ml-reims").doesNotContain("2820251108030");
        FRANCE_TRAVAIL.verify(0, anyRequestedFor(anyUrl()));

        HttpResponse<String> events = get(port, "/api/v1/audit/events?nir=2820251108030&limit=500", token("auditor"));
        assertThat(events.statusCode()).isEqualTo(200);
        assertThat(events.body()).contains("refused before reading France Travail").contains("consent")
                .doesNotContain("2820251108030");
    }
}
