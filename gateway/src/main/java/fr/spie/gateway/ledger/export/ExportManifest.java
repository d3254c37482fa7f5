package fr.spie.gateway.ledger.export;

import fr.spie.gateway.ledger.CanonicalJson;
import fr.spie.gateway.ledger.KeyIds;
import fr.spie.gateway.ledger.MerkleHash;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The signed list of what a selection export holds. Signed with the ledger key over
 * {@value #DOMAIN} followed by the canonical JSON of {@code treeSize}, {@code count}, {@code ledgerIndexes},
 * {@code eventsDigest} and {@code generatedAt} (the domain prefix keeps these signatures apart from tree-head
 * signatures, whose signed bytes are a fixed 49-byte binary structure).
 */
public final class ExportManifest {
    static final String DOMAIN = "spie-ledger-export-manifest/1\n";
    private static final Provider BC = new BouncyCastleProvider();

    private final List<Long> ledgerIndexes = new ArrayList<>();
    private final MessageDigest digest;

    public ExportManifest() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds the next event of the export. */
    public void add(long ledgerIndex, byte[] leafHash) {
        ledgerIndexes.add(ledgerIndex);
        digest.update(leafHash);
    }

    public List<Long> ledgerIndexes() {
        return ledgerIndexes;
    }

    /** Hex SHA-256 over the leaf hashes added so far (consumes the digest). */
    public String finishDigest() {
        return MerkleHash.hex(digest.digest());
    }

    /** The manifest record, signed. */
    public Map<String, Object> sign(long treeSize, String generatedAt, PrivateKey key, PublicKey publicKey) {
        Map<String, Object> signed = signedPart(treeSize, ledgerIndexes, finishDigest(), generatedAt);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("record", ExportRecord.MANIFEST);
        m.putAll(signed);
        m.put("keyId", KeyIds.keyId(publicKey));
        m.put("algorithm", "Ed25519");
        try {
            Signature s = Signature.getInstance("Ed25519", BC);
            s.initSign(key);
            s.update(bytes(signed));
            m.put("signature", Base64.getEncoder().encodeToString(s.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the export manifest", e);
        }
        return m;
    }

    /** True if the manifest record's signature is valid for {@code publicKey}. */
    public static boolean verify(Map<String, Object> manifest, List<Long> indexes, PublicKey publicKey) {
        try {
            Map<String, Object> signed = signedPart(ExportRecord.number(manifest, "treeSize"), indexes,
                    ExportRecord.text(manifest, "eventsDigest"), ExportRecord.text(manifest, "generatedAt"));
            if (ExportRecord.number(manifest, "count") != indexes.size()) {
                return false;
            }
            Signature s = Signature.getInstance("Ed25519", BC);
            s.initVerify(publicKey);
            s.update(bytes(signed));
            return s.verify(Base64.getDecoder().decode(ExportRecord.text(manifest, "signature")));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static Map<String, Object> signedPart(long treeSize, List<Long> indexes, String eventsDigest,
                                                  String generatedAt) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("treeSize", treeSize);
        m.put("count", (long) indexes.size());
        m.put("ledgerIndexes", indexes);
        m.put("eventsDigest", eventsDigest);
        m.put("generatedAt", generatedAt);
        return m;
    }

    private static byte[] bytes(Map<String, Object> signed) {
        byte[] prefix = DOMAIN.getBytes(StandardCharsets.UTF_8);
        byte[] body = CanonicalJson.toBytes(signed);
        byte[] all = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, all, 0, prefix.length);
        System.arraycopy(body, 0, all, prefix.length, body.length);
        return all;
    }
}
