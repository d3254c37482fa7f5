package fr.spie.gateway.ledger.store;

import java.util.ArrayList;
import java.util.List;

/**
 * Growable in-memory array of 32-byte hashes, stored in fixed 1 MiB pages so that it can hold
 * more than 2^31 bytes and never copies on growth. Not thread-safe.
 */
public final class HashArray {

    private static final int HASH = 32;
    private static final int PAGE_SHIFT = 15; // 32768 hashes = 1 MiB per page
    private static final int PAGE_HASHES = 1 << PAGE_SHIFT;
    private static final int PAGE_MASK = PAGE_HASHES - 1;

    private final List<byte[]> pages = new ArrayList<>();
    private long size;

    /** Appends the 32 bytes at {@code src[offset..]}. */
    public void append(byte[] src, int offset) {
        int slot = (int) (size & PAGE_MASK);
        if (slot == 0) {
            pages.add(new byte[PAGE_HASHES * HASH]);
        }
        System.arraycopy(src, offset, pages.get(pages.size() - 1), slot * HASH, HASH);
        size++;
    }

    /** Copies the hash at {@code index} into {@code dst[offset..]}. */
    public void get(long index, byte[] dst, int offset) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " size " + size);
        }
        byte[] page = pages.get((int) (index >>> PAGE_SHIFT));
        System.arraycopy(page, (int) (index & PAGE_MASK) * HASH, dst, offset, HASH);
    }

    /** Returns a copy of the hash at {@code index}. */
    public byte[] get(long index) {
        byte[] out = new byte[HASH];
        get(index, out, 0);
        return out;
    }

    /** Copies {@code count} consecutive hashes from {@code from} into {@code dst[offset..]}. */
    public void read(long from, int count, byte[] dst, int offset) {
        if (from < 0 || count < 0 || from + count > size) {
            throw new IndexOutOfBoundsException("range " + from + "+" + count + " size " + size);
        }
        long i = from;
        int out = offset;
        int remaining = count;
        while (remaining > 0) {
            int slot = (int) (i & PAGE_MASK);
            int n = Math.min(remaining, PAGE_HASHES - slot);
            System.arraycopy(pages.get((int) (i >>> PAGE_SHIFT)), slot * HASH, dst, out, n * HASH);
            i += n;
            out += n * HASH;
            remaining -= n;
        }
    }

    /** Number of hashes held. */
    public long size() {
        return size;
    }
}
