package fr.spie.gateway.config;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The text of a configuration file: UTF-8, strictly (a file saved in Latin-1 or Windows-1252 is reported where it
 * stops being UTF-8, not read with its accented letters replaced), and at most {@link #MAX_BYTES} (a deployment's
 * files are a few kilobytes; a huge one is a mistake, and parsing a very long line takes minutes).
 */
final class ConfigFileText {
    /** 1 MiB. */
    static final long MAX_BYTES = 1L << 20;

    private ConfigFileText() {
    }

    /** Why a file of this size is not read, or null. */
    static String sizeProblem(long size) {
        return size > MAX_BYTES ? "the file is " + size + " bytes: a configuration file is at most " + MAX_BYTES
                + " bytes (1 MiB)" : null;
    }

    /**
     * What the config version hashes for a file over the limit (never loaded, nor read whole): a marker of its size,
     * so that the version of refused files stays the version on disk.
     */
    static byte[] oversized(long size) {
        return ("over " + MAX_BYTES + " bytes: " + size).getBytes(StandardCharsets.UTF_8);
    }

    /** The text, or null when the bytes are not UTF-8 (then the problem is added to {@code problems}). */
    static String decode(String file, byte[] bytes, java.util.List<ConfigProblem> problems) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            problems.add(notUtf8(file, bytes, in.position()));
            return null;
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    /** The problem at the line and column of the first byte that is not UTF-8 ({@code offset}). */
    private static ConfigProblem notUtf8(String file, byte[] bytes, int offset) {
        String before = new String(bytes, 0, offset, StandardCharsets.UTF_8);
        int line = 1 + (int) before.chars().filter(c -> c == '\n').count();
        String lastLine = before.substring(before.lastIndexOf('\n') + 1);
        int column = 1 + lastLine.codePointCount(0, lastLine.length());
        return new ConfigProblem(file, line, column, "the file is not UTF-8: byte 0x%02X cannot start here (save the "
                .formatted(bytes[offset] & 0xff) + "file as UTF-8)");
    }
}
