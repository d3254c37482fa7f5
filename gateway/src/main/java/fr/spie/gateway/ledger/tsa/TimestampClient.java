package fr.spie.gateway.ledger.tsa;

import fr.spie.connector.http.BoundedBody;
import fr.spie.gateway.ledger.TreeHead;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Objects;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;

/**
 * RFC 3161 client over HTTP (RFC 3161 §3.4): POSTs a {@code application/timestamp-query} with the SHA-256 imprint of
 * the head's canonical bytes, a random nonce and certReq, then checks the response (status granted, nonce, imprint,
 * {@link TimeStampResponse#validate}) and the token's signature ({@link TimestampVerifier}). Thread-safe.
 */
public final class TimestampClient implements Tsa {
    /**
     * The most of a TSA's answer read: a token with its certificate chain is a few KiB. A longer answer, or one that
     * takes longer than the timeout after its headers, is dropped: a TSA (or a proxy in front of it) answering
     * without end neither fills the memory nor holds the timestamper for good.
     */
    static final long MAX_ANSWER_BYTES = 1024 * 1024;

    private final URI url;
    private final Duration timeout;
    private final X509Certificate trusted;
    private final HttpClient http;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param url     the TSA's HTTP(S) URL
     * @param timeout connect and response timeout
     * @param trusted the TSA certificate the tokens must be signed by, or null to accept the certificate they carry
     */
    public TimestampClient(URI url, Duration timeout, X509Certificate trusted) {
        this.url = Objects.requireNonNull(url, "url");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.trusted = trusted;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public URI url() {
        return url;
    }

    @Override
    public TimestampToken timestamp(TreeHead head) throws TimestampException {
        TimeStampRequestGenerator gen = new TimeStampRequestGenerator();
        gen.setCertReq(true);
        TimeStampRequest request = gen.generate(TSPAlgorithms.SHA256, TimestampVerifier.imprint(head),
                new BigInteger(64, random));
        HttpResponse<byte[]> response;
        try {
            response = http.send(HttpRequest.newBuilder(url).timeout(timeout)
                    .header("Content-Type", "application/timestamp-query")
                    .header("Accept", "application/timestamp-reply")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request.getEncoded())).build(),
                    new BoundedBody(MAX_ANSWER_BYTES, timeout));
        } catch (IOException e) {
            throw new TimestampException("TSA " + url + " unreachable (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimestampException("interrupted while waiting for TSA " + url, e);
        }
        if (response.statusCode() != 200) {
            throw new TimestampException("TSA " + url + " answered HTTP " + response.statusCode());
        }
        TimeStampResponse tsr;
        try {
            tsr = new TimeStampResponse(response.body());
        } catch (TSPException | IOException | RuntimeException e) {
            throw new TimestampException("TSA " + url + " sent an unreadable response", e);
        }
        int status = tsr.getStatus();
        if (status != PKIStatus.GRANTED && status != PKIStatus.GRANTED_WITH_MODS) {
            throw new TimestampException("TSA " + url + " refused (status " + status
                    + (tsr.getStatusString() == null ? "" : ", " + tsr.getStatusString()) + ")");
        }
        TimeStampToken token = tsr.getTimeStampToken();
        if (token == null) {
            throw new TimestampException("TSA " + url + " granted without a token");
        }
        try {
            tsr.validate(request);
        } catch (TSPException | RuntimeException e) {
            throw new TimestampException("TSA " + url + " response does not match the request", e);
        }
        return TimestampVerifier.verify(token, head, trusted);
    }
}
