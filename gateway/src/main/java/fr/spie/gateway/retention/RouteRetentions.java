package fr.spie.gateway.retention;

import fr.spie.gateway.config.GatewayConfig;
import fr.spie.gateway.config.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How long the envelope copies of each route are kept once settled: the route's own {@code retention}, or the
 * default ({@code spie.retention.payload}) for a route that sets none or that the configuration no longer has. Gives
 * it to SQL as an expression of a delivery's route id, so that the database answers with each exchange's retention.
 */
final class RouteRetentions {
    private static final Duration MAX = Duration.ofMillis(Long.MAX_VALUE);
    private final Map<String, Duration> ownRetentions = new LinkedHashMap<>();
    private final Duration defaultRetention;

    RouteRetentions(GatewayConfig config, Duration defaultRetention) {
        this.defaultRetention = defaultRetention;
        for (Route route : config.routes()) {
            if (route.retention() != null) {
                ownRetentions.putIfAbsent(route.id(), route.retention());
            }
        }
    }

    /** The shortest retention of any route: no copy stored after {@code now} minus this is due. */
    Duration shortest() {
        return ownRetentions.values().stream().reduce(defaultRetention, (a, b) -> a.compareTo(b) <= 0 ? a : b);
    }

    /** The retention in milliseconds of the route named by {@code routeIdColumn}; {@link #arguments()} bind it. */
    String millisExpression(String routeIdColumn) {
        if (ownRetentions.isEmpty()) {
            return "CAST(? AS BIGINT)";
        }
        return "CASE " + routeIdColumn + " WHEN ? THEN CAST(? AS BIGINT) ".repeat(ownRetentions.size())
                + "ELSE CAST(? AS BIGINT) END";
    }

    /** The values of the placeholders of {@link #millisExpression}, in order. */
    List<Object> arguments() {
        List<Object> args = new ArrayList<>(2 * ownRetentions.size() + 1);
        ownRetentions.forEach((routeId, retention) -> {
            args.add(routeId);
            args.add(millis(retention));
        });
        args.add(millis(defaultRetention));
        return args;
    }

    /** In milliseconds; a retention beyond what a long holds (millions of years) is kept for that long. */
    private static long millis(Duration retention) {
        return retention.compareTo(MAX) >= 0 ? MAX.toMillis() : retention.toMillis();
    }
}
