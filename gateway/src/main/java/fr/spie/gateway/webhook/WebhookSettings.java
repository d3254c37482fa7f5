package fr.spie.gateway.webhook;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Inbound webhooks (prefix {@code spie.webhooks}), documented in config/README.md and docs/security.md.
 *
 * @param partners per partner id: the signature header its tool sends and the shared secret (from a placeholder,
 *                 e.g. {@code ${RDVI_WEBHOOK_SECRET}}); a partner without an entry has no webhook endpoint
 */
@ConfigurationProperties("spie.webhooks")
public record WebhookSettings(Map<String, Endpoint> partners) {
    public WebhookSettings {
        partners = partners == null ? Map.of() : Map.copyOf(partners);
    }

    /**
     * @param header the signature header, e.g. X-RDVI-Signature (RDV-Insertion) or X-Lapin-Signature (RDV-Solidarités)
     * @param secret the HMAC-SHA256 key shared with the partner
     */
    public record Endpoint(String header, String secret) {
        @Override
        public String toString() {
            return "Endpoint[header=" + header + ", secret=<redacted>]";
        }
    }
}
