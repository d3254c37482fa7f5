package fr.spie.gateway.routing;

import fr.spie.gateway.config.GatewayConfig;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/** The routing configuration in force. Readers take one snapshot per decision; a new snapshot is swapped in whole. */
public class RoutingConfigHolder {
    private final AtomicReference<GatewayConfig> current;

    public RoutingConfigHolder(GatewayConfig initial) {
        this.current = new AtomicReference<>(Objects.requireNonNull(initial));
    }

    public GatewayConfig current() {
        return current.get();
    }

    public void replace(GatewayConfig next) {
        current.set(Objects.requireNonNull(next));
    }
}
