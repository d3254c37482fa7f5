package fr.spie.gateway.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The gateway's own settings (its Spring Boot application properties, config/README.md) that a command needs, read
 * without Spring from where a gateway started in the same working directory reads them, the first found winning:
 * Java system properties, environment variables ({@code SPIE_AUDIT_PERSONREPORT_HIDDENPURPOSES} for
 * {@code spie.audit.person-report.hidden-purposes}), then {@code config/application.properties},
 * {@code config/application.yml} (or {@code .yaml}), {@code application.properties}, {@code application.yml} (or
 * {@code .yaml}) of the working directory; or, instead of those files, the one file given. Not seen: the gateway's
 * own command-line arguments, profile-specific files, {@code spring.config.location}.
 */
final class GatewaySettings {
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final List<String> DEFAULT_FILES = List.of("config/application.properties",
            "config/application.yml", "config/application.yaml", "application.properties", "application.yml",
            "application.yaml");

    /** A setting's value and where it was found, to tell the operator. */
    record Setting(String value, String origin) {
    }

    private record Source(String origin, Map<String, String> values, List<String> structured) {
    }

    private final Function<String, String> env;
    private final Properties system;
    private final List<Source> files;

    private GatewaySettings(Function<String, String> env, Properties system, List<Source> files) {
        this.env = env;
        this.system = system;
        this.files = files;
    }

    /**
     * @param file       the settings file to read instead of those of the working directory, or null
     * @param workingDir where the default files are looked for
     */
    static GatewaySettings read(Path file, Path workingDir, Function<String, String> env, Properties system)
            throws IOException {
        List<Source> files = new ArrayList<>();
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new IOException("no settings file " + file);
            }
            files.add(source(file));
        } else {
            for (String name : DEFAULT_FILES) {
                Path candidate = workingDir.resolve(name);
                if (Files.isRegularFile(candidate)) {
                    files.add(source(candidate));
                }
            }
        }
        return new GatewaySettings(env, system, files);
    }

    /**
     * The setting, or null when none of the sources gives it.
     *
     * @throws IllegalArgumentException when the first file that has it writes it as a YAML list or map, which the
     *                                  gateway refuses for a setting it reads as one string
     */
    Setting get(String key) {
        String property = system.getProperty(key);
        if (property != null) {
            return new Setting(property, "system property " + key);
        }
        String upper = key.toUpperCase(Locale.ROOT).replace('.', '_');
        for (String name : new String[] {key, upper.replace("-", ""), upper.replace('-', '_')}) {
            String value = env.apply(name);
            if (value != null) {
                return new Setting(value, "environment variable " + name);
            }
        }
        for (Source source : files) {
            String value = source.values().get(key);
            if (value != null) {
                return new Setting(value, source.origin());
            }
            if (source.structured().contains(key)) {
                throw new IllegalArgumentException(source.origin() + ": " + key + " is written as a YAML list or "
                        + "map, which the gateway does not read: write it as one string (config/README.md)");
            }
        }
        return null;
    }

    private static Source source(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> structured = new ArrayList<>();
        String name = file.getFileName().toString();
        if (name.endsWith(".properties")) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
                properties.load(reader);
            }
            properties.stringPropertyNames().forEach(k -> values.put(k, properties.getProperty(k)));
        } else {
            flatten("", YAML.readTree(file.toFile()), values, structured);
        }
        return new Source(file.toString(), values, structured);
    }

    /** Nested YAML keys as dotted names, list items as {@code name[i]}: how Spring Boot names them. */
    private static void flatten(String prefix, JsonNode node, Map<String, String> values, List<String> structured) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return;
        }
        if (node.isObject()) {
            if (!prefix.isEmpty()) {
                structured.add(prefix);
            }
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                flatten(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(), values,
                        structured);
            }
        } else if (node.isArray()) {
            structured.add(prefix);
            for (int i = 0; i < node.size(); i++) {
                flatten(prefix + "[" + i + "]", node.get(i), values, structured);
            }
        } else {
            values.put(prefix, node.asString());
        }
    }
}
