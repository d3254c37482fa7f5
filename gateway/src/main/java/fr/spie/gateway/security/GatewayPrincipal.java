package fr.spie.gateway.security;

/**
 * Who is calling, as established by a credential.
 *
 * @param id   partner id or operator name
 * @param role PARTNER, ADMIN or AUDITOR
 */
public record GatewayPrincipal(String id, Role role) {
    public enum Role { PARTNER, ADMIN, AUDITOR }

    public boolean isPartner(String partnerId) {
        return role == Role.PARTNER && id.equals(partnerId);
    }
}
