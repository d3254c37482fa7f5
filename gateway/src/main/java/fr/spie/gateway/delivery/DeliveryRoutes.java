package fr.spie.gateway.delivery;

import fr.spie.gateway.SpieProperties;
import fr.spie.gateway.config.Delivery;
import fr.spie.gateway.config.GatewayConfig;
import fr.spie.gateway.config.Partner;
import fr.spie.gateway.config.Route;
import fr.spie.gateway.messaging.DeliveryQueues;
import fr.spie.gateway.outbound.OutboundTransport;
import fr.spie.gateway.outbound.OutboundTransports;
import fr.spie.gateway.routing.ReleaseGate;
import fr.spie.gateway.routing.RoutingConfigHolder;
import fr.spie.gateway.store.StorageFailures;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.springframework.stereotype.Component;

/**
 * One Camel route per recipient: consumes the recipient's durable queue (a task is acknowledged only once its
 * outcome is recorded: a crash or an infrastructure failure returns it to the queue, and a task delivered twice is
 * dropped by the consumer because the database says it is done), delivers with the recipient's transport
 * ({@link OutboundTransports}), retries with exponential backoff and jitter, and after the configured attempts records
 * a dead letter in the database and acknowledges the task. The database is the only dead-letter store (admins list,
 * replay and discard dead letters there, whatever the broker and however many instances): the broker keeps no
 * dead-letter queue. Tasks of one person are consumed in order (Artemis message groups).
 */
@Component
public class DeliveryRoutes extends RouteBuilder {
    private final RoutingConfigHolder configHolder;
    private final DeliveryRecorder recorder;
    private final SpieProperties properties;
    private final OutboundTransports transports;
    private final ReleaseGate gate;
    private final RecipientOutages outages;
    /** Only these recipients (routes added at runtime by a config reload), or null for all. */
    private final Set<String> only;

    @org.springframework.beans.factory.annotation.Autowired
    public DeliveryRoutes(RoutingConfigHolder configHolder, DeliveryRecorder recorder, SpieProperties properties,
                          OutboundTransports transports, ReleaseGate gate, RecipientOutages outages) {
        this(configHolder, recorder, properties, transports, gate, outages, null);
    }

    /** The routes of some recipients only: used to add the routes of recipients a config reload introduces. */
    public DeliveryRoutes(RoutingConfigHolder configHolder, DeliveryRecorder recorder, SpieProperties properties,
                          OutboundTransports transports, ReleaseGate gate, RecipientOutages outages,
                          Set<String> only) {
        this.configHolder = configHolder;
        this.recorder = recorder;
        this.properties = properties;
        this.transports = transports;
        this.gate = gate;
        this.outages = outages;
        this.only = only;
    }

    @Override
    public void configure() {
        GatewayConfig config = configHolder.current();
        for (String recipient : recipients(config)) {
            if (only != null && !only.contains(recipient)) {
                continue;
            }
            Partner partner = config.partner(recipient).orElseThrow();
            addRecipientRoute(recipient, partner.delivery(), transports.forRecipient(partner));
        }
    }

    private void addRecipientRoute(String recipient, Delivery delivery, OutboundTransport transport) {
        String routeId = "deliver-" + recipient;
        RecipientBreaker breaker = outages.breakerFor(recipient, delivery.outage());
        RouteDefinition consumer = from("jms:queue:" + DeliveryQueues.deliveryQueue(recipient)
                + "?acknowledgementModeName=CLIENT_ACKNOWLEDGE&cacheLevelName=CACHE_CONSUMER"
                + "&concurrentConsumers=" + properties.delivery().consumersPerRecipient()
                // a task given back to its queue is logged once, by the error handler, without a second stack trace
                + "&errorHandlerLogStackTrace=false")
                .routeId(routeId)
                // anything but a delivery failure or an unusable database (gateway stopping, a defect...) rolls the
                // task back to its queue: it is neither retried here nor dead-lettered
                .errorHandler(defaultErrorHandler().maximumRedeliveries(0).allowRedeliveryWhileStopping(false)
                        .logStackTrace(false));
        // the database cannot be used (PostgreSQL down or restarting, the embedded database closed on an I/O error):
        // the consumer keeps its task and tries it again after 1 s, 2 s... up to 30 s, one WARN line each time,
        // until the database answers or the gateway stops (the task then returns to its queue). Given back to the
        // queue at once, every task of a backlog failed in turn, about once a second each, with two stack traces
        // every time: thousands of log lines a second, no rest for the database
        OnExceptionDefinition storageDown = consumer.onException(storageFailures());
        storageDown.retryWhile(camel -> camel.getContext().isStarted() && !camel.getContext().isStopping())
                .redeliveryDelay(STORAGE_RETRY_FIRST.toMillis())
                .useExponentialBackOff()
                .backOffMultiplier(2)
                .maximumRedeliveryDelay(STORAGE_RETRY_MAX.toMillis())
                .retryAttemptedLogLevel(LoggingLevel.WARN)
                .logRetryAttempted(true)
                .logRetryStackTrace(false)
                .logStackTrace(false)
                .logExhausted(false)
                .logExhaustedMessageHistory(false);
        storageDown.getRedeliveryPolicyType().allowRedeliveryWhileStopping(false);
        storageDown.end();
        OnExceptionDefinition onFailure = consumer.onException(DeliveryFailure.class);
        onFailure.retryWhile(camel -> retryable(camel, delivery, breaker))
                    .redeliveryDelay(delivery.initialBackoff().toMillis())
                    .useExponentialBackOff()
                    .backOffMultiplier(delivery.multiplier())
                    .maximumRedeliveryDelay(delivery.maxBackoff().toMillis())
                    .useCollisionAvoidance()
                    .collisionAvoidancePercent(delivery.jitter() * 100)
                    .logRetryAttempted(false)
                    .logExhausted(false)
                    .logStackTrace(false)
                    .handled(true)
                    .process(camel -> deadLetter(camel, recipient, breaker));
        // while the gateway stops, a consumer waiting to retry gives its task back at once (deadLetter sees the
        // stop and rolls it back) instead of holding the routes' shutdown until its timeout
        onFailure.getRedeliveryPolicyType().allowRedeliveryWhileStopping(false);
        ProcessorDefinition<?> route = onFailure.end();
        if (delivery.maxRatePerSecond() != null) {
            // one delivery started per interval at most: a backlog drains evenly at the configured rate
            route = route.throttle(1).totalRequestsMode().timePeriodMillis(intervalMillis(delivery.maxRatePerSecond()))
                    .end();
        }
        route.process(new DeliveryProcessor(recipient, delivery, recorder, transport, gate, breaker));
    }

