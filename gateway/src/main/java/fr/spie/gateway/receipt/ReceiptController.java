package fr.spie.gateway.receipt;

import fr.spie.gateway.intake.IntakeRejection;
import fr.spie.gateway.security.GatewayPrincipal;
import fr.spie.gateway.store.ExchangeStore;
import fr.spie.gateway.store.StoredExchange;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The receipt of an exchange (its sender or an admin), and the gateway's certificate and JWK set (public), with which
 * receipts and delivery signatures are verified.
 */
@RestController
public class ReceiptController {
    private final ReceiptService receipts;
    private final ExchangeStore store;
    private final GatewaySignatures signatures;

    public ReceiptController(ReceiptService receipts, ExchangeStore store, GatewaySignatures signatures) {
        this.receipts = receipts;
        this.store = store;
        this.signatures = signatures;
    }

    @GetMapping("/api/v1/exchanges/{exchangeId}/receipt")
    public Map<String, Object> receipt(@PathVariable String exchangeId,
                                       @AuthenticationPrincipal GatewayPrincipal caller) {
        UUID id = exchangeId(exchangeId);
        StoredExchange exchange = store.find(id)
                .filter(e -> caller.role() == GatewayPrincipal.Role.ADMIN || caller.isPartner(e.sourcePartner()))
                .orElseThrow(() -> new IntakeRejection(404, "exchange-not-found", "Exchange not found",
                        "no exchange " + id + " sent by you"));
        ReceiptService.Receipt receipt = receipts.receipt(exchange);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("exchangeId", id.toString());
        view.put("receipt", receipt.token());
        view.put("ledgered", receipt.ledgered());
        view.put("ledgerIndex", receipt.ledgerIndex());
        return view;
    }

    /** The X.509 certificate of the gateway's Ed25519 key (PEM); its key id in {@code SPIE-Key-Id}. */
    @GetMapping(value = "/api/v1/gateway/certificate", produces = "application/x-pem-file")
    public ResponseEntity<String> certificate() {
        return ResponseEntity.ok().header("SPIE-Key-Id", signatures.keyId()).body(signatures.certificatePem());
    }

    /** The same key as a JWK set (RFC 7517, OKP Ed25519 of RFC 8037), with the certificate in {@code x5c}. */
    @GetMapping(value = "/api/v1/gateway/jwks", produces = "application/jwk-set+json")
    public Map<String, Object> jwks() {
        return Map.of("keys", List.of(signatures.jwk()));
    }

    static UUID exchangeId(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new IntakeRejection(400, "invalid-exchange-id", "Invalid exchange id",
                    "'" + text + "' is not a UUID");
        }
    }
}
