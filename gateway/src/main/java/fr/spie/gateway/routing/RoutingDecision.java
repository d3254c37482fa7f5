package fr.spie.gateway.routing;

/**
 * What the routing policy decided for one candidate recipient of an exchange.
 *
 * @param recipient the recipient partner id
 * @param routeId   the route that made the decision
 * @param deliver   true: deliver; false: blocked
 * @param reason    the rule that made the decision, in words an admin understands
 */
public record RoutingDecision(String recipient, String routeId, boolean deliver, String reason) {
}
