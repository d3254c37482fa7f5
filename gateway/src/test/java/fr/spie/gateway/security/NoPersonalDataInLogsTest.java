package fr.spie.gateway.security;

import static fr.spie.gateway.it.GatewayTestSupport.example;
import static fr.spie.gateway.it.GatewayTestSupport.get;
import static fr.spie.gateway.it.GatewayTestSupport.json;
import static fr.spie.gateway.it.GatewayTestSupport.post;
import static fr.spie.gateway.it.GatewayTestSupport.submit;
import static fr.spie.gateway.it.GatewayTestSupport.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.spie.gateway.it.RunningGatewayTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue 6, point 5: a demo-like flow (example envelopes of several types and partners, refusals, a CNAF file) leaves
 * no NIR, birth name, given name or token in any log line.
 */
@ExtendWith(OutputCaptureExtension.class)
class NoPersonalDataInLogsTest extends RunningGatewayTest {
    private static final Map<String, String> EXAMPLES = Map.of(
            "person.applicant-with-nir", "caf-51",
            "person.born-abroad-no-nir", "caf-51",
            "rsa-situation.open-payable-applicant", "caf-51",
            "rsa-situation.payment-suspended-spouse", "caf-51",
            "orientation.psp-pending", "cd-51",
            "orientation.ped-france-travail", "cd-51",
            "jobseeker-situation.registered-renforce", "ft-51",
            "diagnostic.complete", "cd-51");

    @Test
    void noIdentityOrTokenInAnyLogLine(CapturedOutput output) throws IOException {
        Set<String> secrets = new LinkedHashSet<>();
        List<String> accepted = new ArrayList<>();
        for (Map.Entry<String, String> e : EXAMPLES.entrySet()) {
            String name = e.getKey().replace(".valid", "");
            ObjectNode envelope = example(name);
            collectIdentity(envelope.path("subject"), secrets);
            var response = submit(port, e.getValue(), envelope);
            assertThat(response.statusCode()).as(name + ": " + response.body()).isIn(202, 403);
            if (response.statusCode() == 202) {
                accepted.add(e.getValue() + "/" + envelope.path("exchangeId").asString());
            }
            // refusals: a schema error, another partner's source, a wrong token
            ObjectNode bad = envelope.deepCopy();
            bad.put("exchangeId", java.util.UUID.randomUUID().toString());
            ((ObjectNode) bad.path("subject")).put("birthDate", "not a date");
            submit(port, e.getValue(), bad);
            submit(port, "ml-reims", envelope);
            post(port, "/api/v1/exchanges", "wrong-" + token(e.getValue()), "application/json",
                    envelope.toString().getBytes(StandardCharsets.UTF_8));
        }
        byte[] cnaf = cnaf();
        Matcher m = Pattern.compile("<(NIR|NOM|NOMNAI|PRENOM)>([^<]+)</").matcher(new String(cnaf,
                StandardCharsets.UTF_8));
        while (m.find()) {
            secrets.add(m.group(2).trim());
        }
        var upload = post(port, "/api/v1/partners/caf-51/files?name=RSABEM_logs.xml", token("caf-51"),
                "application/xml", cnaf);
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(202);
        String fileId = json(upload).path("fileId").asString();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            String status = json(get(port, "/api/v1/files/" + fileId, token("caf-51"))).path("status").asString();
            return "DONE".equals(status) || "QUARANTINED".equals(status) || "FAILED".equals(status);
        });
        for (String id : accepted) {
            String[] parts = id.split("/");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                    !"ACCEPTED".equals(json(get(port, "/api/v1/exchanges/" + parts[1], token(parts[0])))
                            .path("status").asString()));
        }
        // operators' calls too
        get(port, "/api/v1/audit/events?limit=10", token("auditor"));
        get(port, "/api/v1/admin/config", token("admin"));

        for (String who : List.of("caf-51", "cd-51", "ft-51", "ml-reims", "admin", "auditor")) {
            secrets.add(token(who));
        }
        secrets.removeIf(s -> s.length() < 4);
        assertThat(secrets).hasSizeGreaterThan(10);

        List<String> leaks = new ArrayList<>();
        String[] lines = output.getAll().split("\\R");
        assertThat(lines.length).isGreaterThan(10);
        for (String line : lines) {
            for (String secret : secrets) {
                if (line.contains(secret)) {
                    leaks.add(secret.substring(0, 3) + "… in: " + line);
                }
            }
        }
        assertThat(leaks).isEmpty();
    }

    /**
     * The {partnerId} of the webhook endpoint is whatever an unauthenticated caller typed: a NIR, a name, text made
     * to look like another log line. Neither the log nor the audit trail repeats it unless it is a partner
     * configured for webhooks.
     */
    @Test
    void aWebhookPathSegmentIsNeitherLoggedNorAuditedUnlessItIsAConfiguredPartner(CapturedOutput output) {
        String nir = example("person.applicant-with-nir").path("subject").path("nir").asString();
        String forged = "refused-by-admin-webhook-from-cd-51-recorded";
        byte[] body = "{\"data\":{},\"meta\":{\"model\":\"Rdv\",\"event\":\"created\"}}"
                .getBytes(StandardCharsets.UTF_8);
        for (String segment : List.of(nir, forged, "dupont%20marie")) {
            var refused = post(port, "/api/v1/partners/" + segment + "/webhooks", null, "application/json", body);
            assertThat(refused.statusCode()).as(segment + ": " + refused.body()).isEqualTo(404);
        }
        // a configured partner's refusal is still named
        var unsigned = post(port, "/api/v1/partners/rdvi-51/webhooks", null, "application/json", body);
        assertThat(unsigned.statusCode()).isEqualTo(401);

        assertThat(output.getAll()).contains("webhook for rdvi-51 refused: 401")
                .doesNotContain(nir, forged, "dupont");
        var events = json(get(port, "/api/v1/audit/events?eventType=WEBHOOK_REJECTED&limit=1000",
                token("auditor"))).path("events");
        assertThat(events.valueStream().map(e -> e.path("detail").asString()).toList())
                .anySatisfy(detail -> assertThat(detail).contains("404 webhook-not-configured"))
                .allSatisfy(detail -> assertThat(detail).doesNotContain(nir, forged, "dupont"));
    }

    /** NIR (and its 13-digit root), birth and usual names, given names. */
    private static void collectIdentity(JsonNode subject, Set<String> secrets) {
        String nir = subject.path("nir").asString("");
        if (!nir.isEmpty()) {
            secrets.add(nir);
            secrets.add(nir.substring(0, Math.min(13, nir.length())));
        }
        secrets.add(subject.path("birthName").asString(""));
        secrets.add(subject.path("usualName").asString(""));
        subject.path("givenNames").forEach(g -> secrets.add(g.asString("")));
    }

    private static byte[] cnaf() throws IOException {
        try (InputStream in = NoPersonalDataInLogsTest.class.getResourceAsStream("/files/cnaf-monthly.xml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("77777", "39999")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }
}
