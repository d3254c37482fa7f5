package fr.spie.gateway.ledger.tsa;

import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * A verified RFC 3161 timestamp token over a tree head.
 *
 * @param token   DER encoding of the TimeStampToken (CMS SignedData), as the TSA returned it
 * @param genTime the time the TSA asserts
 * @param tsa     the TSA's name (the token's {@code tsa} field, else the signing certificate's subject)
 * @param serial  the token's serial number (hex)
 */
public record TimestampToken(byte[] token, Instant genTime, String tsa, String serial) {
    public TimestampToken {
        token = Objects.requireNonNull(token, "token").clone();
        Objects.requireNonNull(genTime, "genTime");
        Objects.requireNonNull(tsa, "tsa");
        Objects.requireNonNull(serial, "serial");
    }

    @Override
    public byte[] token() {
        return token.clone();
    }

    /** The token in base64, as stored and exported. */
    public String base64() {
        return Base64.getEncoder().encodeToString(token);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimestampToken t && Arrays.equals(t.token, token) && t.genTime.equals(genTime)
                && t.tsa.equals(tsa) && t.serial.equals(serial);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(token), genTime, tsa, serial);
    }

    @Override
    public String toString() {
        return "TimestampToken[" + tsa + " at " + genTime + ", serial " + serial + "]";
    }
}
