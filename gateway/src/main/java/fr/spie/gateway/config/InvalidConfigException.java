package fr.spie.gateway.config;

import java.util.List;
import java.util.stream.Collectors;

/** The configuration directory could not be loaded; {@link #problems()} lists every problem found, in file order. */
public class InvalidConfigException extends Exception {
    private final List<ConfigProblem> problems;
    private final String version;

    public InvalidConfigException(List<ConfigProblem> problems) {
        this(problems, null);
    }

    /**
     * @param version the version of the files read, as {@link GatewayConfig#version()} and
     *                {@link GatewayConfigLoader#versionOf} compute it (files and placeholder
     *                values)
     */
    public InvalidConfigException(List<ConfigProblem> problems, String version) {
        super(message(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an invalid configuration has at least one problem");
        }
        this.problems = List.copyOf(problems);
        this.version = version;
    }

    /** The version of the files that were read and refused, or null when not given. */
    public String version() {
        return version;
    }

    /** Every problem of every file, sorted by file, line and column. */
    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String message(List<ConfigProblem> problems) {
        return problems.size() + " configuration problem" + (problems.size() == 1 ? "" : "s") + ":\n"
                + problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n"));
    }
}
