package fr.spie.gateway.config;

import java.util.Comparator;
import java.util.Objects;

/**
 * One problem found in a configuration directory, located precisely enough for an administrator to fix it.
 *
 * @param file    the file's name within the configuration directory (e.g. {@code routes.yaml})
 * @param line    1-based line, 0 when the problem concerns the whole file (e.g. it is missing)
 * @param column  1-based column, 0 when the problem concerns the whole file
 * @param message what is wrong, in words an administrator understands
 */
public record ConfigProblem(String file, int line, int column, String message) implements Comparable<ConfigProblem> {
    private static final Comparator<ConfigProblem> ORDER = Comparator.comparing(ConfigProblem::file)
            .thenComparingInt(ConfigProblem::line).thenComparingInt(ConfigProblem::column)
            .thenComparing(ConfigProblem::message);

    public ConfigProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
    }

    /** The usual compiler-style form: {@code file:line:column: message}. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }

    @Override
    public int compareTo(ConfigProblem other) {
        return ORDER.compare(this, other);
    }
}
