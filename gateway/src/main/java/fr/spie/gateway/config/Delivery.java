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
 * @param maxRatePerSecond most deliveries started per second to this recipient (per gateway instance), e.g. while a
 *                       backlog drains after an outage; null: no limit
 * @param outage         when the recipient counts as down (its consumption pauses, its backlog waits in its queue)
 * @param subjectFields  the fields of the envelope's subject this recipient receives (e.g. without {@code nir} for
 *                       an organisation not authorised to process the NIR); null: the whole subject
 */
public record Delivery(URI url, Duration connectTimeout, Duration timeout, int maxAttempts, Duration initialBackoff,
                       double multiplier, Duration maxBackoff, double jitter, TransportSettings transport,
                       Double maxRatePerSecond, Outage outage, java.util.List<String> subjectFields) {

    public Delivery {
        transport = transport == null ? new TransportSettings.SpieJson() : transport;
        outage = outage == null ? Outage.DEFAULT : outage;
        subjectFields = subjectFields == null ? null : java.util.List.copyOf(subjectFields);
    }

    /** A delivery that receives the whole subject. */
    public Delivery(URI url, Duration connectTimeout, Duration timeout, int maxAttempts, Duration initialBackoff,
                    double multiplier, Duration maxBackoff, double jitter, TransportSettings transport,
                    Double maxRatePerSecond, Outage outage) {
        this(url, connectTimeout, timeout, maxAttempts, initialBackoff, multiplier, maxBackoff, jitter, transport,
                maxRatePerSecond, outage, null);
    }

    /** A delivery without rate limit and with the default outage settings. */
    public Delivery(URI url, Duration connectTimeout, Duration timeout, int maxAttempts, Duration initialBackoff,
                    double multiplier, Duration maxBackoff, double jitter, TransportSettings transport) {
        this(url, connectTimeout, timeout, maxAttempts, initialBackoff, multiplier, maxBackoff, jitter, transport,
                null, null);
    }

    /**
     * When a recipient counts as down: after {@code pauseAfterFailures} consecutive temporary failures (any records),
     * the gateway stops consuming its queue (the backlog waits there, no attempt is used up) and tries one record
     * again every {@code probeEvery}; the first success resumes the delivery.
     */
    public record Outage(int pauseAfterFailures, Duration probeEvery) {
        public static final Outage DEFAULT = new Outage(5, Duration.ofSeconds(30));
    }

    /** A delivery with the default transport, spie-json. */
    public Delivery(URI url, Duration connectTimeout, Duration timeout, int maxAttempts, Duration initialBackoff,
                    double multiplier, Duration maxBackoff, double jitter) {
        this(url, connectTimeout, timeout, maxAttempts, initialBackoff, multiplier, maxBackoff, jitter, null);
    }
}
