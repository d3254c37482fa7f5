package fr.spie.gateway.audit;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * RFC 3161 timestamping of signed tree heads (prefix {@code spie.ledger.tsa}), documented in config/README.md and
 * docs/audit.md.
 *
 * @param url                the TSA's HTTP(S) URL; empty: timestamping disabled (the default)
 * @param timeout            connect and response timeout of one request
 * @param interval           pause between timestamping rounds when the TSA is fine
 * @param trustedCertificate PEM file of the TSA certificate the tokens must be signed by; empty: the certificate
 *                           the token carries (checked for the timeStamping usage) is accepted
 * @param minBackoff         first pause after a failure (doubles on each further failure)
 * @param maxBackoff         longest pause after repeated failures
 */
@ConfigurationProperties("spie.ledger.tsa")
public record TsaSettings(String url, Duration timeout, Duration interval, Path trustedCertificate,
                          Duration minBackoff, Duration maxBackoff) {
    public TsaSettings {
        url = url == null ? "" : url.trim();
        timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
        interval = interval == null ? Duration.ofSeconds(30) : interval;
        minBackoff = minBackoff == null ? Duration.ofSeconds(5) : minBackoff;
        maxBackoff = maxBackoff == null ? Duration.ofMinutes(5) : maxBackoff;
    }

    public boolean enabled() {
        return !url.isEmpty();
    }
}
