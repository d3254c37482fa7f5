package fr.spie.gateway.files;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * File names as partners give them. A name is kept only as information (the store names files by id), but a name
 * that tries to be a path, hides itself or holds control characters is refused.
 */
final class FileNames {
    static final int MAX_LENGTH = 255;

    private FileNames() {
    }

    /**
     * Endings of the temporary names SFTP clients write under before renaming to the final name: {@code .part},
     * {@code .tmp}, and WinSCP's {@code .filepart}, in any case.
     */
    private static final List<String> TEMPORARY_ENDINGS = List.of(".part", ".tmp", ".filepart");

    /** Whether an inbox entry is still being written (rename-on-complete): hidden, or a temporary name. */
    static boolean beingWritten(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return name.startsWith(".") || TEMPORARY_ENDINGS.stream().anyMatch(lower::endsWith);
    }

    /** Why the name is refused, or empty when it is acceptable. */
    static Optional<String> problem(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("the file name is empty");
        }
        if (name.length() > MAX_LENGTH) {
            return Optional.of("the file name is longer than " + MAX_LENGTH + " characters");
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
            return Optional.of("the file name contains a path separator: give a plain file name");
        }
        if (name.equals(".") || name.equals("..") || name.startsWith(".")) {
            return Optional.of("the file name must not start with '.'");
        }
        if (name.contains("..")) {
            return Optional.of("the file name must not contain '..'");
        }
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            if (Character.isISOControl(c) || c == ':') {
                return Optional.of("the file name contains a control character or ':'");
            }
            if (invisible(c)) {
                return Optional.of(String.format("the file name contains an invisible or direction-changing character"
                        + " (U+%04X)", c));
            }
            i += Character.charCount(c);
        }
        return Optional.empty();
    }

    /**
     * The longest start of {@code name} that holds in {@code maxBytes} bytes of UTF-8 (file systems count a name's
     * bytes, not its characters), never cutting a character in two.
     */
    static String truncated(String name, int maxBytes) {
        int bytes = 0;
        int end = 0;
        while (end < name.length()) {
            int c = name.codePointAt(end);
            int size = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            end += Character.charCount(c);
        }
        return name.substring(0, end);
    }

    /**
     * Characters that change how a name is shown without being seen: bidirectional overrides (U+202E shows
     * {@code RSABEM_\u202Elmx.exe} as {@code RSABEM_exe.xml}), zero-width characters, line and paragraph separators,
     * and halves of a surrogate pair alone.
     */
    private static boolean invisible(int c) {
        int type = Character.getType(c);
        return type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.SURROGATE;
    }

    /** A printable version of a refused name for reports: control characters replaced, length capped. */
    static String printable(String name) {
        if (name == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        name.codePoints().limit(MAX_LENGTH)
                .forEach(c -> sb.appendCodePoint(Character.isISOControl(c) || invisible(c) ? '?' : c));
        return sb.toString();
    }
}
