package fr.spie.gateway.config;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One validated, immutable snapshot of the routing configuration (the files under config/).
 *
 * @param version   the "config version" that every audit event records: SHA-256 (lowercase hex) over the files' names
 *                  and raw contents, in name order, and the values their placeholders resolved to (credentials only as
 *                  set or empty): {@link ConfigVersion}
 * @param loadedAt  when this snapshot was loaded
 * @param directory the directory it was loaded from
 * @param partners  the partner systems
 * @param routes    the routes, in file order
 * @param operators admin and auditor credentials
 */
public record GatewayConfig(String version, Instant loadedAt, Path directory, List<Partner> partners,
                            List<Route> routes, List<Operator> operators) {
    public GatewayConfig {
        partners = List.copyOf(partners);
        routes = List.copyOf(routes);
        operators = List.copyOf(operators);
    }

    public Optional<Partner> partner(String id) {
        return partners.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /** Routes that carry this record type from this partner. */
    /** The subject fields a recipient receives ({@code delivery.subjectFields}), or null for the whole subject. */
    public List<String> subjectFieldsOf(String recipient) {
        return partner(recipient).map(Partner::delivery).map(Delivery::subjectFields).orElse(null);
    }

    public List<Route> routesFor(String sourcePartnerId, String recordType) {
        return routes.stream()
                .filter(r -> r.from().contains(sourcePartnerId) && r.recordTypes().contains(recordType))
                .toList();
    }
}
