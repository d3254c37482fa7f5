package fr.spie.gateway.audit;

import fr.spie.gateway.ledger.tsa.HeadTimestamper;
import fr.spie.gateway.ledger.tsa.TimestampClient;
import fr.spie.gateway.ledger.tsa.TimestampDb;
import fr.spie.gateway.ledger.tsa.TimestampVerifier;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import fr.spie.gateway.cluster.LeaderElection;
import org.springframework.core.annotation.Order;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Optional RFC 3161 timestamping of signed tree heads ({@code spie.ledger.tsa.*}): the {@link HeadTimestamper}
 * thread, its health detail (in the {@code ledger} indicator, see {@link LedgerTsa#healthDetails()}), the gauge
 * {@code spie.ledger.tsa.backlog} and the counter {@code spie.ledger.tsa.failures}. Off the request path: exchanges
 * never wait for the TSA, and an outage only grows the backlog.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TsaSettings.class)
public class LedgerTsaConfiguration {
    private static final Logger log = LoggerFactory.getLogger(LedgerTsaConfiguration.class);

    @Bean(destroyMethod = "")
    LedgerTsa ledgerTsa(JdbcTemplate jdbc, TsaSettings settings) {
        TimestampDb db = new TimestampDb(jdbc.getDataSource());
        if (!settings.enabled()) {
            return new LedgerTsa(db, null);
        }
        X509Certificate trusted = null;
        if (settings.trustedCertificate() != null) {
            try {
                trusted = TimestampVerifier.readCertificate(settings.trustedCertificate());
            } catch (IOException e) {
                throw new UncheckedIOException("spie.ledger.tsa.trusted-certificate: " + e.getMessage(), e);
            }
        }
        TimestampClient client = new TimestampClient(URI.create(settings.url()), settings.timeout(), trusted);
        return new LedgerTsa(db, new HeadTimestamper(db, client, new HeadTimestamper.Settings(settings.interval(),
                settings.minBackoff(), settings.maxBackoff(), 100),
                Clock.systemUTC()));
    }

    /** Runs the timestamper with the ledger writer, on the leader instance only (one token per head). */
    @Bean
    @Order(2)
    LeaderElection.LeaderTask ledgerTsaTask(LedgerTsa tsa, TsaSettings settings) {
        return new LeaderElection.LeaderTask() {
            @Override
            public void lead() {
                if (tsa.enabled()) {
                    tsa.timestamper().start();
                    log.info("Tree heads are timestamped by {} every {}", settings.url(), settings.interval());
                }
            }

            @Override
            public void standDown() {
                if (tsa.enabled()) {
                    tsa.timestamper().close();
                }
            }
        };
    }

    @Bean
    MeterBinder ledgerTsaMetrics(LedgerTsa tsa) {
        return registry -> {
            if (!tsa.enabled()) {
                return;
            }
            Gauge.builder("spie.ledger.tsa.backlog", tsa, t -> {
                try {
                    return t.db().backlog();
                } catch (RuntimeException e) {
                    return Double.NaN;
                }
            }).description("signed tree heads without an RFC 3161 timestamp").register(registry);
            FunctionCounter.builder("spie.ledger.tsa.failures", tsa.timestamper(), HeadTimestamper::failures)
                    .description("failed tree-head timestamping rounds (TSA or database)").register(registry);
        };
    }
}
