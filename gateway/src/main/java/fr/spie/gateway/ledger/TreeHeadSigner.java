package fr.spie.gateway.ledger;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Objects;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Signs {@link TreeHead}s with Ed25519 (Bouncy Castle JCA provider, passed explicitly so no
 * global provider registration is needed) and verifies {@link SignedTreeHead}s.
 * Instances are thread-safe.
 */
public final class TreeHeadSigner {

    /** The only algorithm produced and accepted. */
    public static final String ALGORITHM = "Ed25519";

    /** The Bouncy Castle provider instance shared by the gateway's signing code (never registered globally). */
    public static final Provider BC = new BouncyCastleProvider();

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String keyId;

    /** Signer for an Ed25519 key pair. */
    public TreeHeadSigner(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
        this.keyId = KeyIds.keyId(publicKey);
    }

    /** Signer for the ledger keys of the gateway. */
    public TreeHeadSigner(GatewayKeys keys) {
        this(keys.privateKey(), keys.publicKey());
    }

    /** Key id that goes into every signed head. */
    public String keyId() {
        return keyId;
    }

    /** Signs the canonical bytes of {@code head}. */
    public SignedTreeHead sign(TreeHead head) {
        try {
            Signature s = Signature.getInstance(ALGORITHM, BC);
            s.initSign(privateKey);
            s.update(head.toCanonicalBytes());
            return new SignedTreeHead(head, s.sign(), ALGORITHM, keyId);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign tree head", e);
        }
    }

    /** True if {@code sth} was signed with this signer's key ({@link #verify(SignedTreeHead, PublicKey)}). */
    public boolean signed(SignedTreeHead sth) {
        return verify(sth, publicKey);
    }

    /**
     * True if {@code sth} is an Ed25519 signature by {@code publicKey} over the canonical bytes of
     * its head and its key id names that key.
     */
    public static boolean verify(SignedTreeHead sth, PublicKey publicKey) {
        if (!ALGORITHM.equals(sth.algorithm()) || !KeyIds.keyId(publicKey).equals(sth.keyId())) {
            return false;
        }
        try {
            Signature s = Signature.getInstance(ALGORITHM, BC);
            s.initVerify(publicKey);
            s.update(sth.treeHead().toCanonicalBytes());
            return s.verify(sth.signature());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
