package fr.spie.gateway.security;

import fr.spie.gateway.config.AuthMethod;
import fr.spie.gateway.config.GatewayConfig;
import fr.spie.gateway.config.Operator;
import fr.spie.gateway.config.Partner;
import fr.spie.gateway.privacy.Digests;
import fr.spie.gateway.routing.RoutingConfigHolder;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Finds who a bearer token or a verified TLS client certificate belongs to. Config holds only SHA-256 hashes of
 * tokens. In demo mode, documented demo tokens are added: {@code demo-token-<partner id>} (for partners that use
 * tokens), {@code demo-token-admin}, {@code demo-token-auditor}. A token of a partner whose {@code auth.methods} do
 * not include {@code token} is refused with a reason, as is a certificate that is no configured partner's.
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

    /**
     * @return who the token belongs to, empty when it is nobody's
     * @throws CredentialRefusedException when it is the token of a partner that does not authenticate with tokens
     */
    public Optional<GatewayPrincipal> byToken(String token) {
        Snapshot s = snapshot();
        String hash = Digests.sha256Hex(token);
        String certificateOnly = s.certificateOnly.get(hash);
        if (certificateOnly != null) {
            throw new CredentialRefusedException("partner '" + certificateOnly + "' authenticates with its TLS client "
                    + "certificate only (auth.methods): bearer tokens are refused");
        }
        return Optional.ofNullable(s.byHash.get(hash));
    }

    /**
     * @param certificate a client certificate the TLS connector has verified (chain, dates, CRL)
     * @return the partner whose {@code auth.certificate} it matches
     * @throws CredentialRefusedException when it matches no partner that authenticates with mTLS
     */
    public GatewayPrincipal byCertificate(X509Certificate certificate) {
        for (Partner partner : configHolder.current().partners()) {
            if (partner.accepts(AuthMethod.MTLS) && partner.certificate() != null
                    && partner.certificate().matches(certificate)) {
                return new GatewayPrincipal(partner.id(), GatewayPrincipal.Role.PARTNER);
            }
        }
        throw new CredentialRefusedException("the TLS client certificate (subject '"
                + certificate.getSubjectX500Principal().getName() + "', issuer '"
                + certificate.getIssuerX500Principal().getName() + "') is no configured partner's (auth.certificate)");
    }

    private Snapshot snapshot() {
        GatewayConfig config = configHolder.current();
        Snapshot s = snapshot;
        if (s == null || !s.configVersion.equals(config.version())) {
            Map<String, String> certificateOnly = new HashMap<>();
            s = new Snapshot(config.version(), index(config, certificateOnly), Map.copyOf(certificateOnly));
            snapshot = s;
        }
        return s;
    }

    private Map<String, GatewayPrincipal> index(GatewayConfig config, Map<String, String> certificateOnly) {
        Map<String, GatewayPrincipal> byHash = new HashMap<>();
        for (Partner partner : config.partners()) {
            GatewayPrincipal principal = new GatewayPrincipal(partner.id(), GatewayPrincipal.Role.PARTNER);
            boolean tokens = partner.accepts(AuthMethod.TOKEN);
            partner.tokenSha256().forEach(hash -> {
                if (tokens) {
                    byHash.put(hash, principal);
                } else {
                    certificateOnly.put(hash, partner.id());
                }
            });
            if (demo) {
                String demoHash = Digests.sha256Hex(DEMO_TOKEN_PREFIX + partner.id());
                if (tokens) {
                    byHash.put(demoHash, principal);
                } else {
                    certificateOnly.put(demoHash, partner.id());
                }
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

    private record Snapshot(String configVersion, Map<String, GatewayPrincipal> byHash,
                            Map<String, String> certificateOnly) {
    }
}
