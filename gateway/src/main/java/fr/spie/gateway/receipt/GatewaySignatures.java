package fr.spie.gateway.receipt;

import fr.spie.gateway.ledger.GatewayKeys;
import fr.spie.gateway.privacy.Digests;
import java.security.cert.CertificateEncodingException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the gateway signs with its Ed25519 key (the ledger key, {@link GatewayKeys}): receipts of accepted exchanges
 * and the bodies it delivers. Every token names the key twice: {@code kid} (the ledger key id, 16 hex characters) and
 * {@code x5t#S256} (base64url SHA-256 of the DER certificate served at {@code GET /api/v1/gateway/certificate}).
 */
@Component
public class GatewaySignatures {
    /** {@code typ} of receipts. */
    public static final String RECEIPT_TYPE = "spie-receipt+jws";
    /** {@code typ} of delivery signatures. */
    public static final String DELIVERY_TYPE = "spie-delivery+jws";
    /** The header of every delivery that carries the detached JWS over its body. */
    public static final String DELIVERY_HEADER = "SPIE-Signature";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final GatewayKeys keys;
    private final String thumbprint;

    public GatewaySignatures(GatewayKeys keys) {
        this.keys = keys;
        try {
            this.thumbprint = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(Digests.sha256(keys.certificate().getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("the gateway certificate cannot be encoded", e);
        }
    }

    /** A compact JWS of {@code claims} (serialised in their iteration order). */
    public String signReceipt(Map<String, ?> claims) {
        return CompactJws.sign(header(RECEIPT_TYPE, Map.of()), JSON.writeValueAsBytes(claims), keys.privateKey());
    }

    /**
     * A detached JWS over the exact body bytes of a delivery; {@code bound} (exchange id, recipient...) goes into the
     * protected header, so a signature cannot be replayed for another exchange or recipient.
     */
    public String signBody(byte[] body, Map<String, ?> bound) {
        return CompactJws.signDetached(header(DELIVERY_TYPE, bound), body, keys.privateKey());
    }

    private Map<String, Object> header(String type, Map<String, ?> bound) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", CompactJws.ALG);
        header.put("typ", type);
        header.put("kid", keys.keyId());
        header.put("x5t#S256", thumbprint);
        header.putAll(bound);
        return header;
    }

    public String keyId() {
        return keys.keyId();
    }

    /** base64url SHA-256 of the DER certificate. */
    public String thumbprint() {
        return thumbprint;
    }

    public String certificatePem() {
        return keys.certificatePem();
    }

    /** The public key as a JWK (RFC 8037 OKP, Ed25519). */
    public Map<String, Object> jwk() {
        byte[] spki = keys.publicKey().getEncoded();
        byte[] raw = java.util.Arrays.copyOfRange(spki, spki.length - 32, spki.length); // SPKI DER ends with the key
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "OKP");
        jwk.put("crv", "Ed25519");
        jwk.put("x", Base64.getUrlEncoder().withoutPadding().encodeToString(raw));
        jwk.put("kid", keys.keyId());
        jwk.put("use", "sig");
        jwk.put("alg", CompactJws.ALG);
        jwk.put("x5t#S256", thumbprint);
        try {
            jwk.put("x5c", java.util.List.of(Base64.getEncoder().encodeToString(keys.certificate().getEncoded())));
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
        return jwk;
    }
}
