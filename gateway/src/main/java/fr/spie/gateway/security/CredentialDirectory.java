package fr.spie.gateway.security;

import fr.spie.gateway.config.GatewayConfig;
import fr.spie.gateway.config.Operator;
import fr.spie.gateway.config.Partner;
import fr.spie.gateway.privacy.Digests;
import fr.spie.gateway.routing.RoutingConfigHolder;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Finds who a bearer token belongs to. Config holds only SHA-256 hashes of tokens. In demo mode, documented demo
 * tokens are added: {@code demo-token-<partner id>}, {@code demo-token-admin}, {@code demo-token-auditor}.
 */
public class CredentialDirectory {
    public static final String DEMO_TOKEN_PREFIX = "demo-token-";

    private final RoutingConfigHolder configHolder;
    private final boolean demo;
    private volatile Snapshot snapshot;

    public CredentialDirectory(RoutingConfigHolder configHolder, boolean demo) {
        this.configHolder = configHolder;
        this.demo = demo;
    }

    public Optional<GatewayPrincipal> byToken(String token) {
        GatewayConfig config = configHolder.current();
        Snapshot s = snapshot;
        if (s == null || !s.configVersion.equals(config.version())) {
            s = new Snapshot(config.version(), index(config));
            snapshot = s;
        }
        return Optional.ofNullable(s.byHash.get(Digests.sha256Hex(token)));
    }

    private Map<String, GatewayPrincipal> index(GatewayConfig config) {
        Map<String, GatewayPrincipal> byHash = new HashMap<>();
        for (Partner partner : config.partners()) {
            GatewayPrincipal principal = new GatewayPrincipal(partner.id(), GatewayPrincipal.Role.PARTNER);
            partner.tokenSha256().forEach(hash -> byHash.put(hash, principal));
            if (demo) {
                byHash.put(Digests.sha256Hex(DEMO_TOKEN_PREFIX + partner.id()), principal);
            }
        }
        for (Operator operator : config.operators()) {
            if (operator.tokenSha256() != null && !operator.tokenSha256().isBlank()) {
                byHash.put(operator.tokenSha256(), new GatewayPrincipal(operator.name(),
                        GatewayPrincipal.Role.valueOf(operator.role().name())));
            }
        }
        if (demo) {
            byHash.put(Digests.sha256Hex(DEMO_TOKEN_PREFIX + "admin"),
                    new GatewayPrincipal("admin", GatewayPrincipal.Role.ADMIN));
            byHash.put(Digests.sha256Hex(DEMO_TOKEN_PREFIX + "auditor"),
                    new GatewayPrincipal("auditor", GatewayPrincipal.Role.AUDITOR));
        }
        return Map.copyOf(byHash);
    }

    private record Snapshot(String configVersion, Map<String, GatewayPrincipal> byHash) {
    }
}
