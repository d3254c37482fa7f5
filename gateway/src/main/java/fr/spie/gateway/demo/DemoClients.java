package fr.spie.gateway.demo;

import fr.spie.gateway.config.AuthMethod;
import fr.spie.gateway.config.Partner;
import fr.spie.gateway.pki.ClientTls;
import fr.spie.gateway.pki.DevPki;
import fr.spie.gateway.pki.PkiLayout;
import fr.spie.gateway.routing.RoutingConfigHolder;
import fr.spie.gateway.security.CredentialDirectory;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How each demo partner calls the gateway, as its {@code auth.methods} say: with its client certificate over the
 * HTTPS connector (mTLS partners), or with its demo token (over HTTPS without a client certificate when the connector
 * runs, plain HTTP otherwise).
 */
public final class DemoClients {
    private final RoutingConfigHolder config;
    private final PkiLayout pki;
    private final int httpPort;
    private final int tlsPort;
    private final Map<String, Channel> channels = new ConcurrentHashMap<>();

    /**
     * @param pki     the demo PKI, or null when the HTTPS connector does not run
     * @param tlsPort the HTTPS connector's port, or -1
     */
    public DemoClients(RoutingConfigHolder config, PkiLayout pki, int httpPort, int tlsPort) {
        this.config = config;
        this.pki = pki;
        this.httpPort = httpPort;
        this.tlsPort = tlsPort;
    }

    /** How partner {@code partnerId} calls the gateway. */
    public Channel channel(String partnerId) {
        return channels.computeIfAbsent(partnerId, this::open);
    }

    public boolean tls() {
        return pki != null && tlsPort > 0;
    }

    public String httpsBase() {
        return "https://localhost:" + tlsPort;
    }

    public PkiLayout pki() {
        return pki;
    }

    private Channel open(String partnerId) {
        Partner partner = config.current().partners().stream().filter(p -> p.id().equals(partnerId)).findFirst()
                .orElse(null);
        boolean mtls = partner != null && partner.accepts(AuthMethod.MTLS);
        boolean token = partner == null || partner.accepts(AuthMethod.TOKEN);
        char[] password = DevPki.DEFAULT_PASSWORD.toCharArray();
        if (tls() && mtls && Files.isRegularFile(pki.clientKeystore(partnerId))) {
            return new Channel(URI.create(httpsBase()), client(ClientTls.context(pki.clientKeystore(partnerId),
                    password, pki.truststore(), password)), null);
        }
        String bearer = token ? CredentialDirectory.DEMO_TOKEN_PREFIX + partnerId : null;
        if (tls()) {
            return new Channel(URI.create(httpsBase()),
                    client(ClientTls.context(null, null, pki.truststore(), password)), bearer);
        }
        return new Channel(URI.create("http://127.0.0.1:" + httpPort), client(null), bearer);
    }

    private static HttpClient client(javax.net.ssl.SSLContext tls) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        if (tls != null) {
            builder.sslContext(tls);
        }
        return builder.build();
    }

    /**
     * @param base   the gateway's base URI
     * @param http   the client (with the partner's certificate for mTLS)
     * @param bearer the demo token to send, or null (mTLS)
     */
    public record Channel(URI base, HttpClient http, String bearer) {
    }
}
