package fr.spie.gateway.observability;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A parsed {@code /actuator/prometheus} answer: sample lines by name and labels. */
public final class PrometheusScrape {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final java.util.List<Sample> samples = new java.util.ArrayList<>();

    public PrometheusScrape(String text) {
        for (String line : text.split("\\R")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line.strip());
            if (!m.matches()) {
                throw new AssertionError("not a Prometheus sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
        }
    }

    /** Sum of the samples of that name whose labels include {@code labels} ("k=v" pairs); 0 if none. */
    public double sum(String name, String... labels) {
        return samples.stream().filter(s -> s.name().equals(name) && matches(s, labels))
                .mapToDouble(Sample::value).sum();
    }

    /** Whether a sample of that name with these labels exists. */
    public boolean has(String name, String... labels) {
        return samples.stream().anyMatch(s -> s.name().equals(name) && matches(s, labels));
    }

    public java.util.List<Sample> all(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    private static boolean matches(Sample s, String... labels) {
        for (String kv : labels) {
            int eq = kv.indexOf('=');
            if (!kv.substring(eq + 1).equals(s.labels().get(kv.substring(0, eq)))) {
                return false;
            }
        }
        return true;
    }
}
