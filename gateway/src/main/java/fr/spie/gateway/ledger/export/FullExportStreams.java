package fr.spie.gateway.ledger.export;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * What {@link fr.spie.gateway.ledger.LedgerVerifier} streams from a full export, read ahead one item: the entry bytes
 * of the events of {@code ledger.jsonl}, and the 32-byte leaf hashes of {@code leaves.bin}. Each closes its file once
 * read to the end.
 */
final class FullExportStreams {
    private FullExportStreams() {
    }

    /** The entries of the event records, in file order. */
    static Iterator<byte[]> entries(Path jsonl) {
        BufferedReader in;
        try {
            in = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ReadAhead(() -> {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                Map<String, Object> rec = ExportCodec.JSON.readValue(line, EventCheck.MAP);
                if (ExportRecord.EVENT.equals(rec.get("record"))) {
                    return ((String) rec.get("entry")).getBytes(StandardCharsets.UTF_8);
                }
            }
            in.close();
            return null;
        });
    }

    /** The leaf hashes, in file order (a last partial hash is ignored). */
    static Iterator<byte[]> leafHashes(Path file) {
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
