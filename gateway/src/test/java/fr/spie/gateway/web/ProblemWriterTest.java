package fr.spie.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.intake.IntakeRejection;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.springframework.http.ProblemDetail;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A problem's {@code instance} is the request's path. Tomcat passes on paths that are no valid URI when
 * {@code server.tomcat.relaxed-path-chars} lets {@code [ ] | ^ { } `} through (with it, such a request was answered 500
 * instead of its 401, 400 or 404): those characters are percent-encoded, the rest of the path is kept as sent.
 */
class ProblemWriterTest {
    private static final IntakeRejection UNAUTHENTICATED = new IntakeRejection(401, "unauthenticated",
            "Authentication required", "a credential is required");

    private final ProblemWriter problems = new ProblemWriter();

    @Test
    void aPathThatIsNoValidUriIsPercentEncodedInTheInstance() {
        assertThat(problems.toProblem(UNAUTHENTICATED, "/api/v1/exchanges/a|b^c`d").getInstance())
                .isEqualTo(URI.create("/api/v1/exchanges/a%7Cb%5Ec%60d"));
        assertThat(problems.toProblem(UNAUTHENTICATED, "/api/v1/partners/[x]/{y}/webhooks").getInstance())
                .isEqualTo(URI.create("/api/v1/partners/%5Bx%5D/%7By%7D/webhooks"));
        // a lone % is encoded, an escape kept; a character outside ASCII as its UTF-8 bytes
        assertThat(problems.toProblem(UNAUTHENTICATED, "/a%/b%7C/é").getInstance())
                .isEqualTo(URI.create("/a%25/b%7C/%C3%A9"));
    }

    @Test
    void aValidPathIsKeptAsSent() {
        for (String path : new String[] {"/api/v1/exchanges/a%20b", "/api/v1/exchanges/a%7Cb",
                "/api/v1/partners/cd-51/files", "/api/v1/consents/x;y=z:@!$&'()*+,"}) {
            assertThat(problems.toProblem(UNAUTHENTICATED, path).getInstance()).isEqualTo(URI.create(path));
        }
        ProblemDetail noPath = problems.toProblem(UNAUTHENTICATED, null);
        assertThat(noPath.getInstance()).isNull();
    }

    @Test
    void theSecurityChainsRefusalOfSuchAPathIsStillItsProblem() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/exchanges/[x]");
        MockHttpServletResponse response = new MockHttpServletResponse();

        problems.write(request, response, UNAUTHENTICATED);

        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(response.getContentType()).startsWith("application/problem+json");
        JsonNode body = JsonMapper.builder().build().readTree(response.getContentAsByteArray());
        assertThat(body.path("type").asString()).endsWith("/unauthenticated");
        assertThat(body.path("instance").asString()).isEqualTo("/api/v1/exchanges/%5Bx%5D");
    }
}
