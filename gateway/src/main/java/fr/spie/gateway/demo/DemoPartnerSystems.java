package fr.spie.gateway.demo;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import fr.spie.gateway.config.Partner;
import fr.spie.gateway.routing.RoutingConfigHolder;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo territory's partner systems, simulated with WireMock on the loopback ports of their configured delivery
 * URLs. They acknowledge every record; the mission locale's system is "down" for its first request of each record, to
 * show retries.
 */
public class DemoPartnerSystems implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DemoPartnerSystems.class);
    static final String FLAKY_PARTNER = "ml-reims";

    private final Map<String, WireMockServer> servers = new TreeMap<>();

    public DemoPartnerSystems(RoutingConfigHolder config) {
        for (Partner partner : config.current().partners()) {
            if (partner.delivery() == null || partner.delivery().url() == null) {
                continue; // no delivery, or a partner transport (France Travail API, i-milo, file outbox)
            }
            URI url = partner.delivery().url();
            if (!isLoopback(url.getHost()) || url.getPort() <= 0) {
                log.info("demo: partner {} delivers to {}, not simulated", partner.id(), url);
                continue;
            }
            WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").port(url.getPort()));
            server.start();
            if (FLAKY_PARTNER.equals(partner.id())) {
                server.stubFor(any(anyUrl()).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                        .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
                server.stubFor(any(anyUrl()).inScenario("flaky").whenScenarioStateIs("up")
                        .willReturn(aResponse().withStatus(200)).willSetStateTo(Scenario.STARTED));
            } else {
                server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
            }
            servers.put(partner.id(), server);
        }
        log.info("demo: simulated partner systems listening: {}", describe());
    }

    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        servers.forEach((id, s) -> lines.add(id + " on http://localhost:" + s.port() + "/__admin/requests"));
        return lines;
    }

    /** Requests received by a simulated partner system so far. */
    public int received(String partnerId) {
        WireMockServer server = servers.get(partnerId);
        return server == null ? 0 : server.getAllServeEvents().size();
    }

    private static boolean isLoopback(String host) {
        return "localhost".equals(host) || "127.0.0.1".equals(host) || "[::1]".equals(host);
    }

    @Override
    public void close() {
        servers.values().forEach(WireMockServer::stop);
    }
}
