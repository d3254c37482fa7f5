package fr.spie.connector;

import java.util.Map;

/**
 * What is sent to a partner's system for one SPIE record, in the partner's own format.
 *
 * @param contentType media type of the body
 * @param body        the bytes to send
 * @param headers     extra protocol headers the partner expects (never credentials: the transport adds those)
 * @param resource    the partner resource the message is for, relative to its endpoint (e.g. "rendez-vous"), or ""
 */
public record OutboundMessage(String contentType, byte[] body, Map<String, String> headers, String resource) {
    public OutboundMessage {
        headers = Map.copyOf(headers);
    }
}
