package fr.spie.gateway.ledger.db;

import fr.spie.gateway.ledger.MerkleHash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.List;

/**
 * The ledger's leaf file as bytes on disk (32 bytes per leaf), for its reconciliation with the database before the
 * Merkle log opens it: its size, a comparison with recorded leaves, truncation, and copies of some leaves kept aside
 * in files of their own next to it ({@code <why>-<from>-<to>-<time>.bin}).
 */
final class LeafFileOnDisk {
    private final Path file;

    LeafFileOnDisk(Path file) {
        this.file = file;
    }

    Path path() {
        return file;
    }

    /** The complete leaves the file holds (0 when there is no file). */
    long leaves() {
        try {
            return Files.exists(file) ? Files.size(file) / MerkleHash.HASH_SIZE : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + file, e);
        }
    }

    /** The first index in {@code [from, from + recorded.size())} whose leaf differs from the recorded one, or -1. */
    long firstDiffering(long from, List<byte[]> recorded) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer hash = ByteBuffer.allocate(MerkleHash.HASH_SIZE);
            for (int k = 0; k < recorded.size(); k++) {
                long i = from + k;
                hash.clear();
                while (hash.hasRemaining()) {
                    if (ch.read(hash, i * MerkleHash.HASH_SIZE + hash.position()) < 0) {
                        throw new IOException("unexpected end of " + file);
                    }
                }
                if (!MessageDigest.isEqual(hash.array(), recorded.get(k))) {
                    return i;
                }
            }
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reconcile ledger leaf file " + file, e);
        }
    }

    /** Cuts the file to its first {@code leaves} leaves, durably; true if it held more. */
    boolean truncate(long leaves) {
        if (!Files.exists(file)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            long keep = leaves * MerkleHash.HASH_SIZE;
            if (ch.size() <= keep) {
                return false;
            }
            ch.truncate(keep);
            ch.force(true);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reconcile ledger leaf file " + file, e);
        }
    }

    /** Copies the leaves {@code [from, to)} to a file of their own next to this one, named with {@code why}. */
    Path keep(String why, long from, long to, long timeMillis) {
        Path kept = file.resolveSibling(why + "-" + from + "-" + to + "-" + timeMillis + ".bin");
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(kept, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long position = from * MerkleHash.HASH_SIZE;
            long length = (to - from) * MerkleHash.HASH_SIZE;
            for (long done = 0; done < length; ) {
                done += in.transferTo(position + done, length - done, out);
            }
            out.force(true);
            return kept;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep ledger leaves " + from + ".." + (to - 1) + " in " + kept, e);
        }
    }

    /** The newest file kept as {@code <why>-<from>-...}, or null. */
    Path keptEarlier(String why, long from) {
        String prefix = why + "-" + from + "-";
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)
                            && f.getFileName().toString().endsWith(".bin"))
                    .max(Comparator.comparing(f -> f.getFileName().toString(),
                            Comparator.comparingLong(LeafFileOnDisk::keptAt)))
                    .orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** The leaves a kept file holds. */
    static long leavesIn(Path kept) {
        try {
            return Files.size(kept) / MerkleHash.HASH_SIZE;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + kept, e);
        }
    }

    /** The time in a kept file's name ({@code <why>-<from>-<to>-<time>.bin}), or -1. */
    private static long keptAt(String name) {
        String stem = name.substring(0, name.length() - ".bin".length());
        try {
            return Long.parseLong(stem.substring(stem.lastIndexOf('-') + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
