package fr.spie.gateway.pull;

import fr.spie.gateway.SpieProperties;
import fr.spie.gateway.intake.EnvelopeReader;
import fr.spie.gateway.intake.IntakeRejection;
import fr.spie.gateway.security.GatewayPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/v1/partners/{partnerId}/pulls}: a recipient (or an admin) has the gateway read a person's records
 * from that partner's API; each record read becomes an exchange from the partner (see {@link PullService}).
 */
@RestController
public class PullController {
    private final PullService pulls;
    private final EnvelopeReader reader;

    public PullController(PullService pulls, SpieProperties properties) {
        this.pulls = pulls;
        this.reader = new EnvelopeReader(properties.intake().maxBodySize().toBytes());
    }

    @PostMapping("/api/v1/partners/{partnerId}/pulls")
    public ResponseEntity<Map<String, Object>> pull(@PathVariable String partnerId, HttpServletRequest request,
                                                    @AuthenticationPrincipal GatewayPrincipal caller)
            throws IOException {
        String contentType = request.getContentType();
        if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
            throw new IntakeRejection(400, "unsupported-content-type", "Unsupported content type",
                    "a pull request is sent as application/json");
        }
        JsonNode body = reader.parse(reader.readBody(request.getInputStream(), request.getContentLengthLong()));
        List<PullOutcome> outcomes = pulls.pull(caller, partnerId, body);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("partner", partnerId);
        answer.put("records", outcomes.stream().map(PullController::view).toList());
        return ResponseEntity.ok(answer);
    }

    private static Map<String, Object> view(PullOutcome outcome) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("recordType", outcome.recordType());
        view.put("status", outcome.status().name());
        if (outcome.exchangeId() != null) {
            view.put("exchangeId", outcome.exchangeId().toString());
        }
        view.put("detail", outcome.detail());
        return view;
    }
}
