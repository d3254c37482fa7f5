package fr.spie.gateway.retention;

import static fr.spie.gateway.it.GatewayTestSupport.JSON;
import static fr.spie.gateway.it.GatewayTestSupport.get;
import static fr.spie.gateway.it.GatewayTestSupport.json;
import static fr.spie.gateway.it.GatewayTestSupport.post;
import static fr.spie.gateway.it.GatewayTestSupport.token;
import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.it.GatewayTestSupport;
import fr.spie.gateway.it.RunningGatewayTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.node.ObjectNode;

/** The identity a consent was given with is deleted once the consent has ended for the retention; the consent stays. */
class ConsentSubjectRetentionTest extends RunningGatewayTest {
    @Autowired
    ConsentSubjectRetention retention;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theSubjectOfAWithdrawnOrExpiredConsentIsDeletedAfterTheRetentionAndAnActiveOneIsKept() {
        Instant now = Instant.now();
        ObjectNode withdrawnPerson = person();
        UUID withdrawn = give(withdrawnPerson, null);
        HttpResponse<String> withdrawal = post(port, "/api/v1/consents/" + withdrawn + "/withdraw", token("cd-51"),
                "application/json", "{\"reason\": \"changed their mind\"}".getBytes());
        assertThat(withdrawal.statusCode()).as(withdrawal.body()).isEqualTo(200);
        UUID expiring = give(person(), now.plus(Duration.ofDays(1)));
        UUID active = give(person(), null);

        assertThat(retention.purge(now)).as("nothing ended 90 days ago").isZero();
        retention.purge(now.plus(Duration.ofDays(92)));
        retention.purge(now.plus(Duration.ofDays(92)));

        assertThat(subject(withdrawn)).as("withdrawn 92 days before").isNull();
        assertThat(subject(expiring)).as("expired 91 days before").isNull();
        assertThat(subject(active)).as("still in force").contains("departement-id");
        for (UUID ended : new UUID[] {withdrawn, expiring}) {
            assertThat(jdbc.queryForList("SELECT subject_pseudonym FROM audit_event WHERE event_type = "
                    + "'CONSENT_SUBJECT_DELETED' AND detail LIKE ?", String.class, "consent " + ended + ":%"))
                    .as("audited once, by pseudonym").singleElement().asString().hasSize(64);
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE event_type = "
                + "'CONSENT_SUBJECT_DELETED' AND detail LIKE ?", Long.class, "consent " + active + ":%")).isZero();
        // the consent itself is still found by the person's keys
        String person = "departement-id@cd-51:" + withdrawnPerson.path("identifiers").get(0).path("value").asString();
        assertThat(json(get(port, "/api/v1/consents?person=" + person, token("cd-51"))).path("consents"))
                .singleElement().satisfies(c -> assertThat(c.path("id").asString())
                        .isEqualTo(withdrawn.toString()));
    }

    private UUID give(ObjectNode subject, Instant validUntil) {
        UUID id = UUID.randomUUID();
        ObjectNode receipt = GatewayTestSupport.consentReceipt(id, "ml-reims");
        if (validUntil != null) {
            receipt.put("validUntil", validUntil.toString());
        }
        ObjectNode body = JSON.createObjectNode();
        body.set("subject", subject);
        body.set("consent", receipt);
        HttpResponse<String> given = post(port, "/api/v1/consents", token("cd-51"), "application/json",
                JSON.writeValueAsBytes(body));
        assertThat(given.statusCode()).as(given.body()).isEqualTo(201);
        return id;
    }

    private static ObjectNode person() {
        ObjectNode subject = JSON.createObjectNode();
        subject.putArray("identifiers").addObject().put("scheme", "departement-id")
                .put("value", "D" + UUID.randomUUID().toString().substring(0, 8));
        return subject;
    }

    private String subject(UUID consentId) {
        return jdbc.queryForObject("SELECT subject_json FROM consent WHERE consent_id = ?", String.class, consentId);
    }
}
