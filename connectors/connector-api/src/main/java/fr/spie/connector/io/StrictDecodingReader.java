package fr.spie.connector.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.UnmappableCharacterException;
import java.util.Objects;

/**
 * Decodes bytes to text strictly (malformed or unmappable input is an error, never a replacement character) and, unlike
 * {@link java.io.InputStreamReader}, hands out every character decoded before the bad bytes before it throws.
 *
 * <p>An InputStreamReader decodes ahead (as much as the caller's buffer takes, 64K characters under a large
 * BufferedReader) and throws as soon as its decoder meets bad bytes, dropping what it decoded before them in the same
 * call: a caller counting lines is then still where the read-ahead started, not where the bad bytes are. This reader
 * holds the error back until the caller has read all the text before it, so the line the caller is reading when the
 * {@link CharacterCodingException} comes ({@link MalformedInputException} or {@link UnmappableCharacterException}) is
 * the line of the first bad bytes, counted exactly as the caller counts lines. Once thrown, the error is thrown again by
 * every later read.
 *
 * <p>No second pass over the text and no per-line work: bytes go once through the decoder into the caller's buffer.
 * Memory is one fixed byte buffer. Wrap it in a {@link java.io.BufferedReader} (single-character reads are not
 * buffered here). Not thread-safe: one per input.
 */
public final class StrictDecodingReader extends Reader {

    private static final int BUFFER_BYTES = 8192;

    private final InputStream in;
    private final CharsetDecoder decoder;
    /** Bytes read but not decoded yet, in read mode between calls. */
    private final ByteBuffer bytes = ByteBuffer.allocate(BUFFER_BYTES).flip();
    /** Characters decoded for a read into a tiny buffer and not taken yet, in read mode between calls. */
    private final CharBuffer spare = CharBuffer.allocate(8).flip();
    private boolean endOfInput;
    private boolean flushed;
    private CharacterCodingException error;

    /**
     * @param in the bytes, from where the text starts (after any byte-order mark the caller skipped: see
     *           {@link ByteOrderMark#skip}); closed by {@link #close()}
     */
    public StrictDecodingReader(InputStream in, Charset charset) {
        this.in = Objects.requireNonNull(in, "in");
        this.decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /**
     * Reads at least one character unless the text has ended or the next bytes are not valid.
     *
     * @throws CharacterCodingException when the next bytes are not valid in the charset: every character before them
     *                                  has been returned by earlier calls
     */
    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, cbuf.length);
        if (len == 0) {
            return 0;
        }
        if (!spare.hasRemaining() && len < spare.capacity()) {
            // maybe too small for what the next bytes decode to (a surrogate pair): decode into spare
            spare.clear();
            int n;
            try {
                n = decode(spare);
            } finally {
                spare.flip();
            }
            if (n < 0) {
                return n;
            }
        }
        if (spare.hasRemaining()) {
            int n = Math.min(len, spare.remaining());
            spare.get(cbuf, off, n);
            return n;
        }
        return decode(CharBuffer.wrap(cbuf, off, len));
    }

    /** Decodes into out: at least one character, or -1 at the end of the text, or the held error. */
    private int decode(CharBuffer out) throws IOException {
        int start = out.position();
        while (out.position() == start && error == null && !flushed) {
            CoderResult r = decoder.decode(bytes, out, endOfInput);
            if (r.isError()) {
                // what was decoded before the bad bytes is in out: returned now, the error by the next call
                error = r.isMalformed() ? new MalformedInputException(r.length()) : new UnmappableCharacterException(r.length());
            } else if (r.isUnderflow()) {
                if (endOfInput) {
                    flushed = decoder.flush(out).isUnderflow();
                } else if (out.position() == start) {
                    fill();
                }
            } else if (out.position() == start) {
                throw new IllegalStateException(decoder.charset() + ": one character needs more than " + out.remaining() + " chars");
            }
        }
        int n = out.position() - start;
        if (n > 0) {
            return n;
        }
        if (error != null) {
            throw error;
        }
        return -1;
    }

    /** Keeps the undecoded rest (an incomplete sequence) and reads more bytes after it. */
    private void fill() throws IOException {
        bytes.compact();
        try {
            int n = in.read(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
            if (n < 0) {
                endOfInput = true;
            } else {
                bytes.position(bytes.position() + n);
            }
        } finally {
            bytes.flip();
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
