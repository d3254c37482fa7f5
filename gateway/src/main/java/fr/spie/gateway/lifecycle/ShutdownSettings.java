package fr.spie.gateway.lifecycle;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code spie.shutdown.*}: how the gateway stops taking submissions.
 *
 * @param intakeDrain how long, once shutdown begins, submissions are refused with 503 (and readiness reports
 *                    REFUSING_TRAFFIC) before the web server stops accepting connections; lets a load balancer move
 *                    away. Default 1s.
 * @param retryAfter  the Retry-After of those 503 answers. Default 30s.
 */
@ConfigurationProperties("spie.shutdown")
public record ShutdownSettings(Duration intakeDrain, Duration retryAfter) {
    public ShutdownSettings {
        intakeDrain = intakeDrain == null ? Duration.ofSeconds(1) : intakeDrain;
        retryAfter = retryAfter == null ? Duration.ofSeconds(30) : retryAfter;
        if (intakeDrain.isNegative() || retryAfter.isNegative()) {
            throw new IllegalArgumentException("spie.shutdown durations must not be negative");
        }
    }
}
