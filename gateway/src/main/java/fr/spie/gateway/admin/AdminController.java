package fr.spie.gateway.admin;

import fr.spie.gateway.config.GatewayConfig;
import fr.spie.gateway.consent.ConsentLookup;
import fr.spie.gateway.intake.EnvelopeReader;
import fr.spie.gateway.intake.ExchangeController;
import fr.spie.gateway.intake.IntakeRejection;
import fr.spie.gateway.privacy.Pseudonymizer;
import fr.spie.gateway.privacy.SenderIssuer;
import fr.spie.gateway.routing.RoutingConfigHolder;
import fr.spie.gateway.routing.RoutingExplainer;
import fr.spie.gateway.security.GatewayPrincipal;
import fr.spie.schema.SpieSchemas;
import fr.spie.gateway.web.ProblemWriter;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Administration: the routing configuration in force, its reload, and routing explanations. ADMIN only. */
@RestController
@RequestMapping("/api/v1/admin")
public class AdminController {
    private final RoutingConfigHolder holder;
    private final ConfigReloader reloader;
    private final ConsentLookup consents;
    private final Pseudonymizer pseudonymizer;
    private final SpieSchemas schemas;
    private final RoutingExplainer explainer = new RoutingExplainer();
    /**
     * Reads the envelope to explain as the intake reads one (an object that names a member twice, or a body that is not
     * UTF-8, is refused there: 400 malformed-json), so that explain does not show as deliverable what the intake
     * refuses. No size limit of its own, as before (Spring MVC's).
     */
    private final EnvelopeReader reader = new EnvelopeReader(Integer.MAX_VALUE);

    public AdminController(RoutingConfigHolder holder, ConfigReloader reloader, ConsentLookup consents,
                           Pseudonymizer pseudonymizer, SpieSchemas schemas) {
        this.holder = holder;
        this.reloader = reloader;
        this.consents = consents;
        this.pseudonymizer = pseudonymizer;
        this.schemas = schemas;
    }

    /** The version in force, when it was loaded, and the last refused reload with its problems. */
    @GetMapping("/config")
    public Map<String, Object> config() {
        GatewayConfig config = holder.current();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("version", config.version());
        view.put("loadedAt", config.loadedAt().toString());
        view.put("directory", config.directory().toString());
        view.put("partners", config.partners().size());
        view.put("routes", config.routes().stream().map(r -> r.id()).toList());
        view.put("lastRefusedReload", reloader.lastRefused());
        return view;
    }

    /**
     * Reloads now: 200 with the outcome when loaded or unchanged; when refused, 422 problem+json
     * ({@code config-reload-refused}) with the outcome, the refused files' version and every problem (the running
     * config stays).
     */
    @PostMapping("/config/reload")
    public ResponseEntity<?> reload(@AuthenticationPrincipal GatewayPrincipal caller) {
        ConfigReloader.Outcome outcome = reloader.reload(caller.id());
        if (!"refused".equals(outcome.outcome())) {
            return ResponseEntity.ok(outcome);
        }
        int count = outcome.problems().size();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(422), count + " problem"
                + (count == 1 ? "" : "s") + " in the configuration files (version " + outcome.version()
                + "): the configuration in force stays");
        problem.setType(URI.create(ProblemWriter.TYPE_BASE + "config-reload-refused"));
        problem.setTitle("Configuration reload refused");
        problem.setProperty("outcome", outcome.outcome());
        problem.setProperty("version", outcome.version());
        problem.setProperty("problems", outcome.problems());
        return ResponseEntity.status(422).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    /** What the gateway would do with this envelope, now, without sending anything. */
    @PostMapping("/routing/explain")
    public Map<String, Object> explain(@RequestBody byte[] body, HttpServletRequest request) {
        // sent as JSON, as the intake requires it (a text/plain or XML body was explained as if it were JSON)
        ExchangeController.requireJson(request.getContentType());
        JsonNode envelope = reader.parse(body);
        List<IntakeRejection.FieldError> violations = schemas.validateEnvelope(envelope).stream()
                .map(v -> new IntakeRejection.FieldError(v.pointer(), v.message())).toList();
        GatewayConfig config = holder.current();
        String pseudonym = pseudonymizer.pseudonymOf(SenderIssuer.subjectToKey(config,
                envelope.path("source").asString(null), envelope.path("subject"))).orElse(null);
        RoutingExplainer.Explanation explanation = explainer.explain(config, envelope, pseudonym, consents,
                Instant.now());
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("configVersion", explanation.configVersion());
        view.put("schemaViolations", violations);
        view.put("notes", explanation.notes());
        view.put("recipients", explanation.recipients());
        return view;
    }
}
