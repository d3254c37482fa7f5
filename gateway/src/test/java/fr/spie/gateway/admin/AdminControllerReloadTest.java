package fr.spie.gateway.admin;

import fr.spie.gateway.security.GatewayPrincipal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/** POST /api/v1/admin/config/reload: its answers. */
class AdminControllerReloadTest {
    static final GatewayPrincipal ADMIN = new GatewayPrincipal("admin", GatewayPrincipal.Role.ADMIN);

    static AdminController answering(ConfigReloader.Outcome outcome) {
        ConfigReloader reloader = new ConfigReloader(null, null, null, null, fr.spie.schema.SpieSchemas.load(),
                new org.springframework.core.env.StandardEnvironment(), java.time.Duration.ZERO) {
            @Override
            public synchronized Outcome reload(String actor) {
                return outcome;
            }
        };
        return new AdminController(null, reloader, null, null, null);
    }

    /** Before: a plain application/json body, where every other API error is an RFC 9457 problem. */
    @Test
    void aRefusedReloadIsAProblemDetailThatKeepsTheOutcomeVersionAndProblems() {
        List<String> problems = List.of("routes.yaml:6:10: route 'r': 'to' names unknown partner 'cd-53'");
        ResponseEntity<?> answer = answering(new ConfigReloader.Outcome("refused", "abc123", problems)).reload(ADMIN);

        assertThat(answer.getStatusCode().value()).isEqualTo(422);
        assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(answer.getBody()).isInstanceOfSatisfying(ProblemDetail.class, problem -> {
            assertThat(problem.getType()).hasToString("https://spie-gateway.fr/problems/config-reload-refused");
            assertThat(problem.getTitle()).isEqualTo("Configuration reload refused");
            assertThat(problem.getDetail()).isEqualTo("1 problem in the configuration files (version abc123): the "
                    + "configuration in force stays");
            assertThat(problem.getProperties()).containsEntry("outcome", "refused").containsEntry("version", "abc123")
                    .containsEntry("problems", problems);
        });
    }

    @Test
    void aLoadedReloadIsItsOutcome() {
        ConfigReloader.Outcome loaded = new ConfigReloader.Outcome("loaded", "abc123", List.of());
        ResponseEntity<?> answer = answering(loaded).reload(ADMIN);

        assertThat(answer.getStatusCode().value()).isEqualTo(200);
        assertThat(answer.getBody()).isEqualTo(loaded);
    }
}
