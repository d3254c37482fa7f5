package fr.spie.gateway.intake;

import fr.spie.gateway.consent.ConsentCheck;
import fr.spie.gateway.routing.RoutingDecision;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the sender of an exchange reads about one of its deliveries the routing policy blocked: the rule's code and a
 * fixed sentence per rule, built from the delivery's {@code block_rule} column only, never from the recorded reason,
 * which may name the person's consents (their ids, controllers, recipients, purposes, who withdrew them) or the
 * routes' configuration. The admin's view and the audit trail keep the whole reason.
 */
final class SenderBlockReasons {
    private static final String DETAILS = " (an admin sees the whole reason, an auditor finds it in the audit trail)";
    private static final String NEEDS_CONSENT = "the route needs the person's consent and ";
    /** For a delivery whose rule is unknown: blocked before the rule had a column of its own (schema v10). */
    static final String UNKNOWN_RULE = "the routing policy blocked this delivery" + DETAILS;
    private static final Pattern RULE_CODE = Pattern.compile("[a-z][a-z-]{0,63}");
    private static final Map<String, String> SENTENCES = Map.ofEntries(
            Map.entry(RoutingDecision.PURPOSE_MISMATCH, "the route to this recipient is for another purpose than the "
                    + "one the exchange states"),
            Map.entry(RoutingDecision.BASIS_MISMATCH, "the route to this recipient rests on another legal basis than "
                    + "the one the exchange states"),
            Map.entry(RoutingDecision.ROUTE_GONE, "the configuration in force no longer routes this record to this "
                    + "recipient"),
            Map.entry(ConsentCheck.MISSING, NEEDS_CONSENT + "no consent of the person is recorded, or the exchange's "
                    + "subject identifies no person"),
            Map.entry(ConsentCheck.CONTROLLER, NEEDS_CONSENT + "no consent of the person was given to the sender"),
            Map.entry(ConsentCheck.RECIPIENT, NEEDS_CONSENT + "no consent of the person names this recipient"),
            Map.entry(ConsentCheck.PURPOSE, NEEDS_CONSENT + "no consent of the person covers the route's purposes"),
            Map.entry(ConsentCheck.CATEGORY, NEEDS_CONSENT + "no consent of the person covers this type of record"),
            Map.entry(ConsentCheck.FIELDS, NEEDS_CONSENT + "no consent of the person covers every field the route "
                    + "releases"),
            Map.entry(ConsentCheck.NOT_YET_VALID, NEEDS_CONSENT + "the person's consent that comes closest is not in "
                    + "force yet"),
            Map.entry(ConsentCheck.EXPIRED, NEEDS_CONSENT + "the person's consent that comes closest has expired"),
            Map.entry(ConsentCheck.WITHDRAWN, NEEDS_CONSENT + "the person's consent that comes closest was "
                    + "withdrawn"));

    private SenderBlockReasons() {
    }

    /**
     * @param rule the delivery's block rule, null when not recorded
     * @return {@code [rule] sentence}, or the generic sentence when the rule is not recorded (or not a rule code)
     */
    static String of(String rule) {
        if (rule == null || !RULE_CODE.matcher(rule).matches()) {
            return UNKNOWN_RULE;
        }
        String sentence = SENTENCES.get(rule);
        return "[" + rule + "] " + (sentence == null ? "the routing policy blocked this delivery" : sentence) + DETAILS;
    }

    /** The rule as the sender may read it: a rule code, or null. */
    static String code(String rule) {
        return rule != null && RULE_CODE.matcher(rule).matches() ? rule : null;
    }

    /** Whether a fixed sentence is written for this rule. */
    static boolean worded(String rule) {
        return SENTENCES.containsKey(rule);
    }
}
