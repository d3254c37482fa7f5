package fr.spie.gateway.config;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import javax.security.auth.x500.X500Principal;
import tools.jackson.databind.JsonNode;

/**
 * Reads {@code partners[].auth.methods} and {@code partners[].auth.certificate} (the JSON Schema has checked their
 * shape), and checks that no two partners could be identified by the same certificate.
 */
final class PartnerAuthReader {

    private final YamlDocument doc;
    private final Predicate<String> flagged;
    private final BiConsumer<String, String> report;
    private final List<Declared> declared = new ArrayList<>();

    /**
     * @param flagged whether a pointer already has a schema problem
     * @param report  reports a problem (pointer, message)
     */
    PartnerAuthReader(YamlDocument doc, Predicate<String> flagged, BiConsumer<String, String> report) {
        this.doc = doc;
        this.flagged = flagged;
        this.report = report;
    }

    /** The methods, {@code token} when not given; null when invalid (already reported). */
    Set<AuthMethod> methods(JsonNode auth, String at) {
        JsonNode node = auth.get("methods");
        if (node == null) {
            return Set.of(AuthMethod.TOKEN);
        }
        if (flagged.test(at + "/methods") || !node.isArray()) {
            return null;
        }
        Set<AuthMethod> methods = EnumSet.noneOf(AuthMethod.class);
        for (JsonNode method : node) {
            try {
                methods.add(AuthMethod.fromConfigName(method.asString()));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return methods.isEmpty() ? null : methods;
    }

    /**
     * The certificate of a partner using mTLS; null when it does not use mTLS, or when invalid (then {@code valid}
     * is false and the problem reported).
     */
    Result certificate(String partnerId, JsonNode auth, String at, Set<AuthMethod> methods) {
        JsonNode node = auth.get("certificate");
        String certAt = at + "/certificate";
        boolean mtls = methods != null && methods.contains(AuthMethod.MTLS);
        if (node == null) {
            if (mtls) {
                report.accept(at, GatewayConfigLoader.readable(at) + ": methods include mtls, so 'certificate' "
                        + "(subject, issuer and/or sha256 of the partner's client certificate) is required");
                return new Result(null, false);
            }
            return new Result(null, true);
        }
        if (flagged.test(certAt) || !node.isObject()) {
            return new Result(null, false);
        }
        if (methods != null && !mtls) {
            report.accept(certAt, GatewayConfigLoader.readable(certAt) + ": a certificate is only used when "
                    + "auth.methods includes mtls (add it: methods: [mtls] or [token, mtls])");
            return new Result(null, false);
        }
        X500Principal subject = name(node, certAt + "/subject");
        X500Principal issuer = name(node, certAt + "/issuer");
        Set<String> sha256 = fingerprints(node.get("sha256"));
        boolean valid = (!node.has("subject") || subject != null) && (!node.has("issuer") || issuer != null)
                && !flagged.test(certAt + "/sha256");
        if (valid && subject == null && sha256.isEmpty()) {
            report.accept(certAt, GatewayConfigLoader.readable(certAt) + ": give the certificate's subject or its "
                    + "sha256 fingerprint (an issuer alone would accept every certificate of that CA)");
            valid = false;
        }
        if (!valid) {
            return new Result(null, false);
        }
        ClientCertificate certificate = new ClientCertificate(subject, issuer, sha256);
        for (Declared other : declared) {
            if (overlap(other.certificate(), certificate)) {
                report.accept(certAt, GatewayConfigLoader.readable(certAt) + ": the same certificate could also be "
                        + "partner '" + other.partnerId() + "''s (line " + doc.valueAt(other.pointer()).line()
                        + "): a certificate must identify one partner");
                return new Result(null, false);
            }
        }
        declared.add(new Declared(partnerId, certificate, certAt));
        return new Result(certificate, true);
    }

    /** Two selectors overlap when some certificate could match both. */
    private static boolean overlap(ClientCertificate a, ClientCertificate b) {
        boolean subjects = a.subject() == null || b.subject() == null || a.subject().equals(b.subject());
        boolean issuers = a.issuer() == null || b.issuer() == null || a.issuer().equals(b.issuer());
        boolean prints = a.sha256().isEmpty() || b.sha256().isEmpty()
                || a.sha256().stream().anyMatch(b.sha256()::contains);
        return subjects && issuers && prints;
    }

    private X500Principal name(JsonNode node, String pointer) {
        JsonNode value = node.get(pointer.substring(pointer.lastIndexOf('/') + 1));
        if (value == null || flagged.test(pointer) || !value.isString()) {
            return null;
        }
        try {
            return new X500Principal(value.asString());
        } catch (IllegalArgumentException e) {
            report.accept(pointer, GatewayConfigLoader.readable(pointer) + ": '" + value.asString()
                    + "' is not a distinguished name (RFC 4514, e.g. CN=caf-51,OU=partners,O=SPIE Gateway)");
            return null;
        }
    }

    private static Set<String> fingerprints(JsonNode node) {
        Set<String> prints = new LinkedHashSet<>();
        if (node == null) {
            return prints;
        }
        List<JsonNode> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(values::add);
        } else {
            values.add(node);
        }
        for (JsonNode value : values) {
            String hex = value.asString("").replace(":", "").toLowerCase(java.util.Locale.ROOT);
            if (TokenHashReader.SHA256_HEX.matcher(hex).matches()) {
                prints.add(hex);
            }
        }
        return prints;
    }

    record Result(ClientCertificate certificate, boolean valid) {
    }

    private record Declared(String partnerId, ClientCertificate certificate, String pointer) {
    }
}
