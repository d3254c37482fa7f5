package fr.spie.gateway.webhook;

import fr.spie.gateway.SpieProperties;
import fr.spie.gateway.audit.AuditEvent;
import fr.spie.gateway.audit.AuditEventType;
import fr.spie.gateway.audit.AuditTrail;
import fr.spie.gateway.audit.UnauthenticatedRejections;
import fr.spie.gateway.intake.EnvelopeReader;
import fr.spie.gateway.intake.IntakeRejection;
import fr.spie.gateway.privacy.Digests;
import fr.spie.gateway.security.WebhookSignature;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/v1/partners/{partnerId}/webhooks}: webhooks of partners' tools (RDV-Insertion, RDV-Solidarités),
 * authenticated by their HMAC-SHA256 signature of the raw body ({@code X-RDVI-Signature}, {@code X-Lapin-Signature})
 * with the secret configured under {@code spie.webhooks.partners.<partnerId>}. The signature is checked (constant
 * time) before the body is even parsed: missing or wrong → 401, audited WEBHOOK_REJECTED (within the bound per
 * client and window of {@code spie.audit.rejections.*}, the rest counted in a summary event).
 *
 * <p>A valid webhook is recorded (WEBHOOK_RECEIVED: body digest, {@code meta.model} and {@code meta.event} only) and
 * answered 202. The same body signed for the same partner again (the partner's retry, or a replay by whoever captured
 * it) is answered as the first time, with {@code "duplicate": true}, and recorded no more ({@link WebhookReceipts}):
 * rdv webhooks carry {@code meta.timestamp}, so two notifications are never the same bytes. It is not turned into a SPIE record: the {@code {data, meta}} rdv shape of FORMATS.md §5 carries the
 * persons as the partner's own user records, and no mapping from them to a SPIE subject and {@code appointment}
 * payload is built yet; the answer says so.
 */
@RestController
@EnableConfigurationProperties(WebhookSettings.class)
public class PartnerWebhookController {
    private static final Logger log = LoggerFactory.getLogger(PartnerWebhookController.class);
    /**
     * The models RDV-Solidarités sends webhooks for (its WebhookEndpoint subscriptions, FORMATS.md §5), by class
     * name; any other value is written as "?": the field is the partner's text, and a word such as a name passed a
     * mere shape check into the trail and the log.
     */
    static final Set<String> MODELS = Set.of("Rdv", "Absence", "PlageOuverture", "User", "UserProfile",
            "Organisation", "Motif", "Lieu", "Agent", "AgentRole", "ReferentAssignation");
    /** The events of those webhooks; any other value is written as "?". */
    static final Set<String> EVENTS = Set.of("created", "updated", "destroyed");
    private static final Pattern PARTNER_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    static final String NOT_MAPPED = "recorded only: no mapping of this partner's webhooks to SPIE records is "
            + "configured (rdv webhooks carry the partner's user records, not a SPIE subject)";

    private final WebhookSettings settings;
    private final AuditTrail audit;
    private final UnauthenticatedRejections refusals;
    private final WebhookReceipts receipts;
    private final TransactionTemplate tx;
    private final EnvelopeReader reader;

    public PartnerWebhookController(WebhookSettings settings, AuditTrail audit, UnauthenticatedRejections refusals,
                                    WebhookReceipts receipts, TransactionTemplate tx, SpieProperties properties) {
        this.settings = settings;
        this.audit = audit;
        this.refusals = refusals;
        this.receipts = receipts;
        this.tx = tx;
        this.reader = new EnvelopeReader(properties.intake().maxBodySize().toBytes());
    }

