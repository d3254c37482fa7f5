package fr.spie.gateway.intake;

import fr.spie.gateway.SpieProperties;
import fr.spie.gateway.receipt.ReceiptService;
import fr.spie.gateway.security.GatewayPrincipal;
import fr.spie.gateway.store.ExchangeStore;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * The partners' API: submit an exchange, follow it. An accepted submission is answered 202 with the gateway's signed
 * receipt, in the body ({@code receipt}) and in the {@value #RECEIPT_HEADER} header (docs/security.md).
 */
@RestController
@RequestMapping("/api/v1/exchanges")
public class ExchangeController {
    /** Response header carrying the signed receipt of an accepted submission (same token as the body's receipt). */
    public static final String RECEIPT_HEADER = "SPIE-Receipt";

    private final IntakeService intake;
    private final ExchangeStore store;
    private final EnvelopeReader reader;
    private final ReceiptService receipts;

    public ExchangeController(IntakeService intake, ExchangeStore store, SpieProperties properties,
                              ReceiptService receipts) {
        this.intake = intake;
        this.store = store;
        this.receipts = receipts;
        this.reader = new EnvelopeReader(properties.intake().maxBodySize().toBytes());
    }

    @PostMapping
    public ResponseEntity<Map<String, Object>> submit(HttpServletRequest request,
                                                      @AuthenticationPrincipal GatewayPrincipal partner)
            throws IOException {
        JsonNode envelope;
        byte[] body;
        try {
            requireJson(request.getContentType());
            body = reader.readBody(request.getInputStream(), request.getContentLengthLong());
            envelope = reader.parse(body);
        } catch (IntakeRejection rejection) {
            intake.auditRefusal(partner.id(), rejection);
            throw rejection;
        }
        IntakeService.Accepted accepted = intake.submit(partner.id(), envelope, body);
        String statusUrl = "/api/v1/exchanges/" + accepted.exchangeId();
        ReceiptService.Receipt receipt = receipts.receipt(accepted.exchange());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("exchangeId", accepted.exchangeId().toString());
        answer.put("status", "ACCEPTED");
        answer.put("statusUrl", statusUrl);
        answer.put("receipt", receipt.token());
        answer.put("receiptLedgered", receipt.ledgered());
        answer.put("receiptUrl", statusUrl + "/receipt");
        return ResponseEntity.accepted().location(URI.create(statusUrl)).header(RECEIPT_HEADER, receipt.token())
                .body(answer);
    }

    @GetMapping("/{exchangeId}")
    public ResponseEntity<ExchangeStatusView> status(@PathVariable String exchangeId,
                                                     @AuthenticationPrincipal GatewayPrincipal caller) {
        UUID id;
        try {
            id = UUID.fromString(exchangeId);
        } catch (IllegalArgumentException e) {
            throw new IntakeRejection(400, "invalid-exchange-id", "Invalid exchange id",
                    "'" + exchangeId + "' is not a UUID");
        }
        return store.find(id)
                .filter(e -> caller.role() == GatewayPrincipal.Role.ADMIN || caller.isPartner(e.sourcePartner()))
                .map(e -> ResponseEntity.ok(ExchangeStatusView.of(e, store.deliveries(id),
                        caller.role() != GatewayPrincipal.Role.ADMIN)))
                .orElseThrow(() -> new IntakeRejection(404, "exchange-not-found", "Exchange not found",
                        "no exchange " + id + " sent by you"));
    }

    /** A 400 {@code unsupported-content-type} unless the content type is JSON ({@code application/json}, {@code +json}). */
    public static void requireJson(String contentType) {
        MediaType type;
        try {
            type = contentType == null ? null : MediaType.parseMediaType(contentType);
        } catch (IllegalArgumentException e) {
            type = null;
        }
        boolean json = type != null && "application".equals(type.getType())
                && ("json".equals(type.getSubtype()) || type.getSubtype().endsWith("+json"));
        if (!json) {
            throw new IntakeRejection(400, "unsupported-content-type", "Unsupported content type",
                    "the envelope must be sent as application/json, not " + (contentType == null ? "no content type"
                            : "'" + contentType + "'"));
        }
    }
}
