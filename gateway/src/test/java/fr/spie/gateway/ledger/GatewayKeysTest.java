package fr.spie.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayKeysTest {

    @TempDir
    Path dir;

    private final char[] password = "changeit-ledger".toCharArray();

    @Test
    void generatesWritesAndReloadsTheSameKey() throws Exception {
        Path p12 = dir.resolve("keys/ledger.p12");
        GatewayKeys created = GatewayKeys.loadOrGenerate(p12, password, "ledger", true);
        assertThat(p12).exists();
        try (Stream<Path> files = Files.list(p12.getParent())) {
            assertThat(files).containsExactly(p12); // no temp file left behind
        }
        assertThat(created.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=SPIE Gateway ledger");
        Duration validity = Duration.between(created.certificate().getNotBefore().toInstant(),
                created.certificate().getNotAfter().toInstant());
        assertThat(validity.toDays()).isBetween(3650L, 3654L);
        assertThat(created.publicKey().getAlgorithm()).isIn("Ed25519", "EdDSA");

        GatewayKeys loaded = GatewayKeys.loadOrGenerate(p12, password, "ledger", true);
        assertThat(loaded.keyId()).isEqualTo(created.keyId());
        SignedTreeHead sth = new TreeHeadSigner(loaded).sign(
                new TreeHead(1, MerkleHash.leafHash(new byte[0]), Instant.now()));
        assertThat(TreeHeadSigner.verify(sth, created.publicKey())).isTrue();
        created.certificate().verify(created.publicKey(), TreeHeadSigner.BC); // self-signed
    }

    @Test
    void missingKeystoreWithoutGenerationOrWrongPasswordOrAliasFails() {
        Path p12 = dir.resolve("ledger.p12");
        assertThatThrownBy(() -> GatewayKeys.loadOrGenerate(p12, password, "ledger", false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not found");
        GatewayKeys.loadOrGenerate(p12, password, "ledger", true);
        assertThatThrownBy(() -> GatewayKeys.loadOrGenerate(p12, "wrong".toCharArray(), "ledger", false))
                .isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> GatewayKeys.loadOrGenerate(p12, password, "other", false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("other");
    }

    @Test
    void pemExportRoundTripsForOfflineVerifier() {
        GatewayKeys keys = GatewayKeys.generate();
        String pem = keys.publicKeyPem();
        assertThat(pem).startsWith("-----BEGIN PUBLIC KEY-----");
        PublicKey fromPem = GatewayKeys.readPublicKeyPem(pem);
        assertThat(fromPem.getEncoded()).isEqualTo(keys.publicKey().getEncoded());
        assertThat(KeyIds.keyId(fromPem)).isEqualTo(keys.keyId());

        String certPem = keys.certificatePem();
        assertThat(certPem).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(GatewayKeys.readPublicKeyPem(certPem).getEncoded()).isEqualTo(keys.publicKey().getEncoded());

        SignedTreeHead sth = new TreeHeadSigner(keys).sign(new TreeHead(0, MerkleHash.emptyTreeHash(), Instant.now()));
        assertThat(TreeHeadSigner.verify(sth, fromPem)).isTrue();
        assertThatThrownBy(() -> GatewayKeys.readPublicKeyPem("not pem")).isInstanceOf(IllegalArgumentException.class);
    }
}
