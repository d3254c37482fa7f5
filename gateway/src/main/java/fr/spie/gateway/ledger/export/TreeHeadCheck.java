package fr.spie.gateway.ledger.export;

import fr.spie.gateway.ledger.KeyIds;
import fr.spie.gateway.ledger.SignedTreeHead;
import fr.spie.gateway.ledger.TreeHeadSigner;
import fr.spie.gateway.ledger.export.ExportVerifier.Result;
import fr.spie.gateway.ledger.tsa.TimestampException;
import fr.spie.gateway.ledger.tsa.TimestampToken;
import fr.spie.gateway.ledger.tsa.TimestampVerifier;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the signed tree heads of an export: there is one, every signature verifies with the trusted key, and every
 * RFC 3161 token a head carries is valid for it, no two heads of one size have different roots; then names the timestamped head of the largest tree size (the last
 * in the file among heads of that size) in the report of an export that verifies.
 */
final class TreeHeadCheck {
    private final ExportOutline outline;
    private int timestamped;
    private long latestSize = -1;
    private String latestStamp;

    TreeHeadCheck(ExportOutline outline) {
        this.outline = outline;
    }

    /** The first head whose signature does not verify (or the lack of any head), or null when all do. */
    Result signatures(PublicKey publicKey) {
        Map<String, Object> header = outline.header();
        List<SignedTreeHead> heads = outline.heads();
        String trusted = KeyIds.keyId(publicKey);
        String keyNote = trusted.equals(header.get("keyId")) ? ""
                : " (the export names key " + header.get("keyId") + ", you trust key " + trusted + ")";
        if (heads.isEmpty()) {
            return Result.bad("no signed tree head in the export", outline.events(), 0, null);
        }
        for (int i = 0; i < heads.size(); i++) {
            if (!TreeHeadSigner.verify(heads.get(i), publicKey)) {
                return Result.bad("tree head at size " + heads.get(i).treeSize() + " (line "
                        + outline.headLines().get(i) + "): bad signature" + keyNote, outline.events(), i, null);
            }
        }
        return null;
    }

    /**
     * The first head whose RFC 3161 token does not verify (imprint = SHA-256 of the head's canonical bytes, signature
     * by {@code trustedTsa}, or by the certificate the token carries when null), or null when all do.
     */
    Result timestamps(X509Certificate trustedTsa) {
        List<SignedTreeHead> heads = outline.heads();
        for (int i = 0; i < heads.size(); i++) {
            Object token = outline.headTokens().get(i);
            if (token == null) {
                continue;
            }
            String where = "tree head at size " + heads.get(i).treeSize() + " (line " + outline.headLines().get(i)
                    + ")";
            TimestampToken verified;
            try {
                if (!(token instanceof String b64)) {
                    throw new TimestampException("timestampToken is not base64 text");
                }
                verified = TimestampVerifier.verify(Base64.getDecoder().decode(b64), heads.get(i).treeHead(),
                        trustedTsa);
            } catch (TimestampException | IllegalArgumentException e) {
                return Result.bad(where + ": bad RFC 3161 timestamp: " + e.getMessage(), outline.events(), i, null);
            }
            timestamped++;
            if (heads.get(i).treeSize() >= latestSize) {
                latestSize = heads.get(i).treeSize();
                latestStamp = "tree head at size " + latestSize + " timestamped by " + verified.tsa() + " at "
                        + verified.genTime();
            }
        }
        return null;
    }

    /**
     * The first head whose root differs from that of the first head of its size in the file (a log fork: the key
     * signed two histories), with the lines of both, or null. Heads already verified.
     */
    Result forks() {
        List<SignedTreeHead> heads = outline.heads();
        Map<Long, Integer> firstOfSize = new HashMap<>();
        for (int i = 0; i < heads.size(); i++) {
            SignedTreeHead head = heads.get(i);
            Integer first = firstOfSize.putIfAbsent(head.treeSize(), i);
            if (first != null
                    && !MessageDigest.isEqual(heads.get(first).treeHead().rootHash(), head.treeHead().rootHash())) {
                return Result.bad("two validly signed tree heads at size " + head.treeSize() + " have different "
                        + "roots (log fork): lines " + outline.headLines().get(first) + " and "
                        + outline.headLines().get(i), outline.events(), heads.size(), null);
            }
        }
        return null;
    }

    /**
     * {@code r} naming the latest timestamped head, the one of the largest tree size (and how many were), when it is
     * ok and a head had a token.
     */
    Result withTimestampNote(Result r) {
        if (r.ok() && latestStamp != null) {
            return new Result(true, r.message() + "; " + (timestamped > 1 ? timestamped + " heads have valid RFC 3161 "
                    + "timestamps, the latest: " : "") + latestStamp, r.events(), r.heads(), null);
        }
        return r;
    }
}
