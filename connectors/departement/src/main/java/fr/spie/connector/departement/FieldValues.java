package fr.spie.connector.departement;

import fr.spie.connector.departement.FileMapping.FieldMapping;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Transforms of one cell value to a JSON value, JSON Pointer placement, and the reverse for exports. */
final class FieldValues {

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private FieldValues() {
    }

    /** A transformed value, or why it is invalid (never the value itself: reasons go to partners' reports). */
    record Result(JsonNode value, String invalid) {
        static Result ok(JsonNode v) {
            return new Result(v, null);
        }

        static Result bad(String why) {
            return new Result(null, why);
        }
    }

    static List<DateTimeFormatter> formatters(List<String> patterns) {
        return patterns.stream()
                .map(p -> DateTimeFormatter.ofPattern(p.replace("yyyy", "uuuu").replace("yy", "uu"), Locale.ROOT)
                        .withResolverStyle(ResolverStyle.STRICT))
                .toList();
    }

    static Result transform(FieldMapping field, String raw, List<DateTimeFormatter> dates, List<String> datePatterns) {
        List<Object> items = new ArrayList<>();
        items.add(raw);
        boolean list = false;
        for (String t : field.transforms()) {
            switch (t) {
                case "trim" -> items = mapStrings(items, String::strip);
                case "upper" -> items = mapStrings(items, s -> s.toUpperCase(Locale.ROOT));
                case "lower" -> items = mapStrings(items, s -> s.toLowerCase(Locale.ROOT));
                case "strip-spaces" -> items = mapStrings(items, s -> s.replaceAll("[\\s.\\-]", ""));
                case "split-list" -> {
                    List<Object> split = new ArrayList<>();
                    for (Object o : items) {
                        for (String part : String.valueOf(o).split(Pattern.quote(field.listSeparator()))) {
                            if (!part.isBlank()) {
                                split.add(part.strip());
                            }
                        }
                    }
                    items = split;
                    list = true;
                }
                case "first" -> {
                    items = items.isEmpty() ? new ArrayList<>() : new ArrayList<>(List.of(items.get(0)));
                    list = false;
                }
                case "date" -> {
                    List<Object> out = new ArrayList<>();
                    for (Object o : items) {
                        LocalDate d = parseDate(String.valueOf(o), dates);
                        if (d == null) {
                            return Result.bad("not a date in any of the formats " + String.join(", ", datePatterns));
                        }
                        out.add(d.toString());
                    }
                    items = out;
                }
                case "boolean" -> {
                    if (field.values().isEmpty()) {
                        List<Object> out = new ArrayList<>();
                        for (Object o : items) {
                            Boolean b = parseBoolean(String.valueOf(o));
                            if (b == null) {
                                return Result.bad("not a boolean (Oui/Non, O/N, true/false, 1/0)");
                            }
                            out.add(b);
                        }
                        items = out;
                    }
                }
                case "integer" -> {
                    List<Object> out = new ArrayList<>();
                    for (Object o : items) {
                        try {
                            out.add(Long.parseLong(String.valueOf(o).strip()));
                        } catch (NumberFormatException e) {
                            return Result.bad("not an integer");
                        }
                    }
                    items = out;
                }
                default -> throw new IllegalStateException(t);
            }
        }
        if (items.isEmpty()) {
            return Result.ok(null);
        }
        List<JsonNode> nodes = new ArrayList<>();
        for (Object o : items) {
            if (field.pattern() != null && o instanceof String s
                    && !Pattern.compile(field.pattern(), Pattern.DOTALL).matcher(s).matches()) {
                return Result.bad("does not match the expected pattern " + field.pattern());
            }
            if (!field.values().isEmpty()) {
                Object mapped = lookup(field.values(), String.valueOf(o));
                if (mapped == null) {
                    return Result.bad("unknown code, expected one of " + field.values().keySet());
                }
                nodes.add(toNode(mapped));
            } else {
                nodes.add(toNode(o));
            }
        }
        if (list) {
            ArrayNode array = NODES.arrayNode();
            nodes.forEach(array::add);
            return Result.ok(array);
        }
        return Result.ok(nodes.get(0));
    }

    private static List<Object> mapStrings(List<Object> items, java.util.function.UnaryOperator<String> f) {
        List<Object> out = new ArrayList<>();
        for (Object o : items) {
            out.add(o instanceof String s ? f.apply(s) : o);
        }
        return out;
    }

