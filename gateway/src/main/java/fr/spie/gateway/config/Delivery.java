package fr.spie.gateway.config;

import java.net.URI;
import java.time.Duration;

/**
 * How the gateway delivers records to a recipient: through a transport (by default HTTP POST of the SPIE envelope
 * as JSON), with retries, then dead letter.
 *
 * @param url            endpoint that receives the records (transport spie-json; null for the other transports)
 * @param connectTimeout TCP connect timeout
 * @param timeout        whole-request timeout
 * @param maxAttempts    attempts before the message goes to the recipient's dead-letter queue (>= 1)
 * @param initialBackoff delay before the first retry
 * @param multiplier     exponential backoff multiplier (>= 1)
 * @param maxBackoff     cap on the delay between attempts
 * @param jitter         random spread of each delay, 0 (none) to 1 (plus or minus 100 %)
 * @param transport      the transport and its settings ({@link TransportSettings.SpieJson} when not configured)
 */
public record Delivery(URI url, Duration connectTimeout, Duration timeout, int maxAttempts, Duration initialBackoff,
                       double multiplier, Duration maxBackoff, double jitter, TransportSettings transport) {

    public Delivery {
        transport = transport == null ? new TransportSettings.SpieJson() : transport;
    }

    /** A delivery with the default transport, spie-json. */
    public Delivery(URI url, Duration connectTimeout, Duration timeout, int maxAttempts, Duration initialBackoff,
                    double multiplier, Duration maxBackoff, double jitter) {
        this(url, connectTimeout, timeout, maxAttempts, initialBackoff, multiplier, maxBackoff, jitter, null);
    }
}
