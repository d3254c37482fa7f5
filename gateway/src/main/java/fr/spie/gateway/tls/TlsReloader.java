package fr.spie.gateway.tls;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Checks the TLS connector's CRL and stores every interval, and reloads them when they changed. */
public final class TlsReloader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TlsReloader.class);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "spie-tls-reload");
        t.setDaemon(true);
        return t;
    });

    public TlsReloader(MutualTlsConnector connector, Duration interval) {
        long every = interval.toMillis();
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                connector.reloadIfChanged();
            } catch (RuntimeException e) {
                // the previous TLS context stays in use; the next check tries again
                log.error("TLS connector: cannot reload the CRL or stores: {}", e.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
