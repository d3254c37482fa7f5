package fr.spie.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook signatures as used by partners' tools (Lapin: {@code X-Lapin-Signature}, RDV-Insertion:
 * {@code X-RDVI-Signature}): lowercase hex HMAC-SHA256 of the exact raw body bytes, keyed with a shared secret.
 * Outbound, the spie-json transport signs what it sends; inbound, {@link #verify} checks a received signature in
 * constant time (PartnerWebhookController).
 */
public final class WebhookSignature {
    private static final String ALGORITHM = "HmacSHA256";

    private WebhookSignature() {
    }

    /** Lowercase hex HMAC-SHA256 of {@code body} under {@code secret} (UTF-8 bytes of the secret). */
    public static String sign(String secret, byte[] body) {
        return HexFormat.of().formatHex(mac(secret, body));
    }

    /**
     * Whether {@code received} (hex, any case, optionally prefixed {@code sha256=}) is the signature of
     * {@code body}. The comparison takes the same time wherever the first difference is.
     */
    public static boolean verify(String secret, byte[] body, String received) {
        if (received == null) {
            return false;
        }
        String hex = received.trim().toLowerCase(Locale.ROOT);
        if (hex.startsWith("sha256=")) {
            hex = hex.substring("sha256=".length());
        }
        byte[] expected = mac(secret, body);
        byte[] given;
        try {
            given = HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(expected, given);
    }

    private static byte[] mac(String secret, byte[] body) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("a webhook secret is required");
        }
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}
