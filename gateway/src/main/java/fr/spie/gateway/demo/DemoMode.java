package fr.spie.gateway.demo;

import fr.spie.gateway.config.AuthMethod;
import fr.spie.gateway.pki.DevPki;
import fr.spie.gateway.pki.PkiLayout;
import fr.spie.gateway.routing.RoutingConfigHolder;
import fr.spie.gateway.tls.MutualTlsConnector;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import tools.jackson.databind.JsonNode;

/**
 * Demo mode ({@code --spring.profiles.active=demo}): simulated partner systems of the Marne exchange records through
 * the gateway, and the console says where to look. Never enabled outside the demo profile.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "spie.demo.enabled", havingValue = "true")
public class DemoMode {
    private static final Logger log = LoggerFactory.getLogger(DemoMode.class);

    @Bean(destroyMethod = "close")
    DemoPartnerSystems demoPartnerSystems(RoutingConfigHolder config) {
        return new DemoPartnerSystems(config);
    }

    /** Created before the TLS connector (which needs its files) when spie.tls.enabled, as in the demo profile. */
    @Bean
    DemoPki demoPki(@Value("${spie.data-dir}") Path dataDir, @Value("${spie.config-dir}") Path configDir) {
        return new DemoPki(dataDir, configDir);
    }

    @Bean
    DemoTraffic demoTraffic() throws IOException {
        return new DemoTraffic();
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService demoScheduler() {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "spie-demo");
            t.setDaemon(true);
            return t;
        });
    }

    @Bean
    DemoRunner demoRunner(DemoTraffic traffic, DemoPartnerSystems partners, ScheduledExecutorService demoScheduler,
                          @Value("${spie.demo.interval:60s}") Duration interval, RoutingConfigHolder config,
                          DemoPki pki, ObjectProvider<MutualTlsConnector> tls) {
        return new DemoRunner(traffic, partners, demoScheduler, interval, config, pki, tls);
    }

    /** Submits a first round when the gateway is ready, then one round per interval. */
    public static class DemoRunner {
        private final DemoTraffic traffic;
        private final DemoPartnerSystems partners;
        private final ScheduledExecutorService scheduler;
        private final Duration interval;
        private final RoutingConfigHolder config;
        private final DemoPki pki;
        private final ObjectProvider<MutualTlsConnector> tls;

        DemoRunner(DemoTraffic traffic, DemoPartnerSystems partners, ScheduledExecutorService scheduler,
                   Duration interval, RoutingConfigHolder config, DemoPki pki,
                   ObjectProvider<MutualTlsConnector> tls) {
            this.traffic = traffic;
            this.partners = partners;
            this.scheduler = scheduler;
            this.interval = interval;
            this.config = config;
            this.pki = pki;
            this.tls = tls;
        }

        @EventListener(ApplicationReadyEvent.class)
        public void start(ApplicationReadyEvent event) {
            int port = ((WebServerApplicationContext) event.getApplicationContext()).getWebServer().getPort();
            MutualTlsConnector connector = tls.getIfAvailable();
            DemoClients clients = connector == null ? new DemoClients(config, null, port, -1)
                    : new DemoClients(config, pki.pki().layout(), port, connector.port());
            scheduler.execute(() -> firstRound(port, clients));
            if (!interval.isZero()) {
                scheduler.scheduleWithFixedDelay(() -> traffic.round(clients), interval.toMillis(),
                        interval.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        private void firstRound(int port, DemoClients clients) {
            List<DemoTraffic.Submitted> submitted = traffic.round(clients);
            Map<String, Integer> statuses = new HashMap<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
            try {
                do {
                    Thread.sleep(1000);
                    statuses.clear();
                    for (DemoTraffic.Submitted s : submitted) {
                        JsonNode status = traffic.status(clients, s);
                        for (JsonNode d : status.path("deliveries")) {
                            statuses.merge(d.path("status").asString(), 1, Integer::sum);
                        }
                    }
                } while ((statuses.containsKey("PENDING") || statuses.containsKey("FAILED"))
                        && System.nanoTime() < deadline);
            } catch (IOException e) {
                log.warn("demo: cannot read statuses: {}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            banner(port, clients, submitted, statuses);
        }

        private void banner(int port, DemoClients clients, List<DemoTraffic.Submitted> submitted,
                            Map<String, Integer> statuses) {
            String base = "http://localhost:" + port;
            DemoTraffic.Submitted first = submitted.isEmpty() ? null : submitted.get(0);
            StringBuilder b = new StringBuilder("\n")
                    .append("==================== SPIE Gateway demo: Marne (51) ====================\n")
                    .append(" ").append(submitted.size()).append(" exchanges submitted by the demo partners; ")
                    .append("deliveries by status: ").append(statuses).append('\n')
                    .append(" Simulated partner systems (what they received):\n");
            partners.describe().forEach(line -> b.append("   ").append(line).append('\n'));
            if (clients.tls()) {
                PkiLayout files = clients.pki();
                b.append(" Partner API over mutual TLS: ").append(clients.httpsBase())
                        .append(" (plain HTTP, tokens only: ").append(base).append(")\n")
                        .append(" Development PKI: ").append(files.dir()).append(" (CA ca.pem, CRL crl.pem,")
                        .append(" client certificates clients/<partner>.p12|.pem|-key.pem, password ")
                        .append(DevPki.DEFAULT_PASSWORD).append(")\n");
            }
            if (first != null) {
                b.append(" Follow an exchange, as its sender:\n   ")
                        .append(curl(clients, first.source(), base)).append("/api/v1/exchanges/")
                        .append(first.exchangeId()).append('\n')
                        .append(" Its audit trail, as the auditor:\n")
                        .append("   curl -H 'Authorization: Bearer demo-token-auditor' '").append(base)
                        .append("/api/v1/audit/events?exchangeId=").append(first.exchangeId()).append("'\n");
            }
            b.append(" Send your own: any schemas/src/main/resources/spie/examples/v1/*/*.valid.json with a new\n")
                    .append(" exchangeId, as its source: ").append(curl(clients, "<source>", base))
                    .append("/api/v1/exchanges -H 'Content-Type: application/json' --data @file\n")
                    .append(" Demo credentials: client certificates of the mTLS partners (partners.yaml auth.methods),")
                    .append(" demo-token-<partner id> for token partners, demo-token-admin, demo-token-auditor.\n")
                    .append(" A new round of exchanges every ").append(interval.toSeconds()).append(" s. Ctrl-C stops.\n")
                    .append("=======================================================================");
            log.info(b.toString());
        }

        /** A curl command line that authenticates as {@code partner} (its certificate, or its demo token). */
        private String curl(DemoClients clients, String partner, String base) {
            boolean mtls = clients.tls() && config.current().partners().stream()
                    .anyMatch(p -> p.id().equals(partner) && p.accepts(AuthMethod.MTLS) && !p.accepts(AuthMethod.TOKEN));
            if (mtls || (clients.tls() && partner.startsWith("<"))) {
                PkiLayout files = clients.pki();
                return "curl --cacert " + files.caCertificate() + " --cert " + files.clientCertificate(partner)
                        + " --key " + files.clientKey(partner) + " " + clients.httpsBase();
            }
            return "curl -H 'Authorization: Bearer demo-token-" + partner + "' " + base;
        }
    }
}