    @PostMapping("/api/v1/partners/{partnerId}/webhooks")
    public ResponseEntity<Map<String, Object>> receive(@PathVariable String partnerId, HttpServletRequest request)
            throws IOException {
        WebhookSettings.Endpoint endpoint = settings.partners().get(partnerId);
        if (endpoint == null || endpoint.secret() == null || endpoint.secret().isBlank() || endpoint.header() == null) {
            throw refused(request, partnerId, 404, "webhook-not-configured", "No webhook endpoint",
                    "no webhook is configured for partner '" + partnerId + "' (spie.webhooks.partners)", null);
        }
        byte[] body;
        try {
            body = reader.readBody(request.getInputStream(), request.getContentLengthLong());
        } catch (IntakeRejection tooLarge) {
            throw refused(request, partnerId, tooLarge.status(), tooLarge.problem(), tooLarge.title(),
                    tooLarge.getMessage(), null);
        }
        String digest = Digests.sha256Hex(body);
        String signature = request.getHeader(endpoint.header());
        if (signature == null || signature.isBlank()) {
            throw refused(request, partnerId, 401, "webhook-signature-missing", "Webhook signature missing",
                    "the webhook must carry the " + endpoint.header() + " header (hex HMAC-SHA256 of the raw body)",
                    digest);
        }
        if (!WebhookSignature.verify(endpoint.secret(), body, signature)) {
            throw refused(request, partnerId, 401, "webhook-signature-invalid", "Webhook signature invalid",
                    "the " + endpoint.header() + " header is not the HMAC-SHA256 of this body under the secret "
                            + "shared with partner '" + partnerId + "'", digest);
        }
        // read as the intake reads an envelope: UTF-8 only, a member named twice refused (a lenient parser recorded
        // a UTF-16 body, or the last of two "meta", as understood)
        JsonNode root;
        String why = "";
        try {
            root = reader.parse(body);
        } catch (IntakeRejection unreadable) {
            root = null;
            why = ": " + unreadable.getMessage();
        }
        if (root == null || !root.isObject() || !root.path("meta").isObject()) {
            throw refused(request, partnerId, 400, "webhook-not-understood", "Webhook not understood",
                    "a signed webhook must be a JSON object {data, meta} (FORMATS.md: RDV-Insertion and "
                            + "RDV-Solidarités webhooks)" + why, digest);
        }
        String model = known(root.path("meta").path("model"), MODELS);
        String event = known(root.path("meta").path("event"), EVENTS);
        boolean duplicate = !recordedNow(partnerId, digest, endpoint.header() + " verified; meta.model " + model
                + ", meta.event " + event + "; " + NOT_MAPPED);
        if (duplicate) {
            log.debug("webhook from {} already recorded", partnerId);
        } else {
            log.info("webhook from {} recorded ({} {})", partnerId, model, event);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", "RECORDED");
        answer.put("partner", partnerId);
        answer.put("bodyDigest", digest);
        answer.put("model", model);
        answer.put("event", event);
        answer.put("mapped", false);
        answer.put("explanation", NOT_MAPPED);
        answer.put("duplicate", duplicate);
        return ResponseEntity.accepted().body(answer);
    }

    /**
     * Records the webhook (WEBHOOK_RECEIVED) unless this partner's same body already was: then nothing is written.
     *
     * @return whether this call recorded it
     */
    private boolean recordedNow(String partnerId, String digest, String detail) {
        try {
            tx.executeWithoutResult(s -> {
                receipts.record(partnerId, digest, Instant.now());
                audit.append(AuditEvent.of(AuditEventType.WEBHOOK_RECEIVED, null, partnerId)
                        .withExchange(partnerId, null, null, null, digest, null, null)
                        .withDetail(detail));
            });
            return true;
        } catch (DuplicateKeyException alreadyRecorded) {
            return false;
        }
    }

    /**
     * Audits the refusal (WEBHOOK_REJECTED) within the bound on refusals of callers without a credential
     * ({@link UnauthenticatedRejections}, per kind and client): the caller is not known until the signature is
     * verified, and even a signed request can be replayed by whoever captured it, the signature proving no freshness.
     */
    private IntakeRejection refused(HttpServletRequest request, String partnerId, int status, String problem,
                                    String title, String detail, String digest) {
        String named = nameable(partnerId);
        boolean audited = refusals.record(AuditEvent.of(AuditEventType.WEBHOOK_REJECTED, null, "anonymous")
                .withExchange(null, null, null, null, digest, null, null)
                .withDetail(bounded(status + " " + problem + " (webhook for partner '" + named + "')")),
                request.getRemoteAddr());
        if (audited) {
            log.info("webhook for {} refused: {} {}", named, status, problem);
        } else {
            log.debug("webhook for {} refused: {} {} (counted)", named, status, problem);
        }
        return new IntakeRejection(status, problem, title, detail);
    }

    /**
     * The {partnerId} path segment as the audit trail and the log may show it: a partner configured for webhooks,
     * otherwise "?". The segment comes from an unauthenticated caller and may be anything, a NIR or a name included
     * (which a mere partner-id pattern lets through: a NIR is lowercase letters and digits too).
     */
    private String nameable(String partnerId) {
        return settings.partners().containsKey(partnerId) && PARTNER_ID.matcher(partnerId).matches() ? partnerId : "?";
    }

    private static String known(JsonNode node, Set<String> values) {
        String text = node.isString() ? node.asString() : "";
        return values.contains(text) ? text : "?";
    }

    private static String bounded(String text) {
        return text.length() <= 1000 ? text : text.substring(0, 997) + "...";
    }
}
