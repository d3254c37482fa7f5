package fr.spie.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A database that cannot be written (its file system full: H2 "No space left on device", then "The database has been
 * closed") answered a submission with Spring's default 500 JSON, not a problem, and gave the partner no hint to retry.
 */
class StorageUnavailableProblemTest {

    @RestController
    static class FailingController {
        @PostMapping("/api/v1/exchanges")
        String submit() {
            throw new DataAccessResourceFailureException("The database has been closed [90098-240]");
        }
    }

    @Test
    void aStorageFailureIsA503ProblemWithRetryAfter() throws Exception {
        MockMvc mvc = MockMvcBuilders.standaloneSetup(new FailingController())
                .setControllerAdvice(new ProblemHandler(new ProblemWriter())).build();

        MvcResult result = mvc.perform(post("/api/v1/exchanges")).andReturn();

        assertThat(result.getResponse().getStatus()).isEqualTo(503);
        assertThat(result.getResponse().getContentType()).isEqualTo("application/problem+json");
        assertThat(result.getResponse().getHeader("Retry-After")).isEqualTo("30");
        assertThat(result.getResponse().getContentAsString())
                .contains("\"type\":\"https://spie-gateway.fr/problems/storage-unavailable\"")
                .contains("send it again after the Retry-After delay")
                .doesNotContain("90098");
    }
}
