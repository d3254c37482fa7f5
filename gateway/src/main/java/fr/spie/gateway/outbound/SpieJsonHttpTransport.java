package fr.spie.gateway.outbound;

import fr.spie.gateway.config.Delivery;
import fr.spie.gateway.config.TransportSettings;
import fr.spie.gateway.delivery.DeliveryTask;
import fr.spie.gateway.delivery.HttpDeliverer;
import fr.spie.gateway.security.WebhookSignature;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Transport spie-json: the SPIE envelope, HTTP POST to {@code delivery.url} with Idempotency-Key, the gateway's
 * signature of the body ({@link BodySigner}) and, where the partner expects it, an HMAC signature header.
 */
public final class SpieJsonHttpTransport implements OutboundTransport {
    private final Delivery delivery;
    private final HttpDeliverer http;
    private final BodySigner signer;

    public SpieJsonHttpTransport(Delivery delivery, HttpDeliverer http) {
        this(delivery, http, BodySigner.NONE);
    }

    public SpieJsonHttpTransport(Delivery delivery, HttpDeliverer http, BodySigner signer) {
        this.delivery = delivery;
        this.http = http;
        this.signer = signer;
    }

    @Override
    public String name() {
        return TransportSettings.SPIE_JSON;
    }

    @Override
    public String deliver(DeliveryTask task, String envelope) {
        byte[] body = envelope.getBytes(StandardCharsets.UTF_8);
        // signed: the exact bytes handed to the HTTP client
        Map<String, String> headers = new HashMap<>(signer.headers(task, body));
        if (delivery.transport() instanceof TransportSettings.SpieJson spie && spie.signature() != null) {
            headers.put(spie.signature().header(), WebhookSignature.sign(spie.signature().secret(), body));
        }
        return "HTTP " + http.post(delivery, task.idempotencyKey(), task.exchange().exchangeId().toString(), body,
                headers);
    }
}
