package fr.spie.connector.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedirectsTest {
    private static final URI CALLED = URI.create("https://rsa.marne.fr/spie/v1/records");

    @Test
    void theLocationIsQuotedAsSchemeHostPortAndPathOnly() {
        assertThat(Redirects.location(location("HTTPS://agent:pw@new.marne.fr:8443/spie/v2/records?token=x#f"), CALLED))
                .contains("https://new.marne.fr:8443/spie/v2/records");
        assertThat(Redirects.location(location("../v2/records?x=1"), CALLED))
                .as("relative: read against the address called").contains("https://rsa.marne.fr/spie/v2/records");
        assertThat(Redirects.location(location("https://new.example/dossiers/D42/rdv"), CALLED, "D42"))
                .contains("https://new.example/dossiers/…/rdv");
        assertThat(Redirects.location(location("https://new.example/" + "a".repeat(300)), CALLED).orElseThrow())
                .hasSize("https://new.example".length() + Redirects.MAX_PATH + 1);
    }

    @Test
    void anAbsentOrUnreadableLocationIsSaidSo() {
        assertThat(Redirects.movedReason(HttpHeaders.of(Map.of(), (a, b) -> true), CALLED, "delivery.url"))
                .isEqualTo("the endpoint moved permanently (no readable Location): redirects are not followed, fix"
                        + " delivery.url in the configuration");
        assertThat(Redirects.location(location("http://bad host/x y"), CALLED)).isEmpty();
        assertThat(Redirects.location(location("mailto:someone"), CALLED)).isEmpty();
    }

    @Test
    void onlyMovedPermanentlyAndPermanentRedirectAreForGood() {
        assertThat(List.of(300, 301, 302, 303, 304, 307, 308).stream().filter(Redirects::movedPermanently))
                .containsExactly(301, 308);
        assertThat(Redirects.isRedirect(299)).isFalse();
        assertThat(Redirects.isRedirect(307)).isTrue();
        assertThat(Redirects.isRedirect(400)).isFalse();
    }

    private static HttpHeaders location(String value) {
        return HttpHeaders.of(Map.of("Location", List.of(value)), (a, b) -> true);
    }
}
