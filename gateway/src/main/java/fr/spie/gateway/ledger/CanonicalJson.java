package fr.spie.gateway.ledger;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Canonical JSON (the subset of RFC 8785 JCS the ledger needs) for audit entries.
 *
 * <p>Accepted values: {@link Map} with {@link String} keys, {@link List}, {@link String},
 * {@link Long}/{@link Integer}/{@link Short}/{@link Byte}, {@link Boolean} and {@code null}.
 * Rules: object members sorted by key compared as UTF-16 code units ({@link String#compareTo}),
 * no whitespace, strings with the minimal escaping of RFC 8785 §3.2.2.2 ({@code \"}, {@code \\},
 * {@code \b \f \n \r \t}, other controls below U+0020 as lower-case {@code \}{@code u00xx};
 * everything else, including non-ASCII, literal), integers in plain decimal, UTF-8 output.
 *
 * <p>Rejected with {@link IllegalArgumentException}: floating-point and other number types
 * (JCS would render them through IEEE-754 doubles), integers outside ±(2^53−1) (not exactly
 * representable in I-JSON; send such values as strings), lone surrogates, non-String keys, other
 * object types and nesting deeper than {@value #MAX_DEPTH}.
 */
public final class CanonicalJson {

    /** Maximum nesting depth of maps and lists. */
    public static final int MAX_DEPTH = 64;

    private static final long MAX_SAFE_INTEGER = (1L << 53) - 1;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private CanonicalJson() {
    }

    /** Canonical UTF-8 bytes of a JSON object. */
    public static byte[] toBytes(Map<String, ?> object) {
        return toString(object).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Appends the canonical text of any accepted value to {@code sb}: for writers of a fixed object shape that emit
     * the members in canonical order themselves (see AuditRow#entry).
     */
    public static void append(StringBuilder sb, Object value) {
        write(sb, value, 0);
    }

    /** Canonical text of any accepted value. */
    public static String toString(Object value) {
        StringBuilder sb = new StringBuilder(256);
        write(sb, value, 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object value, int depth) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof String s) {
            writeString(sb, s);
        } else if (value instanceof Boolean b) {
            sb.append(b.booleanValue());
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte) {
            long n = ((Number) value).longValue();
            if (n > MAX_SAFE_INTEGER || n < -MAX_SAFE_INTEGER) {
                throw new IllegalArgumentException("integer outside +/-(2^53-1): " + n);
            }
            sb.append(n);
        } else if (value instanceof Map<?, ?> map) {
            checkDepth(depth);
            writeObject(sb, map, depth + 1);
        } else if (value instanceof List<?> list) {
            checkDepth(depth);
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(sb, list.get(i), depth + 1);
            }
            sb.append(']');
        } else {
            throw new IllegalArgumentException("unsupported JSON value type " + value.getClass().getName()
                    + (value instanceof Number ? " (only integers are allowed)" : ""));
        }
    }

    private static void writeObject(StringBuilder sb, Map<?, ?> map, int depth) {
        List<String> keys = new ArrayList<>(map.size());
        for (Object key : map.keySet()) {
            if (!(key instanceof String s)) {
                throw new IllegalArgumentException("object key is not a String: " + key);
            }
            keys.add(s);
        }
        keys.sort(null); // String.compareTo compares UTF-16 code units, as RFC 8785 §3.2.3 requires
        sb.append('{');
        boolean first = true;
        for (String key : keys) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            writeString(sb, key);
            sb.append(':');
            write(sb, map.get(key), depth);
        }
        sb.append('}');
    }

    private static void writeString(StringBuilder sb, String s) {
        sb.append('"');
        int plain = plainPrefix(s);
        if (plain == s.length()) {
            // the usual case (identifiers, digests, codes): nothing to escape or check, one bulk append
            sb.append(s).append('"');
            return;
        }
        sb.append(s, 0, plain);
        for (int i = plain; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else if (Character.isHighSurrogate(c)) {
                        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                            throw new IllegalArgumentException("lone surrogate at index " + i);
                        }
                        sb.append(c).append(s.charAt(++i));
                    } else if (Character.isLowSurrogate(c)) {
                        throw new IllegalArgumentException("lone surrogate at index " + i);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** Length of the leading run of characters written as they are and needing no check (no escape, no surrogate). */
    private static int plainPrefix(String s) {
        int i = 0;
        for (int n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || Character.isSurrogate(c)) {
                break;
            }
        }
        return i;
    }

    private static void checkDepth(int depth) {
        if (depth >= MAX_DEPTH) {
            throw new IllegalArgumentException("JSON nesting deeper than " + MAX_DEPTH);
        }
    }
}
