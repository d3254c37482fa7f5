package fr.spie.gateway.ledger.export;

import fr.spie.connector.io.StrictDecodingReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The non-blank lines of a JSON Lines export, with their numbers (blank lines counted), decoded strictly as UTF-8:
 * bytes that are not UTF-8 are refused at the line they are on, not replaced nor reported as an unreadable file.
 */
final class ExportLines implements AutoCloseable {
    private final BufferedReader in;
    private long number;

    private ExportLines(BufferedReader in) {
        this.in = in;
    }

    static ExportLines open(Path file) throws IOException {
        return new ExportLines(reader(file));
    }

    /** The text of an export file, decoded strictly as UTF-8 (CSV exports are read from it too). */
    static BufferedReader reader(Path file) throws IOException {
        return new BufferedReader(new StrictDecodingReader(Files.newInputStream(file), StandardCharsets.UTF_8), 65536);
    }

    /**
     * The next non-blank line, or null at the end of the file.
     *
     * @throws IllegalArgumentException naming the line, when it holds bytes that are not UTF-8
     */
    String next() throws IOException {
        String line;
        do {
            try {
                line = in.readLine();
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("line " + (number + 1) + ": not UTF-8 text (bytes that do not "
                        + "decode)");
            }
            if (line == null) {
                return null;
            }
            number++;
        } while (line.isBlank());
        return line;
    }

    /** The number of the line {@link #next} returned last. */
    long number() {
        return number;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
