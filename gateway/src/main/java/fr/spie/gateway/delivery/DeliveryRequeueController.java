package fr.spie.gateway.delivery;

import fr.spie.gateway.intake.IntakeRejection;
import fr.spie.gateway.routing.RoutingConfigHolder;
import fr.spie.gateway.security.GatewayPrincipal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/v1/admin/deliveries/requeue} (ADMIN only): body {@code {"recipient": "...", "reason": "..."}}, or
 * {@code {"all": true, "reason": "..."}} for every recipient; answers 200 {@code {"requeued": n, ...}}. See
 * {@link PendingDeliveriesRequeue} and docs/operations.md, "Backup and restore".
 */
@RestController
public class DeliveryRequeueController {
    private static final Set<String> MEMBERS = Set.of("recipient", "all", "reason");
    private final PendingDeliveriesRequeue requeue;
    private final RoutingConfigHolder config;

    public DeliveryRequeueController(PendingDeliveriesRequeue requeue, RoutingConfigHolder config) {
        this.requeue = requeue;
        this.config = config;
    }

    @PostMapping("/api/v1/admin/deliveries/requeue")
    public Map<String, Object> requeue(@RequestBody JsonNode body, @AuthenticationPrincipal GatewayPrincipal caller) {
        if (body == null || !body.isObject()) {
            throw bad("the body must be a JSON object: {\"recipient\": \"...\", \"reason\": \"...\"} or "
                    + "{\"all\": true, \"reason\": \"...\"}");
        }
        for (String name : body.propertyNames()) {
            if (!MEMBERS.contains(name)) {
                throw bad("unknown member '" + name + "': the members are recipient, all and reason");
            }
        }
        String recipient = body.path("recipient").isString() ? body.path("recipient").asString().strip() : null;
        boolean all = body.path("all").isBoolean() && body.path("all").asBoolean();
        if ((recipient == null || recipient.isEmpty()) == !all) {
            throw bad("give either 'recipient' (a partner id) or \"all\": true");
        }
        if (!all && config.current().partner(recipient).isEmpty()) {
            throw new IntakeRejection(400, "unknown-recipient", "Unknown recipient",
                    "no partner '" + recipient + "' in the configuration in force");
        }
        String reason = body.path("reason").isString() ? body.path("reason").asString().strip() : "";
        if (reason.isEmpty() || reason.length() > 300) {
            throw new IntakeRejection(400, "reason-required", "A reason is required",
                    "'reason' must have 1 to 300 characters (it goes to the audit trail: name the incident, no "
                            + "personal data)");
        }
        int n = requeue.requeue(all ? null : recipient, reason, caller.id());
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("recipient", all ? null : recipient);
        view.put("requeued", n);
        return view;
    }

    private static IntakeRejection bad(String detail) {
        return new IntakeRejection(400, "bad-request", "Bad request", detail);
    }
}
