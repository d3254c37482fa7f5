package fr.spie.gateway.tls;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the TLS connector's CRL and stores every interval, and reloads them when they differ from the ones in use
 * (also when they did not change since a reload that failed: the next check tries again).
 */
public final class TlsReloader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TlsReloader.class);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "spie-tls-reload");
        t.setDaemon(true);
        return t;
    });

    private final MutualTlsConnector connector;

    public TlsReloader(MutualTlsConnector connector, Duration interval) {
        this.connector = connector;
        long every = interval.toMillis();
        scheduler.scheduleWithFixedDelay(this::check, every, every, TimeUnit.MILLISECONDS);
    }

    /** One check: reloads the connector's files if they changed; never throws. */
    boolean check() {
        try {
            return connector.reloadIfChanged();
        } catch (RuntimeException unexpected) {
            // a failed reload is reported by the connector; this keeps the schedule alive whatever else happens
            log.error("TLS connector: check failed: {}", unexpected.toString());
            return false;
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
