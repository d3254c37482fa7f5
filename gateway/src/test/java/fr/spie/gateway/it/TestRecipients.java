package fr.spie.gateway.it;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The three recipients of the test configuration (cd-51, ft-51, ml-reims) as WireMock servers, for tests that start
 * gateways of their own: the arguments that point the configuration at them, and their stop after each test
 * (a field annotated {@code @RegisterExtension}).
 */
public final class TestRecipients implements AutoCloseable, AfterEachCallback {
    public final WireMockServer cd = GatewayTestSupport.startRecipient();
    public final WireMockServer ft = GatewayTestSupport.startRecipient();
    public final WireMockServer ml = GatewayTestSupport.startRecipient();

    /** {@code --TEST_URL_...} arguments: each recipient receives at {@code <its base URL>/spie}. */
    public List<String> urlArguments() {
        return List.of("--TEST_URL_CD_51=" + cd.baseUrl() + "/spie", "--TEST_URL_FT_51=" + ft.baseUrl() + "/spie",
                "--TEST_URL_ML_REIMS=" + ml.baseUrl() + "/spie");
    }

    /** {@code arguments}, then the {@link #urlArguments()}: the arguments of a gateway started for a test. */
    public String[] with(String... arguments) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(arguments), urlArguments().stream())
                .toArray(String[]::new);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        cd.stop();
        ft.stop();
        ml.stop();
    }
}
