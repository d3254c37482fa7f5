package fr.spie.gateway.routing;

import java.util.UUID;

/**
 * What the routing policy decided for one candidate recipient of an exchange.
 *
 * @param recipient the recipient partner id
 * @param routeId   the route that made the decision
 * @param deliver   true: deliver; false: blocked
 * @param reason    the rule that made the decision, in words an admin understands
 * @param rule      the rule's code: released, purpose-mismatch, legal-basis-mismatch, consent-granted,
 *                  consent-not-checked, or one of the consent-* refusals of {@code ConsentCheck}
 * @param consentId the consent that granted (or came closest to granting) the release, or null
 */
public record RoutingDecision(String recipient, String routeId, boolean deliver, String reason, String rule,
                              UUID consentId) {
    public static final String RELEASED = "released";
    public static final String PURPOSE_MISMATCH = "purpose-mismatch";
    public static final String BASIS_MISMATCH = "legal-basis-mismatch";
    public static final String CONSENT_NOT_CHECKED = "consent-not-checked";
    public static final String ROUTE_GONE = "route-not-in-config";

    public RoutingDecision(String recipient, String routeId, boolean deliver, String reason) {
        this(recipient, routeId, deliver, reason, deliver ? RELEASED : PURPOSE_MISMATCH, null);
    }

    /** The reason prefixed with its rule, as the audit trail and the delivery row keep it. */
    public String explained() {
        return "[" + rule + "] " + reason;
    }
}
