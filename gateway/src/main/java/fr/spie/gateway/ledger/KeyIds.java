package fr.spie.gateway.ledger;

import java.security.PublicKey;

/** Key identifiers: first 16 hex characters of SHA-256 over the SubjectPublicKeyInfo DER. */
public final class KeyIds {

    private KeyIds() {
    }

    /** Key id of {@code publicKey} ({@link PublicKey#getEncoded()} is the X.509 SPKI DER). */
    public static String keyId(PublicKey publicKey) {
        byte[] spki = publicKey.getEncoded();
        if (spki == null) {
            throw new IllegalArgumentException("public key has no X.509 encoding");
        }
        return MerkleHash.hex(MerkleHash.newSha256().digest(spki)).substring(0, 16);
    }
}
