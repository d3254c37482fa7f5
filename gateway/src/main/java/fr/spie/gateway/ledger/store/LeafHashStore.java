package fr.spie.gateway.ledger.store;

import java.io.Closeable;
import java.io.UncheckedIOException;

/**
 * Append-only storage of 32-byte Merkle leaf hashes, addressed by leaf index (0-based).
 *
 * <p>Implementations are not required to be thread-safe: {@code MerkleLog} serialises access.
 * I/O failures surface as {@link UncheckedIOException}.
 */
public interface LeafHashStore extends Closeable {

    /** Size of one stored hash in bytes. */
    int HASH_SIZE = 32;

    /**
     * Appends one leaf hash.
     *
     * @param leafHash exactly 32 bytes
     * @return the index of the appended hash
     */
    long append(byte[] leafHash);

    /** Number of stored hashes. */
    long size();

    /**
     * Copies {@code count} consecutive hashes starting at index {@code from} into
     * {@code dst} at {@code dstOffset} ({@code count * 32} bytes).
     */
    void read(long from, int count, byte[] dst, int dstOffset);

    /** Reads one hash. */
    default byte[] get(long index) {
        byte[] out = new byte[HASH_SIZE];
        read(index, 1, out, 0);
        return out;
    }

    /** Makes every appended hash durable (no-op for memory stores). */
    void sync();

    /** Syncs and releases resources. */
    @Override
    void close();
}
