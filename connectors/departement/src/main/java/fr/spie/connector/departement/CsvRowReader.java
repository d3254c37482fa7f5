package fr.spie.connector.departement;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Streaming RFC 4180-style CSV reader with a configurable separator and quote: quoted cells may hold the separator,
 * line breaks and doubled quotes; a quote inside an unquoted cell is literal. Line ends: CRLF, LF or CR. Memory is
 * bounded by {@link #MAX_ROW_CHARS}. Not thread-safe (one per input).
 */
final class CsvRowReader {

    /** A row longer than this (an unclosed quote swallowing the file, say) makes the input unreadable. */
    static final int MAX_ROW_CHARS = 1 << 20;

    /** One CSV row: the physical line it starts on (1-based) and its cells. */
    record Row(long line, List<String> cells) {
        boolean blank() {
            return cells.size() == 1 && cells.get(0).isBlank();
        }
    }

    /** The CSV text itself is broken (unclosed quote, row too long). */
    static final class MalformedCsvException extends Exception {
        final long line;

        MalformedCsvException(String message, long line) {
            super(message);
            this.line = line;
        }
    }

    private final Reader in;
    private final char separator;
    private final char quote;
    private long line = 1;
    private int pushedBack = -2;

    CsvRowReader(Reader in, char separator, char quote) {
        this.in = in;
        this.separator = separator;
        this.quote = quote;
    }

    private int read() throws IOException {
        if (pushedBack != -2) {
            int c = pushedBack;
            pushedBack = -2;
            return c;
        }
        return in.read();
    }

    /** The physical line (1-based) of the next character to read: where reading stopped when {@link #next()} throws. */
    long line() {
        return line;
    }

    /** The next row, or null at the end of the input. */
    Row next() throws IOException, MalformedCsvException {
        int c = read();
        if (c == -1) {
            return null;
        }
        long start = line;
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        boolean cellStart = true;
        int chars = 0;
        while (true) {
            if (++chars > MAX_ROW_CHARS) {
                throw new MalformedCsvException("row longer than " + MAX_ROW_CHARS + " characters", start);
            }
            if (quoted) {
                if (c == -1) {
                    throw new MalformedCsvException("quoted cell not closed before the end of the file", start);
                }
                if (c == quote) {
                    int n = read();
                    if (n == quote) {
                        cell.append(quote);
                    } else {
                        quoted = false;
                        c = n;
                        continue;
                    }
                } else {
                    if (c == '\n' || (c == '\r')) {
                        countLineEnd(c);
                        cell.append('\n');
                    } else {
                        cell.append((char) c);
                    }
                }
            } else if (c == -1) {
                cells.add(cell.toString());
                return new Row(start, cells);
            } else if (c == separator) {
                cells.add(cell.toString());
                cell.setLength(0);
                cellStart = true;
                c = read();
                continue;
            } else if (c == '\r' || c == '\n') {
                countLineEnd(c);
                cells.add(cell.toString());
                return new Row(start, cells);
            } else if (c == quote && cellStart) {
                quoted = true;
            } else {
                cell.append((char) c);
            }
            cellStart = false;
            c = read();
        }
    }

    /** Counts one line end; swallows the LF of a CRLF. */
    private void countLineEnd(int c) throws IOException {
        line++;
        if (c == '\r') {
            int n = read();
            if (n != '\n') {
                pushedBack = n;
            }
        }
    }
}
