package fr.spie.gateway.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;

/**
 * Keyed pseudonyms of persons: HMAC-SHA-256 of the normalised subject key with a secret only the gateway holds, so a
 * NIR cannot be recovered from the audit trail by trying every possible NIR.
 */
public final class Pseudonymizer {
    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    public Pseudonymizer(byte[] secret) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("the pseudonym key must be at least 256 bits");
        }
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    }

    /** The pseudonym of the envelope's subject, or empty when the subject carries no usable key. */
    public Optional<String> pseudonymOf(JsonNode subject) {
        return SubjectKey.of(subject).map(this::pseudonym);
    }

    public String pseudonym(String subjectKey) {
        return HexFormat.of().formatHex(macs.get().doFinal(subjectKey.getBytes(StandardCharsets.UTF_8)));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }
}
