package fr.spie.gateway.config;

/** How a partner proves who it is ({@code partners[].auth.methods}). */
public enum AuthMethod {
    /** {@code Authorization: Bearer <token>}, checked against {@code auth.tokenSha256}. */
    TOKEN("token"),
    /** A TLS client certificate verified by the gateway's TLS connector, matched by {@code auth.certificate}. */
    MTLS("mtls");

    private final String configName;

    AuthMethod(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static AuthMethod fromConfigName(String name) {
        for (AuthMethod method : values()) {
            if (method.configName.equals(name)) {
                return method;
            }
        }
        throw new IllegalArgumentException("unknown authentication method '" + name + "' (token or mtls)");
    }
}
