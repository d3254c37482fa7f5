package fr.spie.gateway.outbound;

import fr.spie.gateway.delivery.DeliveryTask;
import java.util.Map;

/**
 * The headers that sign one delivery body: the gateway's own signature ({@code SPIE-Signature}, a detached JWS that
 * recipients verify with the gateway certificate), given to the HTTP transports by {@link OutboundTransports}.
 */
@FunctionalInterface
public interface BodySigner {
    /** Signs nothing (transports built outside the gateway, e.g. in unit tests). */
    BodySigner NONE = (task, body) -> Map.of();

    /** Headers to add to the request that carries exactly {@code body}. */
    Map<String, String> headers(DeliveryTask task, byte[] body);
}
