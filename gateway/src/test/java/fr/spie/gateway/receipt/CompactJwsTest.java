package fr.spie.gateway.receipt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.spie.gateway.ledger.GatewayKeys;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompactJwsTest {
    private static final GatewayKeys KEYS = GatewayKeys.generate();
    private static final GatewaySignatures SIGNATURES = new GatewaySignatures(KEYS);

    @Test
    void aReceiptVerifiesWithTheJdkAloneAgainstThePemCertificate() throws Exception {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("exchangeId", "e1");
        claims.put("ledgerIndex", 7);
        String token = SIGNATURES.signReceipt(claims);

        // independent path: the JDK's X.509 parser and its own Ed25519 (SunEC), no Bouncy Castle, no CompactJws
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(KEYS.certificatePem().getBytes(StandardCharsets.US_ASCII)));
        assertThat(jdkVerify(token, cert.getPublicKey())).isTrue();
        String[] parts = token.split("\\.");
        String header = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
        assertThat(header).contains("\"alg\":\"EdDSA\"", "\"kid\":\"" + KEYS.keyId() + "\"", "\"x5t#S256\":\""
                + SIGNATURES.thumbprint() + "\"", "\"typ\":\"spie-receipt+jws\"");
        assertThat(CompactJws.verify(token, KEYS.publicKey()).payloadJson().path("ledgerIndex").asInt()).isEqualTo(7);
    }

    @Test
    void aTamperedReceiptFails() throws Exception {
        String token = SIGNATURES.signReceipt(Map.of("exchangeId", "e1", "ledgerIndex", 7));
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"exchangeId\":\"e1\",\"ledgerIndex\":8}".getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertThat(jdkVerify(forged, KEYS.publicKey())).isFalse();
        assertThatThrownBy(() -> CompactJws.verify(forged, KEYS.publicKey()))
                .isInstanceOf(CompactJws.InvalidJwsException.class).hasMessageContaining("does not verify");
        assertThatThrownBy(() -> CompactJws.verify(token, GatewayKeys.generate().publicKey()))
                .isInstanceOf(CompactJws.InvalidJwsException.class);
    }

    @Test
    void onlyEdDsaIsAccepted() {
        String token = SIGNATURES.signReceipt(Map.of("a", 1));
        String[] parts = token.split("\\.");
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(
                StandardCharsets.UTF_8)) + "." + parts[1] + ".";
        assertThatThrownBy(() -> CompactJws.verify(none, KEYS.publicKey())).hasMessageContaining("alg");
        assertThatThrownBy(() -> CompactJws.verify("a.b", KEYS.publicKey())).hasMessageContaining("three");
    }

    @Test
    void aDetachedBodySignatureVerifiesOverTheExactBytesOnly() throws Exception {
        byte[] body = "{\"recordType\":\"orientation\"}".getBytes(StandardCharsets.UTF_8);
        String detached = SIGNATURES.signBody(body, Map.of("exchangeId", "e1", "recipient", "ft-51"));
        assertThat(detached).contains("..");
        CompactJws.Verified verified = CompactJws.verifyDetached(detached, body, KEYS.publicKey());
        assertThat(verified.header().path("recipient").asString()).isEqualTo("ft-51");
        String[] parts = detached.split("\\.", -1);
        String attached = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(body) + "." + parts[2];
        assertThat(jdkVerify(attached, KEYS.publicKey())).isTrue();
        byte[] changed = "{\"recordType\":\"orientation\" }".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> CompactJws.verifyDetached(detached, changed, KEYS.publicKey()))
                .isInstanceOf(CompactJws.InvalidJwsException.class);
    }

    @Test
    void theJwkCarriesTheRawEd25519KeyOfTheCertificate() throws Exception {
        Map<String, Object> jwk = SIGNATURES.jwk();
        byte[] x = Base64.getUrlDecoder().decode((String) jwk.get("x"));
        byte[] spki = KEYS.certificate().getPublicKey().getEncoded();
        assertThat(x).hasSize(32);
        assertThat(java.util.Arrays.copyOfRange(spki, spki.length - 32, spki.length)).isEqualTo(x);
        assertThat(jwk).containsEntry("kty", "OKP").containsEntry("crv", "Ed25519").containsEntry("kid", KEYS.keyId());
    }

    /** RFC 7515 §5.2 by hand: the signing input is the first two parts, the signature the third. */
    static boolean jdkVerify(String compact, PublicKey key) throws Exception {
        String[] parts = compact.split("\\.", -1);
        PublicKey jdkKey = java.security.KeyFactory.getInstance("Ed25519")
                .generatePublic(new java.security.spec.X509EncodedKeySpec(key.getEncoded()));
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(jdkKey);
        s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        return s.verify(Base64.getUrlDecoder().decode(parts[2]));
    }
}
