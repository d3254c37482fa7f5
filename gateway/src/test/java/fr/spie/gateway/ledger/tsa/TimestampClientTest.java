package fr.spie.gateway.ledger.tsa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.spie.gateway.ledger.TreeHead;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The RFC 3161 client and verifier against a Bouncy Castle TSA on loopback. */
class TimestampClientTest {
    static final TestTsa TSA = new TestTsa();

    @AfterAll
    static void stop() {
        TSA.close();
    }

    static TreeHead head(long size) {
        byte[] root = new byte[32];
        Arrays.fill(root, (byte) size);
        return new TreeHead(size, root, Instant.now());
    }

    @Test
    void getsAndVerifiesATokenOverTheHeadsCanonicalBytes() throws Exception {
        TreeHead head = head(42);
        Instant before = Instant.now().minusSeconds(1);
        TimestampToken t = new TimestampClient(TSA.url(), Duration.ofSeconds(5), null).timestamp(head);
        assertThat(t.tsa()).contains("SPIE Test TSA");
        assertThat(t.genTime()).isAfter(before).isBefore(Instant.now().plusSeconds(1));
        // the stored token verifies again, offline, with or without the trusted certificate
        assertThat(TimestampVerifier.verify(t.token(), head, null)).isEqualTo(t);
        assertThat(TimestampVerifier.verify(t.token(), head, TSA.certificate()).serial()).isEqualTo(t.serial());
    }

    @Test
    void aConfiguredTrustedCertificateIsRequired() throws Exception {
        try (TestTsa other = new TestTsa("CN=Other TSA")) {
            TimestampClient client = new TimestampClient(other.url(), Duration.ofSeconds(5), TSA.certificate());
            assertThatThrownBy(() -> client.timestamp(head(1))).isInstanceOf(TimestampException.class)
                    .hasMessageContaining("not by the trusted TSA certificate");
        }
    }

    @Test
    void aTokenWhoseImprintDoesNotMatchTheHeadIsRejected() throws Exception {
        TreeHead head = head(7);
        TimestampToken t = new TimestampClient(TSA.url(), Duration.ofSeconds(5), null).timestamp(head);
        TreeHead other = new TreeHead(8, head.rootHash(), head.timestamp());
        assertThatThrownBy(() -> TimestampVerifier.verify(t.token(), other, null))
                .isInstanceOf(TimestampException.class).hasMessageContaining("imprint does not match");
        // a flipped byte inside the signed content or the signature
        byte[] tampered = t.token();
        tampered[tampered.length - 10] ^= 1;
        assertThatThrownBy(() -> TimestampVerifier.verify(tampered, head, null))
                .isInstanceOf(TimestampException.class);
    }

    @Test
    void failuresAreReportedNotHidden() throws Exception {
        TSA.failing = true;
        try {
            assertThatThrownBy(() -> new TimestampClient(TSA.url(), Duration.ofSeconds(5), null).timestamp(head(1)))
                    .isInstanceOf(TimestampException.class).hasMessageContaining("HTTP 500");
        } finally {
            TSA.failing = false;
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertThatThrownBy(() -> new TimestampClient(URI.create("http://127.0.0.1:" + port + "/tsa"),
                Duration.ofSeconds(2), null).timestamp(head(1)))
                .isInstanceOf(TimestampException.class).hasMessageContaining("unreachable");
    }
}
