package fr.spie.gateway.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static fr.spie.gateway.it.GatewayTestSupport.awaitStatus;
import static fr.spie.gateway.it.GatewayTestSupport.delivery;
import static fr.spie.gateway.it.GatewayTestSupport.get;
import static fr.spie.gateway.it.GatewayTestSupport.json;
import static fr.spie.gateway.it.GatewayTestSupport.post;
import static fr.spie.gateway.it.GatewayTestSupport.submit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import fr.spie.gateway.SpieGatewayMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Hot reload of the routing configuration from a writable copy of the test configuration. */
@SpringBootTest(classes = SpieGatewayMain.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConfigReloadTest {
    static final String ADMIN = "test-token-admin";
    static final WireMockServer RECIPIENT = GatewayTestSupport.startRecipient();
    static final Path DATA = GatewayTestSupport.tempDataDir();
    static final Path CONFIG = copyTestConfig();

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        reloadingGateway(registry, DATA, CONFIG, RECIPIENT);
    }

    /**
     * A gateway on {@code data} whose watcher looks at the copy {@code config} every 200 ms, every recipient of the
     * test configuration served by {@code recipient} (under /cd, /ft, /ml, /ccas), France Travail given 10 attempts.
     */
    static void reloadingGateway(DynamicPropertyRegistry registry, Path data, Path config, WireMockServer recipient) {
        registry.add("spie.data-dir", data::toString);
        registry.add("spie.config-dir", config::toString);
        registry.add("spie.config.reload-interval", () -> "200ms");
        registry.add("TEST_URL_CD_51", () -> recipient.baseUrl() + "/cd");
        registry.add("TEST_URL_FT_51", () -> recipient.baseUrl() + "/ft");
        registry.add("TEST_URL_ML_REIMS", () -> recipient.baseUrl() + "/ml");
        registry.add("TEST_URL_CCAS", () -> recipient.baseUrl() + "/ccas");
        registry.add("TEST_FT_MAX_ATTEMPTS", () -> "10");
    }

    static Path copyTestConfig() {
        try {
            Path dir = GatewayTestSupport.tempDir("spie-reload-config");
            for (String f : new String[] {"access.yaml", "partners.yaml", "routes.yaml"}) {
                Files.copy(Path.of(GatewayTestSupport.TEST_CONFIG, f), dir.resolve(f));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String version() {
        return json(get(port, "/api/v1/admin/config", ADMIN)).path("version").asString();
    }

    @Test
    @Order(1)
    void anInvalidEditIsRefusedWithItsProblemsAndTheRunningConfigStays() throws IOException {
        String before = version();
        String routes = Files.readString(CONFIG.resolve("routes.yaml"));
        Files.writeString(CONFIG.resolve("routes.yaml"), routes.replace("ml-reims: [/date, /needs]",
                "ml-reims: [/date, /needz]"));
        HttpResponse<String> reload = post(port, "/api/v1/admin/config/reload", ADMIN, null, new byte[0]);
        assertThat(reload.statusCode()).isEqualTo(422);
        assertThat(json(reload).path("problems").get(0).asString()).startsWith("routes.yaml:")
                .contains("'/needz'");
        JsonNode config = json(get(port, "/api/v1/admin/config", ADMIN));
        assertThat(config.path("version").asString()).isEqualTo(before);
        assertThat(config.path("lastRefusedReload").path("problems").get(0).asString()).contains("/needz");
        Files.writeString(CONFIG.resolve("routes.yaml"), routes);
        assertThat(json(post(port, "/api/v1/admin/config/reload", ADMIN, null, new byte[0])).path("outcome")
                .asString()).isEqualTo("unchanged");
    }

    @Test
    @Order(2)
    void aWatchedEditWithANewRecipientIsSwappedInAndDelivers() throws IOException {
        RECIPIENT.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        String before = version();
        Files.writeString(CONFIG.resolve("partners.yaml"), Files.readString(CONFIG.resolve("partners.yaml")) + """
                  - id: ccas-reims
                    kind: ccas
                    name: CCAS de Reims (test)
                    delivery:
                      url: "${TEST_URL_CCAS}"
                """);
        Files.writeString(CONFIG.resolve("routes.yaml"), Files.readString(CONFIG.resolve("routes.yaml")) + """
                  - id: orientation-cd-to-ccas
                    description: Orientation decisions to the CCAS
                    recordTypes: [orientation]
                    from: [cd-51]
                    to: [ccas-reims]
                    purpose: rsa-orientation
                    legalBasis: {type: public-task, reference: "CASF art. L262-29"}
                    release:
                      ccas-reims: [/path, /status]
                """);
        await().atMost(Duration.ofSeconds(10)).until(() -> !version().equals(before));

        ObjectNode envelope = GatewayTestSupport.example("orientation.psp-pending");
        assertThat(submit(port, "cd-51", envelope).statusCode()).isEqualTo(202);
        String id = envelope.path("exchangeId").asString();
        JsonNode status = awaitStatus(port, "cd-51", id,
                s -> "DELIVERED".equals(delivery(s, "ccas-reims").path("status").asString()),
                Duration.ofSeconds(20));
        assertThat(delivery(status, "ccas-reims").path("route").asString()).isEqualTo("orientation-cd-to-ccas");
        JsonNode received = RECIPIENT.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().equals("/ccas"))
                .map(e -> GatewayTestSupport.JSON.readTree(e.getRequest().getBodyAsString())).findFirst()
                .orElseThrow();
        assertThat(received.path("payload").propertyNames()).containsExactlyInAnyOrder("path", "status");
    }

    @Test
    @Order(3)
    void aDeliveryReleasedUnderAReloadedConfigIsAuditedWithThatVersion() throws IOException {
        RECIPIENT.resetAll();
        RECIPIENT.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503).withFixedDelay(300)));
        ObjectNode envelope = GatewayTestSupport.example("orientation.psp-pending");
        assertThat(submit(port, "cd-51", envelope).statusCode()).isEqualTo(202);
        String id = envelope.path("exchangeId").asString();
        awaitStatus(port, "cd-51", id, s -> delivery(s, "ft-51").path("attempts").asInt() >= 1,
                Duration.ofSeconds(20));

        String before = version();
        String routes = Files.readString(CONFIG.resolve("routes.yaml"));
        String orientationToFt = "    legalBasis: {type: public-task, reference: \"CASF art. L262-29\"}\n"
                + "  - id: jobseeker-ft-to-cd";
        assertThat(routes).contains(orientationToFt);
        Files.writeString(CONFIG.resolve("routes.yaml"), routes.replace(orientationToFt,
                "    legalBasis: {type: public-task, reference: \"CASF art. L262-29\"}\n"
                        + "    release:\n      ft-51: [/path, /status]\n  - id: jobseeker-ft-to-cd"));
        await().atMost(Duration.ofSeconds(10)).until(() -> !version().equals(before));
        String after = version();
        // the attempt in flight during the reload may have been released under the old version: wait for it
        int atReload = delivery(GatewayTestSupport.status(port, "cd-51", id), "ft-51").path("attempts").asInt();
        awaitStatus(port, "cd-51", id, s -> delivery(s, "ft-51").path("attempts").asInt() > atReload,
                Duration.ofSeconds(20));
        RECIPIENT.resetAll();
        RECIPIENT.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        awaitStatus(port, "cd-51", id, s -> "DELIVERED".equals(delivery(s, "ft-51").path("status").asString()),
                Duration.ofSeconds(20));

        var delivered = jdbc.queryForMap("SELECT detail, config_version FROM audit_event WHERE exchange_id = ? "
                + "AND event_type = 'DELIVERED' AND recipient = 'ft-51'", java.util.UUID.fromString(id));
        assertThat((String) delivered.get("detail")).contains("released fields /path, /status",
                "config " + after.substring(0, 12));
        assertThat(((String) delivered.get("config_version")).trim()).as("the version the release was decided under")
                .isEqualTo(after);
    }
}
