package fr.spie.gateway.config;

import java.util.Set;

/**
 * A partner information system.
 *
 * @param id          stable identifier, lowercase kebab-case (e.g. caf-51)
 * @param kind        the kind of actor
 * @param name        human-readable name
 * @param tokenSha256 lowercase hex SHA-256 of each bearer token the partner may use (empty: no token credential)
 * @param delivery    how the gateway delivers to this partner, or null when it only sends
 * @param files       how the partner's files are read (inbox drops, uploads), or null when it sends no files
 * @param authMethods how the partner may authenticate: bearer token, TLS client certificate, or both
 * @param certificate which client certificate is the partner's, or null when it does not use mTLS
 * @param pull        how the gateway reads the partner's APIs on request, or null when it does not
 * @param personReports whether the partner may ask for a person's access report, acting for the person (e.g. at a
 *                      reception desk); false unless the configuration says so
 */
public record Partner(String id, PartnerKind kind, String name, Set<String> tokenSha256, Delivery delivery,
                      FileChannel files, Set<AuthMethod> authMethods, ClientCertificate certificate,
                      PartnerPull pull, boolean personReports) {
    public Partner {
        tokenSha256 = Set.copyOf(tokenSha256);
        authMethods = Set.copyOf(authMethods);
    }

    /** A partner that may not ask for persons' access reports. */
    public Partner(String id, PartnerKind kind, String name, Set<String> tokenSha256, Delivery delivery,
                   FileChannel files, Set<AuthMethod> authMethods, ClientCertificate certificate,
                   PartnerPull pull) {
        this(id, kind, name, tokenSha256, delivery, files, authMethods, certificate, pull, false);
    }

    /** A partner whose APIs the gateway does not read. */
    public Partner(String id, PartnerKind kind, String name, Set<String> tokenSha256, Delivery delivery,
                   FileChannel files, Set<AuthMethod> authMethods, ClientCertificate certificate) {
        this(id, kind, name, tokenSha256, delivery, files, authMethods, certificate, null);
    }

    /** A partner that authenticates with bearer tokens only. */
    public Partner(String id, PartnerKind kind, String name, Set<String> tokenSha256, Delivery delivery,
                   FileChannel files) {
        this(id, kind, name, tokenSha256, delivery, files, Set.of(AuthMethod.TOKEN), null, null);
    }

    public boolean accepts(AuthMethod method) {
        return authMethods.contains(method);
    }

    /** A partner without a file channel. */
    public Partner(String id, PartnerKind kind, String name, Set<String> tokenSha256, Delivery delivery) {
        this(id, kind, name, tokenSha256, delivery, null);
    }
}
