package fr.spie.gateway.files;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * {@code after} cursors the gateway never gives, made by hand: truncated or padded base64, base64 of garbage, numbers
 * too large for {@link java.sql.Timestamp} or for PostgreSQL, times beyond year 9999 or before year 1, signs, leading
 * zeros, NaN-like text, ids that are not UUIDs, fields added. Each must be a 400 naming {@code after}, never a 500.
 */
final class HostileFileListCursors {
    private static final String ID = "9b0c3e2a-1f4d-4c8e-9a7b-2d5e6f708192";

    private HostileFileListCursors() {
    }

    static String encode(String plain) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    static List<String> all() {
        List<String> cursors = new ArrayList<>();
        String valid = new FileListCursor(Instant.parse("2031-03-02T10:15:30.123456Z"), UUID.fromString(ID)).encode();
        for (int cut = 1; cut < valid.length(); cut += 7) {
            cursors.add(valid.substring(0, cut)); // truncated base64
        }
        cursors.add(valid + "=");
        cursors.add(valid + "==");
        cursors.add(valid + "AA");
        cursors.add(valid.replace('A', '+'));
        cursors.add(" " + valid + "%00");
        Random random = new Random(20260302);
        for (int i = 0; i < 8; i++) { // base64 of garbage
            byte[] garbage = new byte[1 + random.nextInt(60)];
            random.nextBytes(garbage);
            cursors.add(Base64.getUrlEncoder().withoutPadding().encodeToString(garbage));
        }
        for (String seconds : List.of(
                Long.toString(Long.MAX_VALUE), Long.toString(Long.MIN_VALUE), "99999999999999999999",
                Long.toString(Instant.MAX.getEpochSecond()), Long.toString(Instant.MIN.getEpochSecond()),
                Long.toString(Instant.parse("+999999999-12-31T23:59:59Z").getEpochSecond()), // Timestamp overflows
                Long.toString(Instant.parse("-999999999-01-01T00:00:00Z").getEpochSecond()),
                Long.toString(Instant.parse("+300000-01-01T00:00:00Z").getEpochSecond()), // beyond PostgreSQL's range
                Long.toString(Instant.parse("+10000-01-01T00:00:00Z").getEpochSecond()),
                Long.toString(Instant.parse("0000-12-31T23:59:59Z").getEpochSecond()),
                Long.toString(Instant.parse("-4714-11-24T00:00:00Z").getEpochSecond()),
                "NaN", "Infinity", "-Infinity", "1e9", "0x10", "+1900000000", "01900000000", "-0", "", " 1",
                "1_900_000_000", "١٩٠٠٠٠٠٠٠٠")) {
            cursors.add(encode(seconds + ".0/" + ID));
        }
        for (String nanos : List.of("-1", "1000000000", "+5", "05", "NaN", "", "1.5", "99999999999")) {
            cursors.add(encode("1900000000." + nanos + "/" + ID));
        }
        for (String id : List.of(ID.toUpperCase(), "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz", "1-1-1-1-1" + "0".repeat(27),
                "9b0c3e2a+1f4d+4c8e+9a7b+2d5e6f708192", "9b0c3e2a1f4d4c8e9a7b2d5e6f708192xxxx", ID.substring(1) + "/",
                "-" + ID.substring(1), "%" + ID.substring(1))) {
            cursors.add(encode("1900000000.0/" + id));
        }
        cursors.add(encode("1900000000.0/" + ID + "/extra"));
        cursors.add(encode("1900000000.0.0/" + ID));
        cursors.add(encode("1900000000.0/" + ID + "\n"));
        cursors.add(encode("1900000000.0/" + ID + "/" + ID));
        cursors.add(encode("1900000000/" + ID));
        cursors.add(encode("1900000000.0"));
        cursors.add(encode("."));
        cursors.add(encode("{\"receivedAt\":1900000000,\"fileId\":\"" + ID + "\"}"));
        return cursors;
    }
}
