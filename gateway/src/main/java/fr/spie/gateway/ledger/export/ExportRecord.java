package fr.spie.gateway.ledger.export;

import fr.spie.gateway.ledger.MerkleHash;
import fr.spie.gateway.ledger.SignedTreeHead;
import fr.spie.gateway.ledger.TreeHead;
import fr.spie.gateway.ledger.tsa.TimestampToken;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The records of a ledger export ({@value #FORMAT}), one per JSONL line (or CSV row), each a JSON object with a
 * {@code record} member:
 * <ul>
 *   <li>{@code header} (first): {@code format}, {@code kind} ({@code selection} or {@code full}),
 *       {@code generatedAt}, {@code filter}, {@code keyId}, {@code publicKeyPem} (informative: the verifier trusts
 *       only the key given to it);</li>
 *   <li>{@code tree-head}: {@code treeSize}, {@code rootHash} (hex), {@code timestamp} (ISO-8601),
 *       {@code timestampMillis} (the signed value), {@code signature} (base64), {@code algorithm}, {@code keyId},
 *       and when the head was timestamped by an RFC 3161 TSA: {@code timestampToken} (base64 DER token over SHA-256
 *       of the head's canonical bytes), {@code timestampGenTime} and {@code timestampAuthority} (informative: the
 *       verifier reads them from the token);</li>
 *   <li>{@code event}: {@code ledgerIndex}, {@code leafHash} (hex), {@code entry} (the canonical JSON entry, as a
 *       string, exactly the bytes that were hashed), and in selections {@code proofTreeSize} and
 *       {@code inclusionProof} (hex hashes, leaf side first);</li>
 *   <li>{@code manifest} (selections, last): {@code treeSize}, {@code count}, {@code ledgerIndexes},
 *       {@code eventsDigest} (SHA-256 of the concatenated leaf hashes), {@code keyId}, {@code signature}: the
 *       gateway's signature over what the selection holds, so that deleting, inserting or reordering events is
 *       detected although each event has its own proof.</li>
 * </ul>
 * A full export is a directory (or zip) with {@code ledger.jsonl} (header, every head, every event in index order),
 * {@code leaves.bin} (the raw 32-byte leaf hashes) and {@code ledger-public-key.pem}.
 */
public final class ExportRecord {
    /** Format identifier written in headers. */
    public static final String FORMAT = "spie-ledger-export/1";
    public static final String HEADER = "header";
    public static final String TREE_HEAD = "tree-head";
    public static final String EVENT = "event";
    public static final String MANIFEST = "manifest";
    public static final String KIND_SELECTION = "selection";
    public static final String KIND_FULL = "full";

    private ExportRecord() {
    }

    public static Map<String, Object> header(String kind, Instant generatedAt, Map<String, String> filter,
                                             String keyId, String publicKeyPem) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("record", HEADER);
        m.put("format", FORMAT);
        m.put("kind", kind);
        m.put("generatedAt", generatedAt.toString());
        m.put("filter", filter);
        m.put("keyId", keyId);
        m.put("publicKeyPem", publicKeyPem);
        return m;
    }

    public static Map<String, Object> treeHead(SignedTreeHead sth) {
        TreeHead h = sth.treeHead();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("record", TREE_HEAD);
        m.put("treeSize", h.treeSize());
        m.put("rootHash", MerkleHash.hex(h.rootHash()));
        m.put("timestamp", h.timestamp().toString());
        m.put("timestampMillis", h.timestamp().toEpochMilli());
        m.put("signature", Base64.getEncoder().encodeToString(sth.signature()));
        m.put("algorithm", sth.algorithm());
        m.put("keyId", sth.keyId());
        return m;
    }

    /** The head record, with its RFC 3161 token when {@code token} is not null. */
    public static Map<String, Object> treeHead(SignedTreeHead sth, TimestampToken token) {
        Map<String, Object> m = treeHead(sth);
        if (token != null) {
            m.put("timestampToken", token.base64());
            m.put("timestampGenTime", token.genTime().toString());
            m.put("timestampAuthority", token.tsa());
        }
        return m;
    }

    public static SignedTreeHead parseTreeHead(Map<String, Object> m) {
        TreeHead head = new TreeHead(number(m, "treeSize"), MerkleHash.fromHex(text(m, "rootHash")),
                Instant.ofEpochMilli(number(m, "timestampMillis")));
        return new SignedTreeHead(head, Base64.getDecoder().decode(text(m, "signature")), text(m, "algorithm"),
                text(m, "keyId"));
    }

    public static Map<String, Object> event(long ledgerIndex, byte[] leafHash, String entry, Long proofTreeSize,
                                            List<byte[]> proof) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("record", EVENT);
        m.put("ledgerIndex", ledgerIndex);
        m.put("leafHash", MerkleHash.hex(leafHash));
        if (proofTreeSize != null) {
            m.put("proofTreeSize", proofTreeSize);
            List<String> hex = new ArrayList<>(proof.size());
            proof.forEach(p -> hex.add(MerkleHash.hex(p)));
            m.put("inclusionProof", hex);
        }
        m.put("entry", entry);
        return m;
    }

    static String text(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("missing or non-text '" + key + "'");
        }
        return s;
    }

    static long number(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof String s) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw new IllegalArgumentException("missing or non-integer '" + key + "'");
    }
}