    /** First and longest wait of a consumer whose database cannot be used, before it tries its task again. */
    static final Duration STORAGE_RETRY_FIRST = Duration.ofSeconds(1);
    static final Duration STORAGE_RETRY_MAX = Duration.ofSeconds(30);

    @SuppressWarnings("unchecked")
    private static Class<? extends Throwable>[] storageFailures() {
        return StorageFailures.TYPES.toArray(Class[]::new);
    }

    /** The least interval between two delivery starts for this rate. */
    static long intervalMillis(double maxRatePerSecond) {
        return Math.max(1, Math.round(1000 / maxRatePerSecond));
    }

    /**
     * Records the dead letter; while the gateway stops, the task goes back to its queue instead (the exchange is
     * marked rollback-only, so its message is not acknowledged, and after the restart it is tried again). Throwing here
     * would do the same, but Camel reports an exception thrown while handling another as an ERROR with both stack
     * traces.
     */
    private void deadLetter(Exchange camel, String recipient, RecipientBreaker breaker) {
        UUID exchangeId = UUID.fromString(camel.getIn().getHeader(DeliveryQueues.EXCHANGE_ID, String.class));
        breaker.released(exchangeId);
        if (camel.getContext().isStopping() || !camel.getContext().isStarted()) {
            log.info("exchange {} to {}: not dead-lettered while the gateway stops; the task returns to its queue",
                    exchangeId, recipient);
            camel.setRollbackOnly(true);
            return;
        }
        Exception cause = camel.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = cause == null ? "unknown failure" : cause.getMessage();
        recorder.deadLettered(exchangeId, recipient, reason,
                camel.getProperty(DeliveryProcessor.RELEASED_UNDER, String.class));
    }

    /**
     * Retry while the failure is temporary and attempts remain (counted in the database, so restarts keep count);
     * while the recipient counts as down, wait for the next probe whatever the attempts (probes are not counted).
     */
    private static boolean retryable(Exchange camel, Delivery delivery, RecipientBreaker breaker) {
        Exception cause = camel.getException() != null ? camel.getException()
                : camel.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (cause instanceof DeliveryFailure failure && !failure.retryable()) {
            return false;
        }
        camel.getIn().removeHeader(Exchange.REDELIVERY_DELAY);
        if (breaker.open()) {
            // a record that waited for its turn tries again when the next probe is due; the one that just failed
            // (its probe, or the attempt that found the recipient down) after probeEvery: after the waiting ones
            long delay = cause instanceof RecipientPaused
                    ? Math.max(1, breaker.untilNextProbe().toMillis())
                    : delivery.outage().probeEvery().toMillis();
            camel.getIn().setHeader(Exchange.REDELIVERY_DELAY, delay);
            return true;
        }
        Integer attempts = camel.getProperty(DeliveryProcessor.ATTEMPTS, Integer.class);
        boolean retry = attempts == null || attempts < delivery.maxAttempts();
        // Retry-After: the next delay is at least what the recipient asked for (read by Camel's redelivery)
        if (retry && cause instanceof DeliveryFailure failure && failure.retryAfter().isPresent()) {
            camel.getIn().setHeader(Exchange.REDELIVERY_DELAY,
                    delayAtLeast(failure.retryAfter().get(), attempts == null ? 1 : attempts, delivery));
        }
        return retry;
    }

    /** Longest Retry-After honoured: a longer one would hold a consumer of the recipient's queue for that long. */
    static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(15);

    /** The configured backoff after this attempt, or the Retry-After (up to 15 minutes) when it is longer. */
    static long delayAtLeast(Duration retryAfter, int attempts, Delivery delivery) {
        double backoff = delivery.initialBackoff().toMillis()
                * Math.pow(delivery.multiplier(), Math.max(0, attempts - 1));
        long configured = (long) Math.min(backoff, delivery.maxBackoff().toMillis());
        // compared as durations: a Retry-After of billions of years has no millisecond count
        long asked = retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER.toMillis() : retryAfter.toMillis();
        return Math.max(configured, asked);
    }

    /** Every partner that some route delivers to. */
    public static Set<String> recipients(GatewayConfig config) {
        Set<String> recipients = new LinkedHashSet<>();
        for (Route route : config.routes()) {
            recipients.addAll(route.to());
        }
        return recipients;
    }
}
