package fr.spie.gateway.routing;

import fr.spie.gateway.config.GatewayConfig;
import fr.spie.gateway.config.Route;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides, from the routing configuration, which recipients receive an exchange. A route applies to the records it
 * lists from the partners it lists; it releases them to its recipients only for the route's own purpose and legal
 * basis — an exchange that states another purpose or basis is blocked for that route's recipients.
 */
public final class RoutingPolicy {

    /** The facts of an exchange that routing looks at. */
    public record Request(String sourcePartner, String recordType, String purpose, String legalBasisType) {
    }

    /** True when at least one route carries this record type from this partner. */
    public boolean maySend(GatewayConfig config, String sourcePartner, String recordType) {
        return !config.routesFor(sourcePartner, recordType).isEmpty();
    }

    /**
     * One decision per candidate recipient, in route order. A recipient reached by several routes is decided once:
     * delivered by the first route that releases it, otherwise blocked by the first route that names it.
     */
    public List<RoutingDecision> decide(GatewayConfig config, Request request) {
        Map<String, RoutingDecision> byRecipient = new LinkedHashMap<>();
        for (Route route : config.routesFor(request.sourcePartner(), request.recordType())) {
            String refusal = refusal(route, request);
            for (String recipient : route.to()) {
                RoutingDecision decision = refusal == null
                        ? new RoutingDecision(recipient, route.id(), true,
                        "route '" + route.id() + "' releases " + request.recordType() + " for purpose '"
                                + route.purpose() + "' on basis " + route.legalBasis().type()
                                + " (" + route.legalBasis().reference() + ")")
                        : new RoutingDecision(recipient, route.id(), false, refusal);
                RoutingDecision previous = byRecipient.get(recipient);
                if (previous == null || (!previous.deliver() && decision.deliver())) {
                    byRecipient.put(recipient, decision);
                }
            }
        }
        return new ArrayList<>(byRecipient.values());
    }

    private static String refusal(Route route, Request request) {
        if (!route.purpose().equals(request.purpose())) {
            return "route '" + route.id() + "' is for purpose '" + route.purpose() + "', the exchange states '"
                    + request.purpose() + "'";
        }
        if (!route.legalBasis().type().equals(request.legalBasisType())) {
            return "route '" + route.id() + "' rests on legal basis " + route.legalBasis().type()
                    + ", the exchange states " + request.legalBasisType();
        }
        return null;
    }
}
