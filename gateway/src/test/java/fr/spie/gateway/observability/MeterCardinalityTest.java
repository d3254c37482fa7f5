package fr.spie.gateway.observability;

import static fr.spie.gateway.it.GatewayTestSupport.get;
import static fr.spie.gateway.it.GatewayTestSupport.post;
import static fr.spie.gateway.it.GatewayTestSupport.token;
import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.it.RunningGatewayTest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What callers put in URLs and bodies (a partner id of the path, unauthenticated or not theirs, an exchange or file
 * id, an envelope's source, any path) never becomes a meter tag: each new value would create series kept for the
 * process's life (and could be a name or a NIR in the metrics). A second round of such requests with new values adds
 * no series.
 */
class MeterCardinalityTest extends RunningGatewayTest {
    static final int PER_ROUND = 15;

    @Test
    void newValuesFromCallersAddNoSeries() {
        List<String> first = round();
        scrape(); // the scrape's own request series
        String before = scrape();
        List<String> second = round();
        String after = scrape();

        assertThat(series(after, "http_server_requests")).as("request series, second round")
                .isEqualTo(series(before, "http_server_requests"));
        assertThat(series(after, "spie_")).as("gateway series, second round").isEqualTo(series(before, "spie_"));
        for (String value : concat(first, second)) {
            assertThat(after).as("a caller's value in the metrics").doesNotContain(value);
        }
    }

    private List<String> round() {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < PER_ROUND; i++) {
            String v = "zq" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            values.add(v);
            byte[] body = ("{\"exchangeId\":\"" + UUID.randomUUID() + "\",\"source\":\"" + v + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            expect(post(port, "/api/v1/partners/" + v + "/files", null, "application/xml", body), 401);
            expect(post(port, "/api/v1/partners/" + v + "/files", token("cd-51"), "application/xml", body), 403);
            expect(post(port, "/api/v1/partners/" + v + "/webhooks", null, "application/json", body), 404);
            expect(post(port, "/api/v1/exchanges", token("cd-51"), "application/json", body), 400);
            expect(get(port, "/api/v1/files/" + v, token("admin")), 400);
            expect(get(port, "/api/v1/exchanges/" + v, token("cd-51")), 400);
            expect(get(port, "/" + v, null), 401);
            expect(get(port, "/" + v, token("admin")), 403);
        }
        return values;
    }

    private static void expect(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.uri() + " " + r.body()).isEqualTo(status);
    }

    private String scrape() {
        HttpResponse<String> r = get(port, "/actuator/prometheus", token("admin"));
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** The series (name and labels, no value) of the meters whose name starts with {@code prefix}. */
    private static Set<String> series(String scrape, String prefix) {
        Set<String> out = new TreeSet<>();
        for (String line : scrape.split("\\R")) {
            // the requests in progress (the scrape itself) come and go
            if (line.startsWith(prefix) && !line.contains("_active_")) {
                out.add(line.substring(0, line.lastIndexOf(' ')));
            }
        }
        return out;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
