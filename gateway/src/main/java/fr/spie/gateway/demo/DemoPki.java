package fr.spie.gateway.demo;

import fr.spie.gateway.pki.DevPki;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's development PKI in {@code <data-dir>/pki}: created on start when missing, as {@code pki init} would,
 * with one client certificate per partner of the config directory. The TLS connector is built after it.
 */
public final class DemoPki {
    private static final Logger log = LoggerFactory.getLogger(DemoPki.class);

    private final DevPki pki;

    public DemoPki(Path dataDir, Path configDir) {
        this.pki = new DevPki(dataDir.resolve("pki"));
        if (!pki.exists()) {
            pki.init(DevPki.partnerIds(configDir), DevPki.Settings.defaults(), false);
            log.info("demo: development PKI created in {} (CA, server certificate, one client certificate per "
                    + "partner; PKCS#12 password '{}')", pki.layout().dir(), DevPki.DEFAULT_PASSWORD);
        }
    }

    public DevPki pki() {
        return pki;
    }
}
