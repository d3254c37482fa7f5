package fr.spie.gateway.config;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${NAME}} and {@code ${NAME:default}} in the string values of a document, from the variables given
 * (the environment variables and the gateway's settings: {@code PlaceholderVariables}). A variable that is set (even
 * to an empty string) wins over the default; {@code $${} writes a literal {@code ${}. Keys, numbers and booleans are
 * left as they are.
 */
final class Placeholders {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\$\\{|\\$\\{([^}:]*)(?::([^}]*))?}|\\$\\{");
    private static final Pattern WHOLE = Pattern.compile("\\$\\{[^}]*}");
    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,18}");
    private static final Pattern DECIMAL = Pattern.compile("-?\\d+\\.\\d+");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Function<String, String> env;
    private final List<ResolvedValue> values = new ArrayList<>();

    Placeholders(Function<String, String> env) {
        this.env = env;
    }

    /** A value that held placeholders, at its JSON pointer, as resolved (before it took a number's or boolean's type). */
    record ResolvedValue(String pointer, String value) {
    }

    /** The values that held placeholders, in document order, as {@link #resolve(YamlDocument)} resolved them. */
    List<ResolvedValue> values() {
        return List.copyOf(values);
    }

    /**
     * A placeholder that could not be resolved, at the JSON pointer of its value.
     *
     * @param unsetVariable the variable it needs, when that is why (set, it would resolve), else null
     */
    record Unresolved(String pointer, ConfigProblem problem, String unsetVariable) {
    }

    /** Replaces the placeholders in {@code doc}'s tree in place and returns the ones that could not be resolved. */
    List<Unresolved> resolve(YamlDocument doc) {
        List<Unresolved> problems = new ArrayList<>();
        if (doc.root() != null) {
            walk(doc, doc.root(), "", problems);
        }
        return problems;
    }

    private void walk(YamlDocument doc, JsonNode node, String pointer, List<Unresolved> problems) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> e : new ArrayList<>(object.properties())) {
                String child = YamlDocument.child(pointer, e.getKey());
                JsonNode value = e.getValue();
                if (value.isString()) {
                    object.set(e.getKey(), typed(object, value.asString(), resolveValue(doc, value.asString(), child,
                            problems)));
                } else {
                    walk(doc, value, child, problems);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                String child = YamlDocument.child(pointer, i);
                JsonNode value = array.get(i);
                if (value.isString()) {
                    array.set(i, typed(array, value.asString(), resolveValue(doc, value.asString(), child, problems)));
                } else {
                    walk(doc, value, child, problems);
                }
            }
        }
    }

    /**
     * A value that is one whole placeholder takes the type its resolved text has in YAML: {@code maxAttempts:
     * "${ATTEMPTS:6}"} is the number 6, {@code enabled: "${ON:true}"} the boolean true. Other values stay strings.
     */
    private static JsonNode typed(tools.jackson.databind.node.ContainerNode<?> factory, String original,
                                  String resolved) {
        if (WHOLE.matcher(original.trim()).matches()) {
            if (INTEGER.matcher(resolved).matches()) {
                return factory.numberNode(Long.parseLong(resolved));
            }
            if (DECIMAL.matcher(resolved).matches()) {
                return factory.numberNode(Double.parseDouble(resolved));
            }
            if ("true".equals(resolved) || "false".equals(resolved)) {
                return factory.booleanNode(Boolean.parseBoolean(resolved));
            }
        }
        return factory.stringNode(resolved);
    }

    private static Unresolved problem(YamlDocument doc, String pointer, String message) {
        return new Unresolved(pointer, doc.problemAt(pointer, message), null);
    }

    private String resolveValue(YamlDocument doc, String text, String pointer, List<Unresolved> problems) {
        String resolved = resolve(doc, text, pointer, problems);
        if (text.contains("${")) {
            values.add(new ResolvedValue(pointer, resolved));
        }
        return resolved;
    }

    /** Resolves the placeholders in one string; problems are located at the value. */
    String resolve(YamlDocument doc, String text, String pointer, List<Unresolved> problems) {
        if (!text.contains("${")) {
            return text;
        }
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().equals("$${")) {
                replacement = "${";
            } else if (m.group().equals("${")) {
                problems.add(problem(doc, pointer, "unclosed placeholder in '" + text
                        + "': write ${NAME} or ${NAME:default}"));
                replacement = "${";
            } else {
                String name = m.group(1).strip();
                String fallback = m.group(2);
                String value = NAME.matcher(name).matches() ? env.apply(name) : null;
                if (fallback != null && fallback.contains("${")) {
                    problems.add(problem(doc, pointer, "nested placeholder in '" + text
                            + "': a default cannot contain a placeholder"));
                    replacement = "";
                } else if (!NAME.matcher(name).matches()) {
                    problems.add(problem(doc, pointer, "invalid placeholder '" + m.group()
                            + "': the name must be letters, digits and '_' (e.g. ${SPIE_TOKEN_SHA256_CAF_51:})"));
                    replacement = "";
                } else if (value != null) {
                    replacement = value;
                } else if (fallback != null) {
                    replacement = fallback;
                } else {
                    // the gateway reads the variable from its Spring settings too, not only from the environment
                    problems.add(new Unresolved(pointer, doc.problemAt(pointer, "variable '" + name
                            + "' is not set (environment, -D" + name + "=..., or --" + name + "=... / application "
                            + "settings) and ${" + name + "} has no default (write ${" + name + ":default})"), name));
                    replacement = "";
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
