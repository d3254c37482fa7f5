package fr.spie.gateway.receipt;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Signed receipts (prefix {@code spie.receipts}), documented in config/README.md and docs/security.md.
 *
 * @param ledgerWait how long the answer to a submission waits for the ledger index of its RECEIVED event before the
 *                   receipt is given without it (0: never wait)
 * @param issuer     the {@code iss} of receipts: this gateway's name
 */
@ConfigurationProperties("spie.receipts")
public record ReceiptSettings(Duration ledgerWait, String issuer) {
    public ReceiptSettings {
        ledgerWait = ledgerWait == null ? Duration.ofSeconds(1) : ledgerWait;
        if (ledgerWait.isNegative()) {
            throw new IllegalArgumentException("spie.receipts.ledger-wait must not be negative");
        }
        issuer = issuer == null || issuer.isBlank() ? "spie-gateway" : issuer;
    }
}
