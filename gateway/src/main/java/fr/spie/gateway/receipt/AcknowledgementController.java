package fr.spie.gateway.receipt;

import fr.spie.gateway.intake.ExchangeController;
import fr.spie.gateway.intake.IntakeRejection;
import fr.spie.gateway.security.GatewayPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/exchanges/{id}/acknowledgements}: a recipient partner says it received (and verified) its
 * delivery. Body optional: {@code {"receivedDigest": "<hex SHA-256 of the body received>"}}.
 */
@RestController
public class AcknowledgementController {
    static final int MAX_BODY = 4096;

    private final Acknowledgements acknowledgements;

    public AcknowledgementController(Acknowledgements acknowledgements) {
        this.acknowledgements = acknowledgements;
    }

    @PostMapping("/api/v1/exchanges/{exchangeId}/acknowledgements")
    public ResponseEntity<Map<String, Object>> acknowledge(@PathVariable String exchangeId,
                                                           @AuthenticationPrincipal GatewayPrincipal caller,
                                                           HttpServletRequest request) throws IOException {
        UUID id = ReceiptController.exchangeId(exchangeId);
        byte[] body = request.getInputStream().readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
            throw new IntakeRejection(413, "acknowledgement-too-large", "Acknowledgement too large",
                    "an acknowledgement body is at most " + MAX_BODY + " bytes");
        }
        if (!new String(body, StandardCharsets.UTF_8).isBlank()) {
            // a body is JSON, as every body the API reads (one sent as text or without a type was read as JSON)
            ExchangeController.requireJson(request.getContentType());
        }
        Acknowledgements.Outcome outcome = acknowledgements.acknowledge(id, caller.id(), body);
        return ResponseEntity.status(outcome.recorded() ? 201 : 200).body(outcome.view());
    }
}
