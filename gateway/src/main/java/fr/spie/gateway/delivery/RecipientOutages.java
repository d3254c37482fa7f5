package fr.spie.gateway.delivery;

import fr.spie.gateway.config.Delivery;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The circuit breakers of this instance's delivery routes, one per recipient, and their gauge
 * {@code spie.recipient.down{recipient}}: 1 while the recipient counts as down (its backlog waits, one probe every
 * {@code probeEvery}), 0 otherwise. Recipients are those of the configuration: a bounded set of tag values.
 */
@Component
public class RecipientOutages implements MeterBinder {
    private final Map<String, RecipientBreaker> breakers = new ConcurrentHashMap<>();
    private final Map<String, Boolean> measured = new ConcurrentHashMap<>();
    private volatile MeterRegistry registry;

    /** A new breaker for the recipient's delivery route, measured from now on. */
    public RecipientBreaker breakerFor(String recipient, Delivery.Outage outage) {
        RecipientBreaker breaker = new RecipientBreaker(recipient, outage, Clock.systemUTC());
        breakers.put(recipient, breaker);
        MeterRegistry r = registry;
        if (r != null) {
            measure(r, recipient);
        }
        return breaker;
    }

    @Override
    public void bindTo(MeterRegistry meterRegistry) {
        registry = meterRegistry;
        breakers.keySet().forEach(recipient -> measure(meterRegistry, recipient));
    }

    private void measure(MeterRegistry r, String recipient) {
        if (measured.putIfAbsent(recipient, Boolean.TRUE) == null) {
            Gauge.builder("spie.recipient.down", breakers, b -> {
                        RecipientBreaker breaker = b.get(recipient);
                        return breaker != null && breaker.open() ? 1 : 0;
                    })
                    .description("1 while the recipient counts as down (circuit breaker open), 0 otherwise")
                    .tag("recipient", recipient)
                    .register(r);
        }
    }
}
