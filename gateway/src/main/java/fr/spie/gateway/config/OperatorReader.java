package fr.spie.gateway.config;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static fr.spie.gateway.config.GatewayConfigLoader.text;

/** Reads the operators of {@code access.yaml}: unique names, roles and token hashes. */
final class OperatorReader {
    private final CheckedDocument doc;
    private final TokenHashReader tokens;

    /** @param doc access.yaml, null when absent or unreadable */
    OperatorReader(CheckedDocument doc, TokenHashReader tokens) {
        this.doc = doc;
        this.tokens = tokens;
    }

    List<Operator> operators() {
        List<Operator> operators = new ArrayList<>();
        JsonNode list = doc == null ? null : doc.root().get("operators");
        if (list == null || !list.isArray()) {
            return operators;
        }
        DuplicateCheck names = new DuplicateCheck(doc, "operator name");
        for (int i = 0; i < list.size(); i++) {
            JsonNode node = list.get(i);
            String at = YamlDocument.child("/operators", i);
            String name = node.isObject() ? text(node, "name") : null;
            String role = node.isObject() ? text(node, "role") : null;
            if (name == null || !names.isFirst(name, at, "name")) {
                continue;
            }
            Set<String> hash = tokens.tokens(doc, node.get("tokenSha256"), at + "/tokenSha256",
                    "operator '" + name + "'");
            // an operator whose token hash is empty (the placeholder's default) is disabled
            if (role != null && !doc.flagged(at + "/role") && hash.size() == 1) {
                operators.add(new Operator(name, Operator.Role.valueOf(role.toUpperCase(Locale.ROOT)),
                        hash.iterator().next()));
            }
        }
        return operators;
    }
}
