package fr.spie.gateway.routing;

import fr.spie.gateway.config.GatewayConfig;
import fr.spie.gateway.config.Partner;
import fr.spie.gateway.config.PartnerKind;
import fr.spie.gateway.config.Route;
import fr.spie.gateway.consent.ConsentCheck;
import fr.spie.gateway.consent.ConsentLookup;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides, from the routing configuration, which recipients receive an exchange. A route applies to the records it
 * lists from the partners it lists; it releases them to its recipients only for the route's own purpose and legal
 * basis — an exchange that states another purpose or basis is blocked for that route's recipients — and, when the
 * route needs the person's consent, only to the recipients a valid consent of the person covers (recipient,
 * purposes, record type and released fields; given, not expired, not withdrawn).
 */
public final class RoutingPolicy {

    /** The facts of an exchange that routing looks at; the subject pseudonym is null when the subject has no key. */
    public record Request(String sourcePartner, String recordType, String purpose, String legalBasisType,
                          String subjectPseudonym) {
        public Request(String sourcePartner, String recordType, String purpose, String legalBasisType) {
            this(sourcePartner, recordType, purpose, legalBasisType, null);
        }
    }

    /** True when at least one route carries this record type from this partner. */
    public boolean maySend(GatewayConfig config, String sourcePartner, String recordType) {
        return !config.routesFor(sourcePartner, recordType).isEmpty();
    }

    /** Decides without the consent registry: consent requirements are reported as not checked (offline explain). */
    public List<RoutingDecision> decide(GatewayConfig config, Request request) {
        return decide(config, request, null, Instant.now());
    }

    /**
     * One decision per candidate recipient, in route order. A recipient reached by several routes is decided once:
     * delivered by the first route that releases it, otherwise blocked by the first route that names it.
     *
     * @param consents the consent registry; null: consent is not checked (offline), the decision says so
     */
    public List<RoutingDecision> decide(GatewayConfig config, Request request, ConsentLookup consents, Instant now) {
        Map<String, RoutingDecision> byRecipient = new LinkedHashMap<>();
        for (Route route : config.routesFor(request.sourcePartner(), request.recordType())) {
            for (String recipient : route.to()) {
                RoutingDecision decision = decideRoute(config, route, recipient, request, consents, now);
                RoutingDecision previous = byRecipient.get(recipient);
                if (previous == null || (!previous.deliver() && decision.deliver())) {
                    byRecipient.put(recipient, decision);
                }
            }
        }
        return new ArrayList<>(byRecipient.values());
    }

    /** The decision of one route for one of its recipients (also the re-check at delivery time). */
    public RoutingDecision decideRoute(GatewayConfig config, Route route, String recipient, Request request,
                                       ConsentLookup consents, Instant now) {
        if (!route.purpose().equals(request.purpose())) {
            return new RoutingDecision(recipient, route.id(), false, "route '" + route.id() + "' is for purpose '"
                    + route.purpose() + "', the exchange states '" + request.purpose() + "'",
                    RoutingDecision.PURPOSE_MISMATCH, null);
        }
        if (!route.legalBasis().type().equals(request.legalBasisType())) {
            return new RoutingDecision(recipient, route.id(), false, "route '" + route.id() + "' rests on legal basis "
                    + route.legalBasis().type() + ", the exchange states " + request.legalBasisType(),
                    RoutingDecision.BASIS_MISMATCH, null);
        }
        String released = "route '" + route.id() + "' releases " + request.recordType() + " for purpose '"
                + route.purpose() + "' on basis " + route.legalBasis().type() + " (" + route.legalBasis().reference()
                + ")";
        if (route.consent() == null) {
            return new RoutingDecision(recipient, route.id(), true, released, RoutingDecision.RELEASED, null);
        }
        if (consents == null) {
            return new RoutingDecision(recipient, route.id(), true, released + "; the route needs the person's "
                    + "consent for " + route.consent().purposes() + ": consent not checked offline",
                    RoutingDecision.CONSENT_NOT_CHECKED, null);
        }
        if (request.subjectPseudonym() == null) {
            return new RoutingDecision(recipient, route.id(), false, "route '" + route.id() + "' needs the person's "
                    + "consent and the exchange's subject identifies no person", ConsentCheck.MISSING, null);
        }
        PartnerKind kind = config.partner(recipient).map(Partner::kind).orElse(null);
        ConsentCheck.Outcome outcome = ConsentCheck.check(consents.consentsOf(request.subjectPseudonym()),
                new ConsentCheck.Release(request.sourcePartner(), recipient, kind, route.consent().purposes(),
                        request.recordType(), route.releaseFor(recipient)), now);
        return outcome.granted()
                ? new RoutingDecision(recipient, route.id(), true, released + "; " + outcome.reason(), outcome.rule(),
                outcome.consentId())
                : new RoutingDecision(recipient, route.id(), false, "route '" + route.id() + "' needs the person's "
                + "consent: " + outcome.reason(), outcome.rule(), outcome.consentId());
    }
}
