package fr.spie.gateway.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;

import com.github.tomakehurst.wiremock.WireMockServer;
import fr.spie.gateway.SpieGatewayMain;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Runs the whole gateway on a random port (embedded Artemis and H2 in a temporary data directory) with the test
 * routing configuration, whose recipients are WireMock servers. Subclasses share one application context.
 */
@SpringBootTest(classes = SpieGatewayMain.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class RunningGatewayTest {
    protected static final WireMockServer CD_51 = GatewayTestSupport.startRecipient();
    protected static final WireMockServer FT_51 = GatewayTestSupport.startRecipient();
    protected static final WireMockServer ML_REIMS = GatewayTestSupport.startRecipient();
    protected static final Path DATA = GatewayTestSupport.tempDataDir();
    protected static final String WEBHOOK_SECRET = "test-webhook-secret-rdvi-51";

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void gatewayProperties(DynamicPropertyRegistry registry) {
        registry.add("spie.data-dir", DATA::toString);
        registry.add("spie.config-dir", () -> GatewayTestSupport.TEST_CONFIG);
        registry.add("spie.intake.max-body-size", () -> "64KB");
        registry.add("spie.ledger.head-every", () -> "300ms");
        registry.add("TEST_URL_CD_51", () -> CD_51.baseUrl() + "/spie/records");
        registry.add("TEST_URL_FT_51", () -> FT_51.baseUrl() + "/spie/records");
        registry.add("TEST_URL_ML_REIMS", () -> ML_REIMS.baseUrl() + "/spie/records");
        registry.add("TEST_URL_FT_API", FT_51::baseUrl);
        // an RDV-Insertion-like tool posting signed webhooks (ReceiptsAndSignaturesTest)
        registry.add("spie.webhooks.partners.rdvi-51.header", () -> "X-RDVI-Signature");
        registry.add("spie.webhooks.partners.rdvi-51.secret", () -> WEBHOOK_SECRET);
        // the tests' own refusals without a credential (all from 127.0.0.1) stay audited one by one;
        // RejectionFloodTest goes beyond this
        registry.add("spie.audit.rejections.per-key-limit", () -> "50");
    }

    /** Every recipient acknowledges, unless a test says otherwise. */
    @BeforeEach
    void recipientsUp() {
        for (WireMockServer server : new WireMockServer[] {CD_51, FT_51, ML_REIMS}) {
            server.resetAll();
            server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        }
    }
}
