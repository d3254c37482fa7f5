package fr.spie.gateway.config;

import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLParser;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A YAML file read into a Jackson tree, with the line and column of every value and every mapping key, indexed by
 * JSON pointer ({@code /routes/2/to/0}). Reading never throws: syntax errors and duplicate keys become problems, and
 * so do what YAML allows but the gateway does not read: a second document ({@code ---}), aliases ({@code *name},
 * which the reader would take as the text of their name) and tags other than {@code !!str} (which it would ignore).
 */
final class YamlDocument {
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String CORE_TAG_PREFIX = "tag:yaml.org,2002:";
    /** The one tag read as written: {@code !!str 51} is the text "51". */
    private static final Set<String> STRING_TAGS = Set.of(CORE_TAG_PREFIX + "str", "!!str");
    private static final Pattern DOCUMENT_MARKER = Pattern.compile("(---|\\.\\.\\.)(\\s|$)");

    /** A 1-based position in the file. */
    record Position(int line, int column) {
        static final Position START = new Position(1, 1);
    }

    private final String file;
    private final Map<String, Position> values = new HashMap<>();
    private final Map<String, Position> keys = new HashMap<>();
    private final List<ConfigProblem> problems = new ArrayList<>();
    private final Set<String> aliases = new HashSet<>();
    private JsonNode root;

    private YamlDocument(String file) {
        this.file = file;
    }

    /** Reads {@code text}; check {@link #problems()} and {@link #root()} (null when the text is not readable). */
    static YamlDocument parse(String file, String text) {
        YamlDocument doc = new YamlDocument(file);
        try (JsonParser parser = YAML.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                doc.problems.add(doc.problem(Position.START, "the file is empty"));
            } else {
                doc.root = doc.read(parser, "");
                if (parser.nextToken() != null) {
                    doc.problems.add(doc.problem(documentStart(text, parser), "a second YAML document starts here "
                            + "('---'): a configuration file is one document (remove the '---' and merge the two)"));
                }
            }
        } catch (JacksonException e) {
            doc.root = null;
            doc.problems.add(doc.syntaxProblem(e));
        }
        return doc;
    }

    String file() {
        return file;
    }

    /** The tree, or null when the file could not be read. */
    JsonNode root() {
        return root;
    }

    List<ConfigProblem> problems() {
        return problems;
    }

    /** The pointers of the values written as an alias (reported): their value is meaningless, check nothing there. */
    Set<String> aliases() {
        return aliases;
    }

    /** Where the value at this pointer starts; the nearest enclosing value's position if unknown. */
    Position valueAt(String pointer) {
        String p = pointer;
        while (true) {
            Position pos = values.get(p);
            if (pos != null) {
                return pos;
            }
            if (p.isEmpty()) {
                return Position.START;
            }
            p = p.substring(0, p.lastIndexOf('/'));
        }
    }

    /** Where the mapping key of the value at this pointer is written; the value's position for array items. */
    Position keyAt(String pointer) {
        return Optional.ofNullable(keys.get(pointer)).orElseGet(() -> valueAt(pointer));
    }

    ConfigProblem problemAt(String pointer, String message) {
        return problem(valueAt(pointer), message);
    }

    ConfigProblem problemAtKey(String pointer, String message) {
        return problem(keyAt(pointer), message);
    }

    ConfigProblem problem(Position position, String message) {
        return new ConfigProblem(file, position.line(), position.column(), message);
    }

    static String child(String pointer, String name) {
        return pointer + "/" + name.replace("~", "~0").replace("/", "~1");
    }

    static String child(String pointer, int index) {
        return pointer + "/" + index;
    }

    private JsonNode read(JsonParser parser, String pointer) {
        JsonToken token = parser.currentToken();
        values.put(pointer, position(parser.currentTokenLocation()));
        if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
            aliases.add(pointer);
            problems.add(problem(values.get(pointer), "YAML aliases ('*" + parser.getString()
                    + "') are not supported: write the value out"));
            return NODES.nullNode();
        }
        String tag = parser instanceof YAMLParser yaml ? yaml.getTypeId() : null;
        if (tag != null && !STRING_TAGS.contains(tag)) {
            problems.add(problem(values.get(pointer), "YAML tags ('" + shortTag(tag)
                    + "') are not supported: write the value out"));
        }
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                    String name = parser.currentName();
                    String childPointer = child(pointer, name);
                    Position keyPosition = position(parser.currentTokenLocation());
                    if (object.has(name)) {
                        problems.add(problem(keyPosition, "duplicate key '" + name + "' (first at line "
                                + keys.get(childPointer).line() + ")"));
                    } else {
                        keys.put(childPointer, keyPosition);
                    }
                    parser.nextToken();
                    JsonNode value = read(parser, childPointer);
                    object.putIfAbsent(name, value);
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(read(parser, child(pointer, array.size())));
                }
                return array;
            }
            case VALUE_STRING -> {
                return NODES.stringNode(parser.getString());
            }
            case VALUE_NUMBER_INT -> {
                return switch (parser.getNumberType()) {
                    case INT, LONG -> NODES.numberNode(parser.getLongValue());
                    default -> NODES.numberNode(parser.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return NODES.numberNode(parser.getDecimalValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return NODES.booleanNode(token == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> {
                return NODES.stringNode(parser.getValueAsString());
            }
        }
    }

    /** {@code tag:yaml.org,2002:binary} as written, {@code !!binary}. */
    private static String shortTag(String tag) {
        return tag.startsWith(CORE_TAG_PREFIX) ? "!!" + tag.substring(CORE_TAG_PREFIX.length())
                : tag.startsWith("!") ? tag : "!" + tag;
    }

    /** The '---' (or '...') line before the first token of the document the parser is now in, else that token. */
    private static Position documentStart(String text, JsonParser parser) {
        Position first = position(parser.currentTokenLocation());
        List<String> lines = text.lines().limit(first.line()).toList();
        for (int line = lines.size(); line >= 1; line--) {
            if (DOCUMENT_MARKER.matcher(lines.get(line - 1)).lookingAt()) {
                return new Position(line, 1);
            }
        }
        return first;
    }

    private ConfigProblem syntaxProblem(JacksonException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof MarkedYamlEngineException yaml && yaml.getProblemMark().isPresent()) {
                Mark mark = yaml.getProblemMark().get();
                String message = "invalid YAML: " + (yaml.getContext() == null ? "" : yaml.getContext() + ": ")
                        + yaml.getProblem();
                return problem(new Position(mark.getLine() + 1, mark.getColumn() + 1), message);
            }
        }
        String message = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage().lines().findFirst()
                .orElse("");
        return problem(position(e.getLocation()), "invalid YAML: " + message);
    }

    private static Position position(TokenStreamLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return Position.START;
        }
        return new Position(location.getLineNr(), Math.max(1, location.getColumnNr()));
    }
}
