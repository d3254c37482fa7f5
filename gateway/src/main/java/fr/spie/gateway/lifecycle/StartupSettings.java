package fr.spie.gateway.lifecycle;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code spie.startup.*}: what is verified before the gateway takes traffic.
 *
 * @param ledgerTailEntries how many of the latest ledger entries are re-hashed from their audit rows at start-up
 *                          (default 1000; 0: none; the latest head's signature and root are always checked)
 */
@ConfigurationProperties("spie.startup")
public record StartupSettings(Integer ledgerTailEntries) {
    public StartupSettings {
        ledgerTailEntries = ledgerTailEntries == null ? 1000 : ledgerTailEntries;
        if (ledgerTailEntries < 0) {
            throw new IllegalArgumentException("spie.startup.ledger-tail-entries must be >= 0");
        }
    }
}
