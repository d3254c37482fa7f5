package fr.spie.gateway.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
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

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Dead letters for admins: list (metadata only), replay re-checked at replay time, discard with a reason. */
class DeadLetterTest extends RunningGatewayTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void anAdminListsReplaysAndDiscardsDeadLetters() {
        ML_REIMS.resetAll();
        ML_REIMS.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(422)));
        String replayed = deadLetter();
        String discarded = deadLetter();

        JsonNode page = json(get(port, "/api/v1/admin/dead-letters?recipient=ml-reims&limit=500", token("admin")));
        JsonNode item = item(page, replayed);
        assertThat(item.path("recipient").asString()).isEqualTo("ml-reims");
        assertThat(item.path("routeId").asString()).isNotBlank();
        assertThat(item.path("recordType").asString()).isEqualTo("person");
        assertThat(item.path("sourcePartner").asString()).isEqualTo("caf-51");
        assertThat(item.path("attempts").asInt()).isEqualTo(1);
        assertThat(item.path("lastError").asString()).isEqualTo("HTTP 422");
        assertThat(item.path("deadLetteredAt").asString()).isNotBlank();
        assertThat(item.path("replayable").asBoolean()).isTrue();
        assertThat(page.path("total").asLong()).isGreaterThanOrEqualTo(2);
        // metadata only: nothing of the envelope
        assertThat(page.toString()).doesNotContain("payload").doesNotContain("subject").doesNotContain("nir");
        JsonNode paged = json(get(port, "/api/v1/admin/dead-letters?recipient=ml-reims&limit=1", token("admin")));
        assertThat(paged.path("items")).hasSize(1);
        assertThat(paged.path("total").asLong()).isEqualTo(page.path("total").asLong());

        // the recipient is fixed: the replay reaches it, under the Idempotency-Key of the attempt that was refused
        String key = ML_REIMS.findAll(postRequestedFor(anyUrl()).withHeader("X-Spie-Exchange-Id", equalTo(replayed)))
                .get(0).getHeader("Idempotency-Key");
        ML_REIMS.resetAll();
        ML_REIMS.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        JsonNode replay = json(admin("/replay", Map.of("recipient", "ml-reims", "exchangeIds", List.of(replayed))));
        assertThat(replay.path("results").get(0).path("outcome").asString()).isEqualTo("REPLAYED");
        JsonNode status = awaitStatus(port, "caf-51", replayed,
                s -> "DELIVERED".equals(delivery(s, "ml-reims").path("status").asString()), WAIT);
        assertThat(delivery(status, "ml-reims").path("attempts").asInt()).isEqualTo(1);
        ML_REIMS.verify(1, postRequestedFor(anyUrl()).withHeader("X-Spie-Exchange-Id", equalTo(replayed))
                .withHeader("Idempotency-Key", equalTo(key)));
        assertThat(audit(replayed)).containsSubsequence("DEAD_LETTERED", "DEAD_LETTER_REPLAYED:test-admin",
                "DELIVERY_ATTEMPTED", "DELIVERED");

        // discard needs a reason
        HttpResponse<String> noReason = admin("/discard", Map.of("recipient", "ml-reims",
                "exchangeIds", List.of(discarded)));
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(noReason.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
        JsonNode discard = json(admin("/discard", Map.of("recipient", "ml-reims", "exchangeIds", List.of(discarded),
                "reason", "obsolete record, superseded by a later one")));
        assertThat(discard.path("results").get(0).path("outcome").asString()).isEqualTo("DISCARDED");
        JsonNode gone = awaitStatus(port, "caf-51", discarded, s -> true, WAIT);
        assertThat(gone.path("status").asString()).isEqualTo("DISCARDED");
        assertThat(delivery(gone, "ml-reims").path("status").asString()).isEqualTo("DISCARDED");
        // the admin's reason, typed by a person, is for the admin and the audit trail, not the sender
        assertThat(delivery(gone, "ml-reims").path("lastError").asString()).startsWith("discarded by an administrator")
                .doesNotContain("obsolete record");
        assertThat(delivery(GatewayTestSupport.status(port, "admin", discarded), "ml-reims").path("lastError")
                .asString()).contains("obsolete record, superseded by a later one");
        assertThat(audit(discarded)).endsWith("DEAD_LETTER_DISCARDED:test-admin");
        assertThat(jdbc.queryForObject("SELECT detail FROM audit_event WHERE exchange_id = ? AND event_type = "
                + "'DEAD_LETTER_DISCARDED'", String.class, UUID.fromString(discarded)))
                .contains("obsolete record, superseded by a later one");

        // neither is a dead letter any more: a second replay does nothing
        JsonNode again = json(admin("/replay", Map.of("recipient", "ml-reims",
                "exchangeIds", List.of(replayed, discarded))));
        assertThat(again.path("counts").path("skipped").asInt()).isEqualTo(2);
        JsonNode after = json(get(port, "/api/v1/admin/dead-letters?recipient=ml-reims&limit=500", token("admin")));
        assertThat(ids(after)).doesNotContain(replayed, discarded);
    }

    @Test
    void aReplayIsCheckedAgainAtReplayTimeAndRefusedWithItsReason() {
        ML_REIMS.resetAll();
        ML_REIMS.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(422)));
        String routeGone = deadLetter();
        String invalid = deadLetter();
        String copyDeleted = deadLetter();
        // the route it came by no longer exists in the configuration in force
        jdbc.update("UPDATE delivery SET route_id = 'route-removed-since' WHERE exchange_id = ? AND recipient = ?",
                UUID.fromString(routeGone), "ml-reims");
        // the envelope no longer validates (as after a schema change)
        ObjectNode broken = (ObjectNode) JSON.readTree(jdbc.queryForObject(
                "SELECT envelope FROM exchange_payload WHERE exchange_id = ?", String.class, UUID.fromString(invalid)));
        broken.remove("recordType");
        jdbc.update("UPDATE exchange_payload SET envelope = ? WHERE exchange_id = ?", broken.toString(),
                UUID.fromString(invalid));
        // the envelope copy was deleted at the end of its retention
        jdbc.update("DELETE FROM exchange_payload WHERE exchange_id = ?", UUID.fromString(copyDeleted));
        JsonNode listed = item(json(get(port, "/api/v1/admin/dead-letters?recipient=ml-reims&limit=500",
                token("admin"))), copyDeleted);
        assertThat(listed.path("replayable").asBoolean()).isFalse();
        ML_REIMS.resetAll();
        ML_REIMS.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));

        JsonNode replay = json(admin("/replay", Map.of("recipient", "ml-reims",
                "exchangeIds", List.of(routeGone, invalid, copyDeleted))));

        assertThat(replay.path("counts").path("refused").asInt()).isEqualTo(3);
        assertThat(result(replay, routeGone).path("reason").asString()).contains("route-not-in-config");
        assertThat(result(replay, invalid).path("reason").asString()).contains("no longer validates");
        assertThat(result(replay, copyDeleted).path("reason").asString()).contains("cannot be replayed");
        // refused by the policy in force: blocked for good; the others stay dead letters (to discard)
        assertThat(deliveryStatus(routeGone)).isEqualTo("BLOCKED");
        // its sender reads the rule in a fixed sentence, not the reason recorded at replay (admins read it)
        JsonNode seen = awaitStatus(port, "caf-51", routeGone, s -> true, WAIT);
        assertThat(delivery(seen, "ml-reims").path("blockRule").asString()).isEqualTo("route-not-in-config");
        assertThat(delivery(seen, "ml-reims").path("lastError").asString())
                .startsWith("[route-not-in-config] the configuration in force no longer routes")
                .doesNotContain("route-removed-since", "at replay");
        JsonNode asAdmin = json(get(port, "/api/v1/exchanges/" + routeGone, token("admin")));
        assertThat(delivery(asAdmin, "ml-reims").path("lastError").asString())
                .startsWith("at replay: [route-not-in-config] route 'route-removed-since'");
        assertThat(deliveryStatus(invalid)).isEqualTo("DEAD_LETTERED");
        assertThat(deliveryStatus(copyDeleted)).isEqualTo("DEAD_LETTERED");
        for (String id : List.of(routeGone, invalid, copyDeleted)) {
            assertThat(audit(id)).endsWith("DEAD_LETTER_REPLAY_REFUSED:test-admin");
        }
        ML_REIMS.verify(0, postRequestedFor(anyUrl()));
        // the refusal's detail names pointers and rules, never the envelope's values
        String detail = jdbc.queryForObject("SELECT detail FROM audit_event WHERE exchange_id = ? AND event_type = "
                + "'DEAD_LETTER_REPLAY_REFUSED'", String.class, UUID.fromString(invalid));
        assertThat(detail).doesNotContain(broken.path("subject").toString());

        JsonNode discard = json(admin("/discard", Map.of("recipient", "ml-reims", "all", true,
                "reason", "cannot be replayed")));
        assertThat(ids(discard.path("results"))).contains(invalid, copyDeleted).doesNotContain(routeGone);
    }

    @Test
    void everyDeadLetterOfARecipientIsReplayedByFilter() {
        ML_REIMS.resetAll();
        ML_REIMS.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(422)));
        List<String> ids = List.of(deadLetter(), deadLetter(), deadLetter());
        ML_REIMS.resetAll();
        ML_REIMS.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));

        JsonNode replay = json(admin("/replay", Map.of("recipient", "ml-reims", "all", true,
                "recordType", "person")));

        assertThat(ids(replay.path("results"))).containsAll(ids);
        for (String id : ids) {
            awaitStatus(port, "caf-51", id, s -> "DELIVERED".equals(delivery(s, "ml-reims").path("status")
                    .asString()), WAIT);
        }
    }

    /**
     * "all" replays what can be replayed: a dead letter whose copy was deleted can only be discarded, and left in the
     * selection it would come back first at every call (oldest first, at most 1,000 per call), with a refusal audited
     * each time, and could hold the replayable ones behind it.
     */
    @Test
    void replayingAllLeavesOutTheDeadLettersThatCanOnlyBeDiscarded() {
        ML_REIMS.resetAll();
        ML_REIMS.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(422)));
        String copyDeleted = deadLetter();
        String replayable = deadLetter();
        jdbc.update("DELETE FROM exchange_payload WHERE exchange_id = ?", UUID.fromString(copyDeleted));
        ML_REIMS.resetAll();
        ML_REIMS.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));

        JsonNode replay = json(admin("/replay", Map.of("recipient", "ml-reims", "all", true)));

        assertThat(ids(replay.path("results"))).contains(replayable).doesNotContain(copyDeleted);
        assertThat(audit(copyDeleted)).doesNotContain("DEAD_LETTER_REPLAY_REFUSED:test-admin");
        assertThat(deliveryStatus(copyDeleted)).isEqualTo("DEAD_LETTERED");
        JsonNode discard = json(admin("/discard", Map.of("recipient", "ml-reims", "all", true,
                "reason", "copy deleted")));
        assertThat(ids(discard.path("results"))).contains(copyDeleted);
    }

    @Test
    void badRequestsAreRefusedWithAProblem() {
        assertThat(admin("/replay", Map.of("exchangeIds", List.of(UUID.randomUUID().toString()))).statusCode())
                .isEqualTo(400);
        assertThat(admin("/replay", Map.of("recipient", "ml-reims")).statusCode()).isEqualTo(400);
        assertThat(admin("/replay", Map.of("recipient", "ml-reims", "exchangeIds", List.of("not-a-uuid")))
                .statusCode()).isEqualTo(400);
        assertThat(get(port, "/api/v1/admin/dead-letters?limit=0", token("admin")).statusCode()).isEqualTo(400);
        JsonNode unknown = json(admin("/replay", Map.of("recipient", "ml-reims",
                "exchangeIds", List.of(UUID.randomUUID().toString()))));
        assertThat(unknown.path("counts").path("skipped").asInt()).isEqualTo(1);
    }

    /** Submits a record for ml-reims (which refuses it for good) and waits until it is a dead letter. */
    private String deadLetter() {
        ObjectNode envelope = example("person.applicant-with-nir");
        String id = envelope.path("exchangeId").asString();
        assertThat(submit(port, "caf-51", envelope).statusCode()).isEqualTo(202);
        awaitStatus(port, "caf-51", id, s -> "DEAD_LETTERED".equals(s.path("status").asString()), WAIT);
        return id;
    }

    private HttpResponse<String> admin(String path, Map<String, Object> body) {
        return post(port, "/api/v1/admin/dead-letters" + path, token("admin"), "application/json",
                JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8));
    }

    private List<String> audit(String exchangeId) {
        return jdbc.queryForList("SELECT event_type || CASE WHEN actor = 'gateway' THEN '' ELSE ':' || actor END "
                + "FROM audit_event WHERE exchange_id = ? AND recipient = 'ml-reims' ORDER BY seq", String.class,
                UUID.fromString(exchangeId));
    }

    private String deliveryStatus(String exchangeId) {
        return jdbc.queryForObject("SELECT status FROM delivery WHERE exchange_id = ? AND recipient = 'ml-reims'",
                String.class, UUID.fromString(exchangeId));
    }

    private static JsonNode item(JsonNode page, String exchangeId) {
        for (JsonNode d : page.path("items")) {
            if (exchangeId.equals(d.path("exchangeId").asString())) {
                return d;
            }
        }
        throw new AssertionError("no dead letter " + exchangeId + " in " + page);
    }

    private static JsonNode result(JsonNode answer, String exchangeId) {
        for (JsonNode r : answer.path("results")) {
            if (exchangeId.equals(r.path("exchangeId").asString())) {
                return r;
            }
        }
        throw new AssertionError("no result for " + exchangeId + " in " + answer);
    }

    private static List<String> ids(JsonNode pageOrResults) {
        JsonNode items = pageOrResults.has("items") ? pageOrResults.path("items") : pageOrResults;
        List<String> ids = new ArrayList<>();
        items.forEach(d -> ids.add(d.path("exchangeId").asString()));
        return ids;
    }
}
