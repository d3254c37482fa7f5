package fr.spie.gateway.ledger.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@link LeafHashStore} backed by one append-only file of raw 32-byte hashes (hash {@code i} at
 * byte offset {@code 32·i}, no header), which is also the leaf-hash export format read by the
 * offline verifier.
 *
 * <p>Appends are buffered (64 KiB) and written with positional writes; they are durable only
 * after {@link #sync()} (flush + {@code fsync} of the data). On open, a torn trailing record
 * (file length not a multiple of 32, e.g. after a crash mid-write) is truncated away and the
 * store continues after the last complete hash. An exclusive {@link FileLock} prevents two
 * processes from appending to the same file. Not thread-safe.
 */
public final class FileLeafHashStore implements LeafHashStore {

    private static final int BUFFER_HASHES = 2048;

    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_HASHES * HASH_SIZE);
    private long writtenHashes;
    private boolean closed;

    private FileLeafHashStore(Path path, FileChannel channel, FileLock lock, long writtenHashes) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
        this.writtenHashes = writtenHashes;
    }

    /** Opens (creating if needed) the store at {@code path} and continues after its last hash. */
    public static FileLeafHashStore open(Path path) {
        FileChannel ch = null;
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = ch.tryLock();
            if (lock == null) {
                throw new IllegalStateException("ledger leaf file already locked: " + path);
            }
            long length = ch.size();
            long complete = length / HASH_SIZE;
            if (length % HASH_SIZE != 0) {
                ch.truncate(complete * HASH_SIZE);
                ch.force(true);
            }
            return new FileLeafHashStore(path, ch, lock, complete);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new UncheckedIOException("cannot open ledger leaf file " + path, e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /** The file backing this store. */
    public Path path() {
        return path;
    }

    @Override
    public long append(byte[] leafHash) {
        InMemoryLeafHashStore.checkHash(leafHash);
        ensureOpen();
        if (!buffer.hasRemaining()) {
            flush();
        }
        buffer.put(leafHash);
        return size() - 1;
    }

    @Override
    public long size() {
        return writtenHashes + buffer.position() / HASH_SIZE;
    }

    @Override
    public void read(long from, int count, byte[] dst, int dstOffset) {
        ensureOpen();
        if (from < 0 || count < 0 || from + count > size()) {
            throw new IndexOutOfBoundsException("range " + from + "+" + count + " size " + size());
        }
        int fromFile = (int) Math.max(0, Math.min(count, writtenHashes - from));
        if (fromFile > 0) {
            ByteBuffer target = ByteBuffer.wrap(dst, dstOffset, fromFile * HASH_SIZE);
            long position = from * HASH_SIZE;
            try {
                while (target.hasRemaining()) {
                    int n = channel.read(target, position);
                    if (n < 0) {
                        throw new IOException("unexpected end of ledger leaf file");
                    }
                    position += n;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + path, e);
            }
        }
        int fromBuffer = count - fromFile;
        if (fromBuffer > 0) {
            long bufferIndex = from + fromFile - writtenHashes;
            System.arraycopy(buffer.array(), (int) bufferIndex * HASH_SIZE, dst,
                    dstOffset + fromFile * HASH_SIZE, fromBuffer * HASH_SIZE);
        }
    }

    /** Writes buffered hashes to the file (not yet fsynced). */
    public void flush() {
        ensureOpen();
        buffer.flip();
        long position = writtenHashes * HASH_SIZE;
        try {
            while (buffer.hasRemaining()) {
                position += channel.write(buffer, position);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
        writtenHashes = position / HASH_SIZE;
        buffer.clear();
    }

    @Override
    public void sync() {
        flush();
        try {
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sync " + path, e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            sync();
        } finally {
            closed = true;
            try {
                lock.release();
            } catch (IOException ignored) {
                // channel close releases it anyway
            }
            closeQuietly(channel);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("store closed: " + path);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
