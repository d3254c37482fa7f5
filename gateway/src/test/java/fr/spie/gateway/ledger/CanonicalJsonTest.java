package fr.spie.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

    @Test
    void sortsKeysRecursivelyWithoutWhitespace() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("z", 1);
        inner.put("a", List.of(true, false));
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "DELIVERY");
        event.put("at", 1767225600000L);
        event.put("detail", inner);
        event.put("nothing", null);
        assertThat(new String(CanonicalJson.toBytes(event), StandardCharsets.UTF_8))
                .isEqualTo("{\"at\":1767225600000,\"detail\":{\"a\":[true,false],\"z\":1},\"nothing\":null,\"type\":\"DELIVERY\"}");
    }

    @Test
    void sortsByUtf16CodeUnitsAsInRfc8785Example() {
        Map<String, Object> m = new HashMap<>();
        m.put("\u20ac", "Euro Sign");
        m.put("\r", "Carriage Return");
        m.put("\ufb33", "Hebrew Letter Dalet With Dagesh");
        m.put("1", "One");
        m.put("\ud83d\ude00", "Emoji: Grinning Face");
        m.put("\u0080", "Control");
        m.put("\u00f6", "Latin Small Letter O With Diaeresis");
        String json = CanonicalJson.toString(m);
        List<String> order = List.of("\\r", "1", "\u0080", "\u00f6", "\u20ac", "\ud83d\ude00", "\ufb33");
        int last = -1;
        for (String key : order) {
            int at = json.indexOf("\"" + key + "\":");
            assertThat(at).as("key %s", key).isGreaterThan(last);
            last = at;
        }
    }

    @Test
    void escapesMinimally() {
        String s = "quote\" backslash\\ tab\t nl\n cr\r bs\b ff\f nul\u0000 us\u001f del\u007f é € 😀 / \u2028";
        assertThat(CanonicalJson.toString(s)).isEqualTo(
                "\"quote\\\" backslash\\\\ tab\\t nl\\n cr\\r bs\\b ff\\f nul\\u0000 us\\u001f del\u007f é € 😀 / \u2028\"");
        assertThat(CanonicalJson.toBytes(Map.of("k", "é"))).isEqualTo("{\"k\":\"é\"}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void escapesAfterAPlainPrefixAndKeepsValidSurrogatePairs() {
        assertThat(CanonicalJson.toString("digest-0123\"x\\y\nz")).isEqualTo("\"digest-0123\\\"x\\\\y\\nz\"");
        assertThat(CanonicalJson.toString("plain text, no escape")).isEqualTo("\"plain text, no escape\"");
        assertThat(CanonicalJson.toString("emoji \ud83d\ude00 ok")).isEqualTo("\"emoji \ud83d\ude00 ok\"");
        assertThat(CanonicalJson.toString("ctl\u0001")).isEqualTo("\"ctl\\u0001\"");
        assertThatThrownBy(() -> CanonicalJson.toString("prefix\ud83d")).hasMessageContaining("surrogate at index 6");
    }

    @Test
    void integersArePlainAndBoundedToSafeRange() {
        assertThat(CanonicalJson.toString(List.of(0, -7, 9007199254740991L, (short) 3, (byte) -1)))
                .isEqualTo("[0,-7,9007199254740991,3,-1]");
        assertThatThrownBy(() -> CanonicalJson.toString(9007199254740992L)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsFloatsUnsupportedTypesLoneSurrogatesAndNonStringKeys() {
        assertThatThrownBy(() -> CanonicalJson.toString(1.5)).hasMessageContaining("only integers");
        assertThatThrownBy(() -> CanonicalJson.toString(1.0f)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.toString(BigDecimal.ONE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.toString(new Object())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.toString("a\ud800b")).hasMessageContaining("surrogate");
        assertThatThrownBy(() -> CanonicalJson.toString("\udc00")).hasMessageContaining("surrogate");
        assertThatThrownBy(() -> CanonicalJson.toString(Map.of(1, "x"))).hasMessageContaining("key");
    }

    @Test
    void rejectsExcessiveNesting() {
        Object deep = "leaf";
        for (int i = 0; i < CanonicalJson.MAX_DEPTH + 1; i++) {
            deep = List.of(deep);
        }
        Object tooDeep = deep;
        assertThatThrownBy(() -> CanonicalJson.toString(tooDeep)).hasMessageContaining("nesting");
    }

    @Test
    void equalMapsInDifferentInsertionOrderGiveIdenticalBytes() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("b", 2);
        a.put("a", 1);
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("a", 1);
        b.put("b", 2);
        assertThat(Arrays.equals(CanonicalJson.toBytes(a), CanonicalJson.toBytes(b))).isTrue();
    }
}