    static Object lookup(Map<String, Object> values, String key) {
        Object exact = values.get(key);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (e.getKey().equalsIgnoreCase(key.strip())) {
                return e.getValue();
            }
        }
        return null;
    }

    static JsonNode toNode(Object o) {
        if (o instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (o instanceof Long l) {
            return NODES.numberNode(l);
        }
        if (o instanceof Integer i) {
            return NODES.numberNode(i);
        }
        if (o instanceof Number n) {
            return NODES.numberNode(n.doubleValue());
        }
        if (o instanceof Map<?, ?> m) {
            ObjectNode obj = NODES.objectNode();
            m.forEach((k, v) -> obj.set(String.valueOf(k), toNode(v)));
            return obj;
        }
        if (o instanceof List<?> l) {
            ArrayNode a = NODES.arrayNode();
            l.forEach(v -> a.add(toNode(v)));
            return a;
        }
        if (o instanceof JsonNode n) {
            return n;
        }
        return NODES.stringNode(String.valueOf(o));
    }

    static LocalDate parseDate(String text, List<DateTimeFormatter> formats) {
        for (DateTimeFormatter f : formats) {
            try {
                return f.parse(text.strip(), LocalDate::from);
            } catch (DateTimeParseException e) {
                // next format
            }
        }
        return null;
    }

    static Boolean parseBoolean(String s) {
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "oui", "o", "yes", "y", "true", "vrai", "1", "x" -> Boolean.TRUE;
            case "non", "n", "no", "false", "faux", "0" -> Boolean.FALSE;
            default -> null;
        };
    }

    static List<String> segments(String pointer) {
        List<String> out = new ArrayList<>();
        for (String s : pointer.substring(1).split("/", -1)) {
            out.add(s.replace("~1", "/").replace("~0", "~"));
        }
        return out;
    }

    private static boolean isIndex(String s) {
        return s.equals("-") || s.matches("[0-9]+");
    }

    /**
     * Puts value at the pointer, creating objects and arrays on the way; an identifier field's value is appended as
     * {@code {scheme, value}}, with {@code issuer} when not null.
     */
    static void place(ObjectNode root, String pointer, JsonNode value, FieldMapping field, String issuer) {
        List<String> segs = segments(pointer);
        JsonNode parent = root;
        for (int i = 0; i < segs.size() - 1; i++) {
            String seg = segs.get(i);
            boolean nextIsIndex = isIndex(segs.get(i + 1));
            parent = child(parent, seg, nextIsIndex);
        }
        String last = segs.get(segs.size() - 1);
        if (field != null && field.identifierScheme() != null) {
            ArrayNode ids = (ArrayNode) child(parent, last, true);
            ObjectNode id = ids.addObject();
            id.put("scheme", field.identifierScheme());
            id.set("value", value);
            if (issuer != null) {
                id.put("issuer", issuer);
            }
            return;
        }
        if (parent instanceof ObjectNode obj) {
            JsonNode existing = obj.get(last);
            if (field != null && field.joinWith() != null && existing != null && existing.isString() && value.isString()) {
                obj.put(last, existing.asString() + field.joinWith() + value.asString());
            } else {
                obj.set(last, value);
            }
        } else {
            ArrayNode arr = (ArrayNode) parent;
            if (last.equals("-") || Integer.parseInt(last) >= arr.size()) {
                arr.add(value);
            } else {
                arr.set(Integer.parseInt(last), value);
            }
        }
    }

    private static JsonNode child(JsonNode parent, String seg, boolean array) {
        if (parent instanceof ObjectNode obj) {
            JsonNode c = obj.get(seg);
            if (c == null || c.isNull()) {
                return array ? obj.putArray(seg) : obj.putObject(seg);
            }
            return c;
        }
        ArrayNode arr = (ArrayNode) parent;
        if (seg.equals("-") || Integer.parseInt(seg) >= arr.size()) {
            return array ? arr.addArray() : arr.addObject();
        }
        return arr.get(Integer.parseInt(seg));
    }

    /** The node at the pointer or null (missing or JSON null). */
    static JsonNode at(JsonNode root, String pointer) {
        JsonNode n = root.at(pointer.replace("/-", "/0"));
        return n.isMissingNode() || n.isNull() ? null : n;
    }
}
