package fr.spie.gateway.ledger.export;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The 32-byte leaf hashes of a full export's {@code leaves.bin}, read ahead one item, as
 * {@link fr.spie.gateway.ledger.LedgerVerifier} streams them; the file is closed once read to the end.
 */
final class ExportedLeafHashes {
    private ExportedLeafHashes() {
    }

    /** The leaf hashes of {@code file}, in file order (a last partial hash is ignored). */
    static Iterator<byte[]> of(Path file) {
        DataInputStream in;
        try {
            in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 65536));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ReadAhead(() -> {
            byte[] b = new byte[32];
            try {
                in.readFully(b);
                return b;
            } catch (EOFException e) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // best effort
                }
                return null;
            }
        });
    }

    /** Reads the next item, or null at the end. */
    private interface Source {
        byte[] read() throws IOException;
    }

    /** An iterator that has read its next item. */
    private static final class ReadAhead implements Iterator<byte[]> {
        private final Source source;
        private byte[] next;

        ReadAhead(Source source) {
            this.source = source;
            this.next = advance();
        }

        private byte[] advance() {
            try {
                return source.read();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public byte[] next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            byte[] out = next;
            next = advance();
            return out;
        }
    }
}
