package fr.spie.connector.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The byte-order mark a text file may start with, as the connectors treat it: a UTF-8 mark declares the file UTF-8
 * whatever encoding the partner's configuration says (the mark always wins), and is not part of the text; a UTF-16
 * mark ({@code FE FF} or {@code FF FE}) is for the connector to refuse, its files being UTF-8 or single-byte text.
 *
 * <p>{@link #skip(InputStream)} reads the mark before the text is decoded, e.g. by a {@link StrictDecodingReader}
 * built with {@link #charsetOr(Charset)}:
 * <pre>{@code
 * BufferedInputStream in = new BufferedInputStream(input);
 * ByteOrderMark bom = ByteOrderMark.skip(in);
 * if (bom.isUtf16()) {
 *     throw new UnreadableInputException("UTF-16 byte-order mark: ...", "line 1");
 * }
 * Reader text = new StrictDecodingReader(in, bom.charsetOr(configured));
 * }</pre>
 */
public enum ByteOrderMark {

    /** No byte-order mark: the text starts at the first byte, in the configured encoding. */
    NONE(null),
    /** {@code EF BB BF}: the file is UTF-8; skipped. */
    UTF_8(StandardCharsets.UTF_8),
    /** {@code FE FF}: UTF-16 big-endian; left in the stream. */
    UTF_16BE(StandardCharsets.UTF_16BE),
    /** {@code FF FE}: UTF-16 little-endian (or UTF-32 little-endian, which starts alike); left in the stream. */
    UTF_16LE(StandardCharsets.UTF_16LE);

    private final Charset declared;

    ByteOrderMark(Charset declared) {
        this.declared = declared;
    }

    /**
     * Reads the byte-order mark at the start of {@code in}: after a UTF-8 mark the stream is at the first byte of the
     * text; in every other case (no mark, UTF-16 mark, fewer than 3 bytes) it is where it was.
     *
     * @param in at the start of the file; must support {@link InputStream#mark mark/reset} (a
     *           {@link java.io.BufferedInputStream})
     * @throws IllegalArgumentException when {@code in} does not support mark/reset
     */
    public static ByteOrderMark skip(InputStream in) throws IOException {
        Objects.requireNonNull(in, "in");
        if (!in.markSupported()) {
            throw new IllegalArgumentException("the stream must support mark/reset (wrap it in a BufferedInputStream)");
        }
        in.mark(3);
        byte[] b = in.readNBytes(3);
        if (b.length == 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF) {
            return UTF_8;
        }
        in.reset();
        if (b.length >= 2 && (b[0] & 0xFF) == 0xFE && (b[1] & 0xFF) == 0xFF) {
            return UTF_16BE;
        }
        if (b.length >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xFE) {
            return UTF_16LE;
        }
        return NONE;
    }

    /** Whether this is a UTF-16 mark (big- or little-endian). */
    public boolean isUtf16() {
        return this == UTF_16BE || this == UTF_16LE;
    }

    /** The encoding to decode the text with: the one this mark declares, else (no mark) {@code configured}. */
    public Charset charsetOr(Charset configured) {
        Objects.requireNonNull(configured, "configured");
        return declared == null ? configured : declared;
    }
}
