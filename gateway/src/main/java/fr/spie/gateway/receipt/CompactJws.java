package fr.spie.gateway.receipt;

import fr.spie.gateway.ledger.TreeHeadSigner;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * JWS compact serialisation (RFC 7515) with {@code alg: EdDSA} over Ed25519 (RFC 8037), signed and verified with
 * Bouncy Castle. Also the detached form (RFC 7515 appendix F): {@code header..signature}, the payload being the bytes
 * the signature travels with (an HTTP body). Only EdDSA is produced and accepted: the {@code alg} of a token is never
 * trusted to choose the algorithm, and a {@code crit} header is refused.
 */
public final class CompactJws {
    /** The JWS algorithm of every token the gateway signs. */
    public static final String ALG = "EdDSA";
    private static final Provider BC = TreeHeadSigner.BC;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private CompactJws() {
    }

    /** A verified token: its protected header and payload. */
    public record Verified(JsonNode header, byte[] payload) {
        public JsonNode payloadJson() {
            return JSON.readTree(payload);
        }
    }

    /** {@code base64url(header).base64url(payload).base64url(signature)}; {@code alg} is set to EdDSA. */
    public static String sign(Map<String, ?> header, byte[] payload, PrivateKey key) {
        String signingInput = encodeHeader(header) + "." + B64.encodeToString(payload);
        return signingInput + "." + B64.encodeToString(ed25519(key, signingInput));
    }

    /** The detached form {@code base64url(header)..base64url(signature)} of {@link #sign}. */
    public static String signDetached(Map<String, ?> header, byte[] payload, PrivateKey key) {
        String[] parts = sign(header, payload, key).split("\\.");
        return parts[0] + ".." + parts[2];
    }

    /**
     * Verifies a compact token.
     *
     * @throws InvalidJwsException when it is malformed, not EdDSA, or its signature is not by {@code key}
     */
    public static Verified verify(String compact, PublicKey key) {
        String[] parts = split(compact);
        if (parts[1].isEmpty()) {
            throw new InvalidJwsException("the token is detached: its payload must be given");
        }
        return check(parts[0], parts[1], parts[2], key);
    }

    /** Verifies a detached token ({@code header..signature}) over {@code payload}. */
    public static Verified verifyDetached(String detached, byte[] payload, PublicKey key) {
        String[] parts = split(detached);
        if (!parts[1].isEmpty()) {
            throw new InvalidJwsException("the token is not detached");
        }
        return check(parts[0], B64.encodeToString(payload), parts[2], key);
    }

    private static Verified check(String header64, String payload64, String signature64, PublicKey key) {
        JsonNode header;
        byte[] payload;
        byte[] signature;
        try {
            header = JSON.readTree(B64D.decode(header64));
            payload = B64D.decode(payload64);
            signature = B64D.decode(signature64);
        } catch (IllegalArgumentException | JacksonException e) {
            throw new InvalidJwsException("not base64url-encoded JSON: " + e.getMessage());
        }
        if (header == null || !header.isObject() || !ALG.equals(header.path("alg").asString(null))) {
            throw new InvalidJwsException("the header's alg is not " + ALG);
        }
        if (header.has("crit")) {
            throw new InvalidJwsException("critical header parameters are not supported");
        }
        try {
            Signature s = Signature.getInstance("Ed25519", BC);
            s.initVerify(key);
            s.update((header64 + "." + payload64).getBytes(StandardCharsets.US_ASCII));
            if (!s.verify(signature)) {
                throw new InvalidJwsException("the signature does not verify");
            }
        } catch (GeneralSecurityException e) {
            throw new InvalidJwsException("the signature does not verify: " + e.getMessage());
        }
        return new Verified(header, payload);
    }

    private static String[] split(String token) {
        if (token == null) {
            throw new InvalidJwsException("no token");
        }
        String[] parts = token.trim().split("\\.", -1);
        if (parts.length != 3) {
            throw new InvalidJwsException("a compact JWS has three dot-separated parts, not " + parts.length);
        }
        return parts;
    }

    private static String encodeHeader(Map<String, ?> header) {
        ObjectNode node = JSON.valueToTree(header);
        node.put("alg", ALG);
        return B64.encodeToString(JSON.writeValueAsBytes(node));
    }

    private static byte[] ed25519(PrivateKey key, String signingInput) {
        try {
            Signature s = Signature.getInstance("Ed25519", BC);
            s.initSign(key);
            s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with Ed25519", e);
        }
    }

    /** A token that is malformed or does not verify. */
    public static final class InvalidJwsException extends RuntimeException {
        public InvalidJwsException(String message) {
            super(message);
        }
    }
}
