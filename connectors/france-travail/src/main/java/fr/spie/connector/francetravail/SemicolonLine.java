package fr.spie.connector.francetravail;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one physical line of a {@code ;}-separated extract. The France Travail extracts are not quoted, but a field
 * that starts with {@code "} is read RFC 4180 style ({@code ""} = one quote) so a quoted {@code ;} survives. Quoted
 * fields cannot span lines: each physical line is one native record, which keeps "line N" exact.
 */
final class SemicolonLine {

    private SemicolonLine() {
    }

    /** @throws IllegalArgumentException when a quoted field is not closed on the line */
    static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (true) {
            if (i < n && line.charAt(i) == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = line.charAt(i);
                    if (c == '"') {
                        if (i + 1 < n && line.charAt(i + 1) == '"') {
                            sb.append('"');
                            i += 2;
                            continue;
                        }
                        closed = true;
                        i++;
                        break;
                    }
                    sb.append(c);
                    i++;
                }
                if (!closed) {
                    throw new IllegalArgumentException("unterminated quoted field " + (fields.size() + 1));
                }
                if (i < n && line.charAt(i) != ';') {
                    throw new IllegalArgumentException("characters after the closing quote of field " + (fields.size() + 1));
                }
                fields.add(sb.toString());
            } else {
                int end = line.indexOf(';', i);
                fields.add(line.substring(i, end < 0 ? n : end));
                i = end < 0 ? n : end;
            }
            if (i >= n) {
                break;
            }
            i++; // skip ';'
            if (i == n) {
                fields.add("");
                break;
            }
        }
        return fields;
    }
}
