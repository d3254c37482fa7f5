package fr.spie.gateway.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The config version: what identifies the configuration in force, recorded with every audit event. SHA-256 (lowercase
 * hex) over the files as written and over the values their {@code ${NAME:default}} placeholders resolved to, so that a
 * variable that changes a recipient, an endpoint or a release list changes the version as an edit of the file does.
 * <p>
 * The version is published (audit events and their export, acknowledgements), so no credential enters it in a form
 * that could be tested against guesses: the value of a credential (a token hash, a client secret, an API key, a
 * signature secret) counts only by being empty or not. Rotating a credential leaves the version as it is; giving one
 * to a partner or operator that had none, or taking it away, changes it.
 */
final class ConfigVersion {
    /** The keys whose values are credentials, wherever they are (a list of token hashes included). */
    private static final Set<String> CREDENTIAL_KEYS = Set.of("tokenSha256", "clientSecret", "apiKey", "secret");

    private ConfigVersion() {
    }

    /**
     * SHA-256 (lowercase hex) over, for each file in name order, its name in UTF-8, a newline, its length in bytes in
     * decimal, a newline and its raw bytes; then, when some value held a placeholder, the line
     * {@code resolved placeholders} and, for each file in name order and each such value in document order: the file
     * name, a newline, the UTF-8 length of the value's JSON pointer in decimal, a newline, the pointer, a newline, and
     * {@code value <SHA-256 hex of the resolved value>} or, for a credential, {@code credential set} or
     * {@code credential empty}, and a newline. Without placeholders, the version is that of the raw files alone.
     *
     * @param raw      the raw bytes of each file read, by name
     * @param resolved the values that held placeholders in each file, by name, in document order
     */
    static String of(Map<String, byte[]> raw, Map<String, List<Placeholders.ResolvedValue>> resolved) {
        MessageDigest sha = sha256();
        for (Map.Entry<String, byte[]> file : new TreeMap<>(raw).entrySet()) {
            sha.update(utf8(file.getKey() + "\n" + file.getValue().length + "\n"));
            sha.update(file.getValue());
        }
        Map<String, List<Placeholders.ResolvedValue>> values = new TreeMap<>(resolved);
        values.values().removeIf(List::isEmpty);
        if (!values.isEmpty()) {
            sha.update(utf8("resolved placeholders\n"));
            for (Map.Entry<String, List<Placeholders.ResolvedValue>> file : values.entrySet()) {
                for (Placeholders.ResolvedValue value : file.getValue()) {
                    sha.update(utf8(file.getKey() + "\n" + utf8(value.pointer()).length + "\n" + value.pointer()
                            + "\n" + contribution(value) + "\n"));
                }
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** What a value gives the version: the digest of an ordinary value, only whether a credential is set. */
    private static String contribution(Placeholders.ResolvedValue value) {
        if (isCredential(value.pointer())) {
            return value.value().isEmpty() ? "credential empty" : "credential set";
        }
        return "value " + HexFormat.of().formatHex(sha256().digest(utf8(value.value())));
    }

    /** Whether the value at this JSON pointer is a credential: a segment of its path is a credential's key. */
    static boolean isCredential(String pointer) {
        for (String segment : pointer.split("/")) {
            if (CREDENTIAL_KEYS.contains(segment.replace("~1", "/").replace("~0", "~"))) {
                return true;
            }
        }
        return false;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
