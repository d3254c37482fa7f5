package fr.spie.gateway.config;

/**
 * A person or system that administers or audits the gateway.
 *
 * @param name        who (for the audit trail)
 * @param role        ADMIN or AUDITOR
 * @param tokenSha256 lowercase hex SHA-256 of the operator's bearer token
 */
public record Operator(String name, Role role, String tokenSha256) {
    public enum Role { ADMIN, AUDITOR }
}
