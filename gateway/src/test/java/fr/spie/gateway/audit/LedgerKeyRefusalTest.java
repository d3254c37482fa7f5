package fr.spie.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.spie.gateway.SpieProperties;
import fr.spie.gateway.ledger.GatewayKeys;
import fr.spie.gateway.lifecycle.StartupRefusal;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A ledger keystore that does not open is a start-up refusal naming the file, the reason and the settings. */
class LedgerKeyRefusalTest {

    @Test
    void aWrongKeystorePasswordIsNamedAsSuch(@TempDir Path tmp) {
        Path keystore = tmp.resolve("ledger.p12");
        GatewayKeys.generate().writePkcs12(keystore, "right".toCharArray(), "ledger");
        SpieProperties spie = new SpieProperties(tmp.resolve("data").toString(), "config", null, null, null, null);
        LedgerSettings settings = new LedgerSettings(keystore, "wrong", null, null, null, null, null, null, null, null);

        assertThatThrownBy(() -> new LedgerConfiguration().ledgerKeys(spie, settings))
                .isInstanceOf(StartupRefusal.class)
                .hasMessageContaining("Cannot open the ledger signing key " + keystore.toAbsolutePath())
                .hasMessageContaining("wrong password")
                .satisfies(e -> assertThat(((StartupRefusal) e).action())
                        .contains("spie.ledger.password", "spie.ledger.keystore"));
    }

    @Test
    void aConfiguredKeystoreThatIsNotThereIsNamed(@TempDir Path tmp) {
        Path keystore = tmp.resolve("missing.p12");
        SpieProperties spie = new SpieProperties(tmp.resolve("data").toString(), "config", null, null, null, null);
        LedgerSettings settings = new LedgerSettings(keystore, "pw", null, null, null, null, null, null, null, null);

        assertThatThrownBy(() -> new LedgerConfiguration().ledgerKeys(spie, settings))
                .isInstanceOf(StartupRefusal.class)
                .hasMessageContaining(keystore.toAbsolutePath().toString());
    }
}
