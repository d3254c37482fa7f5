package fr.spie.gateway.files;

import fr.spie.gateway.privacy.Digests;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The exchange ids of one file's records: the file's hash computed once, not per record.
 * <p>
 * A deterministic exchange id (RFC 9562 version 8 UUID) in which the record's index follows a prefix of the file,
 * so that the ids of one file are consecutive: the records of a file are appended to the database's primary-key
 * indexes in one place instead of at random (SHA-256 ids made every insert touch another index page). Layout:
 * 48 bits of SHA-256(partner, file digest), version 8, 42 bits of record index, variant, 32 more bits of that
 * hash (so that two files that share the 48-bit prefix still get different ids).
 */
record FileRecordIds(long prefix, long tail) {
    static FileRecordIds of(String partner, String fileDigest) {
        ByteBuffer h = ByteBuffer.wrap(Digests.sha256(("spie-file-record\n" + partner + "\n" + fileDigest)
                .getBytes(StandardCharsets.UTF_8)));
        return new FileRecordIds(h.getLong(0) >>> 16, h.getInt(8) & 0xffff_ffffL); // 48 and 32 bits
    }

    /** The exchange id of the record at {@code index} of the file. */
    static UUID exchangeId(String partner, String fileDigest, long index) {
        return of(partner, fileDigest).at(index);
    }

    UUID at(long index) {
        if (index < 0 || index >= 1L << 42) {
            throw new IllegalArgumentException("record index out of range: " + index);
        }
        long most = prefix << 16 | 0x8000L | (index >>> 30 & 0x0fff); // version 8, index bits 41..30
        long least = 0x8000_0000_0000_0000L | (index & 0x3fff_ffffL) << 32 | tail; // variant, index bits 29..0
        return new UUID(most, least);
    }
}
