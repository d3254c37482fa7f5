package fr.spie.gateway.admin;

import fr.spie.gateway.PlaceholderVariables;
import fr.spie.gateway.SpieProperties;
import fr.spie.gateway.audit.AuditEvent;
import fr.spie.gateway.audit.AuditEventType;
import fr.spie.gateway.audit.AuditTrail;
import fr.spie.gateway.config.ConfigProblem;
import fr.spie.gateway.config.GatewayConfig;
import fr.spie.gateway.config.GatewayConfigLoader;
import fr.spie.gateway.config.InvalidConfigException;
import fr.spie.gateway.routing.RoutingConfigHolder;
import fr.spie.schema.SpieSchemas;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Hot reload of the routing configuration: watches spie.config-dir (by config version, every
 * spie.config.reload-interval) and reloads on demand. A valid edit is swapped in whole
 * ({@link RoutingConfigHolder#replace}) and the delivery routes of new recipients are started; an invalid edit is
 * refused with its problems (logged, audited, shown by the admin API) and the configuration in force stays.
 */
@Component
public class ConfigReloader implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(ConfigReloader.class);

    private final RoutingConfigHolder holder;
    private final RecipientRouteRegistrar routes;
    private final AuditTrail audit;
    private final SpieProperties properties;
    private final GatewayConfigLoader loader;
    private final Duration interval;
    /** The watcher's outcome when the files changed between its last look and the load: nothing done. */
    static final String CHANGED_WHILE_READ = "changed-while-read";
    private ScheduledExecutorService watcher;
    private volatile Refused lastRefused;
    /** The version of the files at the watcher's previous look, when it differed from the one in force. */
    private String seenOnDisk;

    /** A refused reload: when, the version of the refused files, and every problem. */
    public record Refused(Instant at, String version, List<String> problems) {
    }

    /**
     * The outcome of a reload: loaded, unchanged or refused.
     *
     * @param deliverySettingsAwaitingRestart the recipients whose changed delivery settings (URL, transport, timeouts,
     *                                        retries) their running delivery route does not use before the next start
     */
    public record Outcome(String outcome, String version, List<String> problems,
                          List<String> deliverySettingsAwaitingRestart) {
        public Outcome(String outcome, String version, List<String> problems) {
            this(outcome, version, problems, List.of());
        }
    }

    public ConfigReloader(RoutingConfigHolder holder, RecipientRouteRegistrar routes, AuditTrail audit,
                          SpieProperties properties, SpieSchemas schemas, Environment env,
                          @Value("${spie.config.reload-interval:5s}") Duration interval) {
        this.holder = holder;
        this.routes = routes;
        this.audit = audit;
        this.properties = properties;
        this.loader = new GatewayConfigLoader(schemas.recordTypes(), PlaceholderVariables.of(env),
                schemas::definesPointer);
        this.interval = interval;
    }

    @EventListener(ApplicationReadyEvent.class)
    public synchronized void start() {
        if (watcher != null || interval.isZero() || interval.isNegative()) {
            return;
        }
        watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "spie-config-watcher");
            t.setDaemon(true);
            return t;
        });
        watcher.scheduleWithFixedDelay(this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * One look at the files: reloads when they differ from the configuration in force (and from the last refused
     * files) and stayed the same since the previous look, so that a file being written is not loaded half-way. The
     * load reads the files again: it loads (or refuses) them only when they are still those of the two looks.
     */
    void poll() {
        try {
            String onDisk = loader.versionOf(properties.configPath());
            Refused refused = lastRefused;
            if (onDisk.equals(holder.current().version()) || refused != null && onDisk.equals(refused.version())) {
                seenOnDisk = null;
            } else if (!onDisk.equals(seenOnDisk)) {
                seenOnDisk = onDisk;
            } else {
                Outcome outcome = reload("watcher", onDisk);
                // the files changed after this look: what the load read counts as a new look
                seenOnDisk = CHANGED_WHILE_READ.equals(outcome.outcome()) ? outcome.version() : null;
            }
        } catch (RuntimeException e) {
            log.warn("config watcher: {}", e.toString());
        }
    }

    /**
     * Loads the directory now; swaps it in when valid and different from the configuration in force. Refused, and
     * the configuration in force stays, when the files have problems or the delivery routes of new recipients cannot
     * start.
     */
    public synchronized Outcome reload(String actor) {
        return reload(actor, null);
    }

    /**
     * @param stable the version of the files the watcher saw stay the same between two looks, or null (a reload asked
     *               for): when the files read are no longer those, nothing is loaded nor refused, and the outcome is
     *               {@value #CHANGED_WHILE_READ} with the version read (a file written meanwhile, maybe half-way)
     */
    private synchronized Outcome reload(String actor, String stable) {
        GatewayConfig current = holder.current();
        GatewayConfig next;
        try {
            next = loader.load(properties.configPath());
        } catch (InvalidConfigException e) {
            if (stable != null && !stable.equals(e.version())) {
                return new Outcome(CHANGED_WHILE_READ, e.version(), List.of());
            }
            return refuse(actor, current, e.version(), e.problems().stream().map(ConfigProblem::toString).toList());
        }
        if (stable != null && !stable.equals(next.version())) {
            return new Outcome(CHANGED_WHILE_READ, next.version(), List.of());
        }
        if (next.version().equals(current.version())) {
            return new Outcome("unchanged", current.version(), List.of());
        }
        try {
            routes.addRoutesForNewRecipients(next);
        } catch (RuntimeException e) {
            return refuse(actor, current, next.version(),
                    List.of(e.getMessage() == null ? e.toString() : e.getMessage()));
        }
        holder.replace(next);
        List<String> awaitingRestart = routes.deliverySettingsAwaitingRestart(next);
        log.info("routing configuration reloaded: version {} -> {} ({} partners, {} routes)",
                current.version().substring(0, 12), next.version().substring(0, 12), next.partners().size(),
                next.routes().size());
        String restartNote = "";
        if (!awaitingRestart.isEmpty()) {
            restartNote = "; delivery settings changed, in force at the next start: " + awaitingRestart;
            log.warn("the delivery settings of {} changed: their delivery routes keep the settings they started with "
                    + "until the gateway restarts", awaitingRestart);
        }
        audit.append(AuditEvent.of(AuditEventType.CONFIG_RELOADED, null, actor).withConfigVersion(next.version())
                .withDetail("replaces " + current.version() + "; " + next.partners().size() + " partners, "
                        + next.routes().size() + " routes" + restartNote));
        return new Outcome("loaded", next.version(), List.of(), awaitingRestart);
    }

    /**
     * Records, logs and audits a refused reload: the configuration in force stays.
     *
     * @param read the version of the files the reload read (not of those on disk now: they may have been saved
     *             again meanwhile), null when none could be read
     */
    private Outcome refuse(String actor, GatewayConfig current, String read, List<String> problems) {
        String version = read == null ? "unreadable" : read;
        lastRefused = new Refused(Instant.now(), version, problems);
        log.warn("configuration reload refused ({} problem(s)); version {} stays in force:\n  {}", problems.size(),
                current.version().substring(0, 12), String.join("\n  ", problems));
        audit.append(AuditEvent.of(AuditEventType.CONFIG_RELOAD_REFUSED, null, actor)
                .withConfigVersion(current.version())
                .withDetail("refused files " + version.substring(0, Math.min(12, version.length())) + ": "
                        + String.join("; ", problems)));
        return new Outcome("refused", version, problems);
    }

    public Refused lastRefused() {
        return lastRefused;
    }

    @Override
    public synchronized void destroy() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
    }
}
