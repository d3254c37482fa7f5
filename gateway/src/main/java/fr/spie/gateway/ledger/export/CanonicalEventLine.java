package fr.spie.gateway.ledger.export;

import fr.spie.gateway.ledger.MerkleHash;
import fr.spie.gateway.ledger.export.WellFormedEventLine.PassingEvent;
import java.nio.charset.StandardCharsets;

/**
 * The fastest way through a full export: an event line character for character as the gateway writes it,
 * {@code {"record":"event","ledgerIndex":N,"leafHash":"<64 hex>","entry":"<entry>"}}, with no space, the members in
 * that order, and an entry whose only escapes are {@code \"} and {@code \\}. Such a line is read by position, without
 * a JSON parser; only its entry is parsed (as bytes, by {@link WellFormedEventLine#entryDeclares}), since it must be a
 * JSON object declaring the same index. Any other line, or any doubt, is "not recognised" (null), and the caller
 * tries the token reader ({@link WellFormedEventLine#passing}) and then the general way: this class never judges a
 * line, it only recognises lines that pass.
 */
final class CanonicalEventLine {
    private static final String START = "{\"record\":\"event\",\"ledgerIndex\":";
    private static final String LEAF = ",\"leafHash\":\"";
    private static final String ENTRY = "\",\"entry\":\"";
    private static final int HEX_CHARS = 64;
    /** More digits than this may not fit a long: such an index goes the general way. */
    private static final int MAX_DIGITS = 18;

    private CanonicalEventLine() {
    }

    /** The index and leaf hash of {@code line} when it is a canonical event line that passes, else null. */
    static PassingEvent passing(String line, MerkleHash hasher) {
        if (!line.startsWith(START) || line.length() >= WellFormedEventLine.MAX_CHARS) {
            return null;
        }
        int at = START.length();
        int digitsEnd = at;
        while (digitsEnd < line.length() && digitsEnd - at <= MAX_DIGITS && isDigit(line.charAt(digitsEnd))) {
            digitsEnd++;
        }
        int digits = digitsEnd - at;
        if (digits == 0 || digits > MAX_DIGITS || (digits > 1 && line.charAt(at) == '0')) {
            return null;
        }
        long index = Long.parseLong(line, at, digitsEnd, 10);
        if (!line.startsWith(LEAF, digitsEnd)) {
            return null;
        }
        int hexStart = digitsEnd + LEAF.length();
        int entryStart = hexStart + HEX_CHARS + ENTRY.length();
        if (!line.startsWith(ENTRY, hexStart + HEX_CHARS)) {
            return null;
        }
        byte[] entry = unescapedEntry(line, entryStart);
        if (entry == null || !WellFormedEventLine.entryDeclares(entry, index)) {
            return null;
        }
        byte[] leaf = hasher.leaf(entry);
        // the recorded hash is the 64 characters before ENTRY (hexadecimal digits cannot hide a quote), compared as
        // the general way compares it (equalsIgnoreCase)
        return line.regionMatches(true, hexStart, MerkleHash.hex(leaf), 0, HEX_CHARS) ? new PassingEvent(index, leaf)
                : null;
    }

    /**
     * The UTF-8 bytes of the entry string that starts at {@code from} and must end the line with {@code "}}; null when
     * it does not, or holds an escape other than {@code \"} and {@code \\}, or a control character (not JSON).
     */
    private static byte[] unescapedEntry(String line, int from) {
        int end = line.length() - 2;
        if (end < from || line.charAt(end) != '"' || line.charAt(end + 1) != '}') {
            return null;
        }
        char[] chars = new char[end - from];
        line.getChars(from, end, chars, 0);
        int n = 0;
        boolean ascii = true;
        for (int i = 0; i < chars.length; i++) {
            char c = chars[i];
            if (c == '\\') {
                if (++i == chars.length) {
                    return null;
                }
                c = chars[i];
                if (c != '"' && c != '\\') {
                    return null;
                }
            } else if (c == '"' || c < 0x20) {
                return null;
            } else if (c >= 0x80) {
                ascii = false;
            }
            chars[n++] = c;
        }
        if (!ascii) {
            return new String(chars, 0, n).getBytes(StandardCharsets.UTF_8);
        }
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = (byte) chars[i];
        }
        return bytes;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
