package fr.spie.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.config.GatewayConfigLoader;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Minimisation, whatever the record and the allow-list: nothing outside the allow-list reaches a recipient. */
class PayloadProjectionPropertyTest {
    private static final List<String> NAMES = List.of("a", "b", "c", "needs", "date", "0", "x~y", "p/q");

    @Property(tries = 500)
    void noFieldOutsideTheAllowListIsReleased(@ForAll("payloads") JsonNode payload,
                                              @ForAll("allowLists") List<String> allowList) {
        JsonNode released = new PayloadProjection(allowList).project(payload);
        List<String> allowed = allowList.stream().map(GatewayConfigLoader::normalisePointer).toList();
        for (String leaf : PayloadProjection.leafPaths(released)) {
            if (leaf.isEmpty()) {
                continue; // the (empty) payload object itself
            }
            assertThat(allowed).as("released %s of %s with %s", leaf, payload, allowList)
                    .anyMatch(a -> !a.isEmpty() && (leaf.equals(a) || leaf.startsWith(a + "/")));
        }
    }

    @Property(tries = 500)
    void everyAllowedLeafIsReleasedWithItsValue(@ForAll("payloads") JsonNode payload,
                                                @ForAll("allowLists") List<String> allowList) {
        JsonNode released = new PayloadProjection(allowList).project(payload);
        List<String> allowed = allowList.stream().map(GatewayConfigLoader::normalisePointer)
                .filter(a -> !a.isEmpty()).toList();
        List<String> releasedLeaves = PayloadProjection.leafPaths(released);
        for (String leaf : PayloadProjection.leafPaths(payload)) {
            boolean isAllowed = allowed.stream().anyMatch(a -> leaf.equals(a) || leaf.startsWith(a + "/"));
            if (isAllowed) {
                assertThat(releasedLeaves).as("allowed leaf %s of %s with %s", leaf, payload, allowList)
                        .contains(leaf);
            }
        }
    }

    @Provide
    Arbitrary<List<String>> allowLists() {
        Arbitrary<String> segment = Arbitraries.of(NAMES).map(n -> n.replace("~", "~0").replace("/", "~1"));
        Arbitrary<String> pointer = segment.list().ofMinSize(1).ofMaxSize(3).map(s -> "/" + String.join("/", s));
        return pointer.list().ofMaxSize(4);
    }

    @Provide
    Arbitrary<JsonNode> payloads() {
        return object(3);
    }

    private Arbitrary<JsonNode> value(int depth) {
        Arbitrary<JsonNode> scalar = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(5).map(s -> (JsonNode) JsonNodeFactory.instance.stringNode(s)),
                Arbitraries.integers().map(i -> (JsonNode) JsonNodeFactory.instance.numberNode(i)),
                Arbitraries.of(true, false).map(b -> (JsonNode) JsonNodeFactory.instance.booleanNode(b)),
                Arbitraries.just(JsonNodeFactory.instance.nullNode()));
        if (depth == 0) {
            return scalar;
        }
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, scalar),
                net.jqwik.api.Tuple.of(2, Arbitraries.lazy(() -> object(depth - 1))),
                net.jqwik.api.Tuple.of(1, Arbitraries.lazy(() -> array(depth - 1))));
    }

    private Arbitrary<JsonNode> object(int depth) {
        return Arbitraries.maps(Arbitraries.of(NAMES), value(depth)).ofMaxSize(5).map(m -> {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            m.forEach(o::set);
            return o;
        });
    }

    private Arbitrary<JsonNode> array(int depth) {
        return value(depth).list().ofMaxSize(3).map(l -> {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            l.forEach(a::add);
            return a;
        });
    }
}
