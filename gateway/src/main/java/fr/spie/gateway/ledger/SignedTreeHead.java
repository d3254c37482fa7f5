package fr.spie.gateway.ledger;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * A {@link TreeHead} with a signature over its canonical bytes.
 *
 * @param treeHead  the signed head
 * @param signature signature over {@link TreeHead#toCanonicalBytes()}
 * @param algorithm JCA signature algorithm name, {@code "Ed25519"}
 * @param keyId     {@link KeyIds#keyId} of the signing public key
 */
public record SignedTreeHead(TreeHead treeHead, byte[] signature, String algorithm, String keyId) {

    /** Validates and defensively copies the signature. */
    public SignedTreeHead {
        Objects.requireNonNull(treeHead, "treeHead");
        signature = Objects.requireNonNull(signature, "signature").clone();
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(keyId, "keyId");
    }

    /** A copy of the signature. */
    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** Shortcut for {@code treeHead().treeSize()}. */
    public long treeSize() {
        return treeHead.treeSize();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedTreeHead s && s.treeHead.equals(treeHead)
                && Arrays.equals(s.signature, signature) && s.algorithm.equals(algorithm)
                && s.keyId.equals(keyId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(treeHead, Arrays.hashCode(signature), algorithm, keyId);
    }

    @Override
    public String toString() {
        return "SignedTreeHead[" + treeHead + ", " + algorithm + " key " + keyId + ", sig="
                + Base64.getEncoder().encodeToString(signature) + "]";
    }
}
