package fr.spie.gateway.lifecycle;

/**
 * A start-up refusal the operator can fix (a configuration directory that does not load, a data directory the
 * gateway cannot write, a key that does not open...): {@link StartupFailureAnalyzer} prints its description and
 * action instead of a stack trace, and the process exits with a non-zero status.
 */
public class StartupRefusal extends IllegalStateException {
    private final String action;

    /**
     * @param description what is wrong, naming the setting or file
     * @param action      what the operator should do about it
     */
    public StartupRefusal(String description, String action) {
        super(description);
        this.action = action;
    }

    public StartupRefusal(String description, String action, Throwable cause) {
        super(description, cause);
        this.action = action;
    }

    public String action() {
        return action;
    }
}
