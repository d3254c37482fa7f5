package fr.spie.gateway.config;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the bearer token hashes ({@code tokenSha256}) of partners and operators, and checks across the files that a
 * token identifies exactly one of them.
 */
final class TokenHashReader {
    /** A SHA-256 as config files write it: 64 lowercase hex digits. */
    static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private final List<TokenUse> uses = new ArrayList<>();

    /**
     * The hashes of a {@code tokenSha256} value (one hash or a list); an empty hash (a placeholder's default) or one
     * with a problem is left out.
     *
     * @param owner who the tokens identify, as problems name it ({@code partner 'caf-51'})
     */
    Set<String> tokens(CheckedDocument doc, JsonNode node, String pointer, String owner) {
        Set<String> tokens = new LinkedHashSet<>();
        if (node == null) {
            return tokens;
        }
        if (node.isString()) {
            addToken(doc, tokens, node.asString(), pointer, owner);
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                if (node.get(i).isString()) {
                    addToken(doc, tokens, node.get(i).asString(), YamlDocument.child(pointer, i), owner);
                }
            }
        }
        return tokens;
    }

    private void addToken(CheckedDocument doc, Set<String> tokens, String hash, String pointer, String owner) {
        if (hash.isEmpty() || doc.flagged(pointer) || !SHA256_HEX.matcher(hash).matches()) {
            return;
        }
        tokens.add(hash);
        uses.add(new TokenUse(hash, new Use(owner, doc, pointer)));
    }

    /** A bearer token identifies exactly one partner or operator. */
    void checkTokensAreUnique() {
        Map<String, Use> first = new HashMap<>();
        for (TokenUse use : uses) {
            Use previous = first.putIfAbsent(use.hash(), use.use());
            if (previous != null && !previous.owner().equals(use.use().owner())) {
                YamlDocument.Position p = previous.doc().valueAt(previous.pointer());
                use.use().doc().report(use.use().pointer(), use.use().owner()
                        + ": this token hash is already used by " + previous.owner() + " ("
                        + previous.doc().file() + ":" + p.line() + "): a token must identify one partner or operator");
            } else if (previous != null) {
                use.use().doc().report(use.use().pointer(), use.use().owner() + ": token hash listed twice");
            }
        }
    }

    private record Use(String owner, CheckedDocument doc, String pointer) {
    }

    private record TokenUse(String hash, Use use) {
    }
}
