package fr.spie.gateway.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static fr.spie.gateway.it.GatewayTestSupport.JSON;
import static fr.spie.gateway.it.GatewayTestSupport.delivery;
import static fr.spie.gateway.it.GatewayTestSupport.post;
import static fr.spie.gateway.it.GatewayTestSupport.submit;
import static fr.spie.gateway.it.GatewayTestSupport.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A consent withdrawn while records that rest on it are being delivered (docs/routing.md, "Withdrawal takes effect at
 * once"): after the withdrawal's answer no delivery under the consent starts; the one in flight may finish, and its
 * recipient, which then received data about the person, is sent the withdrawal notice.
 */
class WithdrawalDuringDeliveryTest extends RunningGatewayTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void afterTheWithdrawalsAnswerNoDeliveryUnderTheConsentStarts() {
        ObjectNode subject = ConsentFlowTest.person();
        UUID consentId = give(subject);
        ML_REIMS.resetAll();
        ML_REIMS.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(150)));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ObjectNode diagnostic = ConsentFlowTest.diagnostic(subject);
            assertThat(submit(port, "cd-51", diagnostic).statusCode()).isEqualTo(202);
            ids.add(diagnostic.path("exchangeId").asString());
        }
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> received(ids).size() >= 3);

        HttpResponse<String> withdrawn = withdraw(consentId);
        Instant answered = Instant.now();

        assertThat(withdrawn.statusCode()).as(withdrawn.body()).isEqualTo(200);
        List<JsonNode> settled = ids.stream().map(this::settled).toList();
        List<LoggedRequest> received = received(ids);
        // the records are delivered in order, one at a time (one person): at most the one in flight started later,
        // and only by the time a thread takes to go from its check to its request
        assertThat(received.stream().filter(r -> r.getLoggedDate().toInstant().isAfter(answered)))
                .as("deliveries started after the withdrawal's answer").hasSizeLessThanOrEqualTo(1)
                .allSatisfy(r -> assertThat(r.getLoggedDate().toInstant()).isBefore(answered.plusMillis(500)));
        long delivered = settled.stream().filter(s -> "DELIVERED".equals(delivery(s, "ml-reims").path("status")
                .asString())).count();
        assertThat(received).hasSize((int) delivered);
        assertThat(settled).allSatisfy(s -> assertThat(delivery(s, "ml-reims").path("status").asString())
                .isIn("DELIVERED", "BLOCKED"));
        assertThat(delivered).as("delivered before the withdrawal").isBetween(3L, 11L);
    }

    @Test
    void theRecipientOfADeliveryInFlightDuringTheWithdrawalIsSentTheNotice() {
        ObjectNode subject = ConsentFlowTest.person();
        UUID consentId = give(subject);
        ML_REIMS.resetAll();
        ML_REIMS.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(1500)));
        ObjectNode diagnostic = ConsentFlowTest.diagnostic(subject);
        String id = diagnostic.path("exchangeId").asString();
        assertThat(submit(port, "cd-51", diagnostic).statusCode()).isEqualTo(202);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> !received(List.of(id)).isEmpty());

        // withdrawn while the recipient is receiving the record: the delivery finishes (it had started)
        assertThat(withdraw(consentId).statusCode()).isEqualTo(200);

        assertThat(delivery(settled(id), "ml-reims").path("status").asString()).isEqualTo("DELIVERED");
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> !notices(consentId).isEmpty());
        JsonNode notice = JSON.readTree(notices(consentId).get(0).getRequest().getBodyAsString());
        assertThat(notice.path("noticeType").asString()).isEqualTo("consent-withdrawn");
        assertThat(notice.path("routeId").asString()).isEqualTo("diagnostic-cd-to-ml-consent");
        assertThat(notice.path("subject")).isEqualTo(subject);
        sleep(500);
        assertThat(notices(consentId)).hasSize(1);
    }

    private UUID give(JsonNode subject) {
        UUID consentId = UUID.randomUUID();
        ObjectNode body = JSON.createObjectNode();
        body.set("subject", subject);
        body.set("consent", ConsentFlowTest.receipt(consentId, "ml-reims"));
        assertThat(post(port, "/api/v1/consents", token("cd-51"), "application/json", JSON.writeValueAsBytes(body))
                .statusCode()).isEqualTo(201);
        return consentId;
    }

    private HttpResponse<String> withdraw(UUID consentId) {
        return post(port, "/api/v1/consents/" + consentId + "/withdraw", token("cd-51"), "application/json",
                "{\"reason\": \"the person asked\"}".getBytes());
    }

    private JsonNode settled(String id) {
        return GatewayTestSupport.awaitStatus(port, "cd-51", id, s -> {
            String st = delivery(s, "ml-reims").path("status").asString();
            return st.equals("DELIVERED") || st.equals("BLOCKED") || st.equals("DEAD_LETTERED");
        }, WAIT);
    }

    private static List<LoggedRequest> received(List<String> ids) {
        List<LoggedRequest> all = new ArrayList<>();
        for (String id : ids) {
            all.addAll(ML_REIMS.findAll(postRequestedFor(anyUrl()).withHeader("X-Spie-Exchange-Id", equalTo(id))));
        }
        return all;
    }

    private static List<ServeEvent> notices(UUID consentId) {
        return ML_REIMS.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getBodyAsString().contains("\"consentId\":\"" + consentId + "\"")
                        && e.getRequest().getBodyAsString().contains("consent-withdrawn"))
                .toList();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
