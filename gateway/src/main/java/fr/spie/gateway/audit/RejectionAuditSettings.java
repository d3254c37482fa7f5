package fr.spie.gateway.audit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the refusals of callers without a credential are audited (prefix {@code spie.audit.rejections}), documented in
 * config/README.md and docs/audit.md: in each window, the first {@code perKeyLimit} refusals of one kind from one
 * client are audited one by one, the others are counted and summed up in one event when the window closes.
 *
 * @param window      how long a window lasts (its summaries are written when it closes)
 * @param perKeyLimit refusals of one kind from one client audited one by one in a window
 * @param maxKeys     (kind, client) pairs tracked in a window; the refusals of further clients are counted together,
 *                    as "other clients", one tally per event type
 */
@ConfigurationProperties("spie.audit.rejections")
public record RejectionAuditSettings(Duration window, Integer perKeyLimit, Integer maxKeys) {
    public RejectionAuditSettings {
        window = window == null ? Duration.ofMinutes(1) : window;
        perKeyLimit = perKeyLimit == null ? 10 : perKeyLimit;
        maxKeys = maxKeys == null ? 100 : maxKeys;
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("spie.audit.rejections.window must be positive");
        }
        if (perKeyLimit < 0) {
            throw new IllegalArgumentException("spie.audit.rejections.per-key-limit must not be negative");
        }
        if (maxKeys < 1) {
            throw new IllegalArgumentException("spie.audit.rejections.max-keys must be at least 1");
        }
    }
}
