package fr.spie.gateway.config;

import com.networknt.schema.Schema;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

import static fr.spie.gateway.config.GatewayConfigLoader.ACCESS_FILE;
import static fr.spie.gateway.config.GatewayConfigLoader.PARTNERS_FILE;
import static fr.spie.gateway.config.GatewayConfigLoader.ROUTES_FILE;

/**
 * Reads the files of a configuration directory: each file's raw bytes and the values of its placeholders (for the
 * version), and its document with its placeholders resolved and checked against its JSON Schema. Holds the problems
 * of the load, to which the readers of partners, routes and operators add theirs.
 */
final class ConfigFiles {
    private final List<ConfigProblem> problems = new ArrayList<>();
    /** The problems that are only a placeholder's variable not set, and the variables. */
    private final Map<ConfigProblem, String> unsetVariables = new HashMap<>();
    private final Map<String, byte[]> raw = new TreeMap<>();
    private final Map<String, List<Placeholders.ResolvedValue>> resolved = new TreeMap<>();
    private final Map<String, CheckedDocument> docs = new HashMap<>();

    private ConfigFiles() {
    }

    /**
     * @param env          environment lookup for placeholders
     * @param schemaByFile the JSON Schema of each file
     */
    static ConfigFiles read(Path dir, Function<String, String> env, ConfigSchemas schemas,
                            Map<String, Schema> schemaByFile) {
        ConfigFiles files = new ConfigFiles();
        for (String file : List.of(ACCESS_FILE, PARTNERS_FILE, ROUTES_FILE)) {
            files.read(dir, file, env, schemas, schemaByFile.get(file));
        }
        return files;
    }

    private void read(Path dir, String file, Function<String, String> env, ConfigSchemas schemas, Schema schema) {
        Path path = dir.resolve(file);
        if (!Files.isRegularFile(path)) {
            if (!file.equals(ACCESS_FILE)) {
                String yml = file.replace(".yaml", ".yml");
                problems.add(new ConfigProblem(file, 0, 0, "required file not found in " + dir
                        + (Files.exists(dir.resolve(yml)) ? " (found " + yml + ": rename it to " + file + ")"
                        : "")));
            }
            return;
        }
        byte[] bytes;
        try {
            long size = Files.size(path);
            String tooBig = ConfigFileText.sizeProblem(size);
            if (tooBig != null) {
                problems.add(new ConfigProblem(file, 0, 0, tooBig));
                raw.put(file, ConfigFileText.oversized(size));
                return;
            }
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            problems.add(new ConfigProblem(file, 0, 0, "cannot read the file: " + e.getMessage()));
            return;
        }
        raw.put(file, bytes);
        String text = ConfigFileText.decode(file, bytes, problems);
        if (text == null) {
            return;
        }
        YamlDocument doc = YamlDocument.parse(file, text);
        problems.addAll(doc.problems());
        if (doc.root() == null) {
            return;
        }
        // an alias is already reported: nothing is checked at its value
        Set<String> bad = new HashSet<>(doc.aliases());
        Placeholders placeholders = new Placeholders(env);
        for (Placeholders.Unresolved u : placeholders.resolve(doc)) {
            problems.add(u.problem());
            bad.add(u.pointer());
            if (u.unsetVariable() != null) {
                unsetVariables.put(u.problem(), u.unsetVariable());
            }
        }
        resolved.put(file, placeholders.values());
        Set<String> unresolved = Set.copyOf(bad);
        for (ConfigSchemas.Violation v : schemas.validate(schema, doc)) {
            // a value whose placeholder is unresolved is already reported: do not report it twice
            if (!unresolved.contains(v.pointer())) {
                problems.add(v.problem());
            }
            bad.add(v.pointer());
        }
        docs.put(file, new CheckedDocument(doc, bad, problems));
    }

    /** The document of this file, or null when the file is missing or not readable YAML. */
    CheckedDocument document(String file) {
        return docs.get(file);
    }

    /**
     * The version of the files read: their raw bytes (a file over the size limit: {@link ConfigFileText#oversized})
     * and the values their placeholders resolved to ({@link ConfigVersion}).
     */
    String version() {
        return ConfigVersion.of(raw, resolved);
    }

    /** The variable a problem is about, when it is only that the variable is not set; else null. */
    String unsetVariable(ConfigProblem problem) {
        return unsetVariables.get(problem);
    }

    /** Every problem found so far, in the order found. */
    List<ConfigProblem> problems() {
        return problems;
    }
}
