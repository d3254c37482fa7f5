package fr.spie.gateway.outbound;

import fr.spie.gateway.config.Delivery;
import fr.spie.gateway.config.TransportSettings;
import fr.spie.gateway.delivery.DeliveryTask;
import fr.spie.gateway.delivery.HttpDeliverer;
import fr.spie.gateway.security.WebhookSignature;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Transport spie-json: the SPIE envelope, HTTP POST to {@code delivery.url} with Idempotency-Key. */
public final class SpieJsonHttpTransport implements OutboundTransport {
    private final Delivery delivery;
    private final HttpDeliverer http;

    public SpieJsonHttpTransport(Delivery delivery, HttpDeliverer http) {
        this.delivery = delivery;
        this.http = http;
    }

    @Override
    public String name() {
        return TransportSettings.SPIE_JSON;
    }

    @Override
    public void deliver(DeliveryTask task, String envelope) {
        byte[] body = envelope.getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = Map.of();
        if (delivery.transport() instanceof TransportSettings.SpieJson spie && spie.signature() != null) {
            // signed: the exact bytes handed to the HTTP client
            headers = Map.of(spie.signature().header(), WebhookSignature.sign(spie.signature().secret(), body));
        }
        http.post(delivery, task.idempotencyKey(), task.exchange().exchangeId().toString(), body, headers);
    }
}
