package fr.spie.gateway.admin;

import fr.spie.gateway.audit.AuditEvent;
import fr.spie.gateway.audit.AuditEventType;
import fr.spie.gateway.audit.AuditTrail;
import fr.spie.gateway.config.GatewayConfig;
import fr.spie.gateway.routing.RoutingConfigHolder;
import java.util.List;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Puts each start of the gateway on the record: {@code CONFIG_LOADED}, with the version of the configuration it
 * starts with, its size, and how that version compares with the one the trail's latest event was recorded under. The
 * version covers the values of the files' placeholders, so a restart with other variables changes the rules without
 * any {@code CONFIG_RELOADED}: this event is where an auditor sees that change, and when it took effect.
 */
@Component
public class ConfigLoadedAtStart {
    private final RoutingConfigHolder config;
    private final AuditTrail audit;
    private final JdbcTemplate jdbc;

    public ConfigLoadedAtStart(RoutingConfigHolder config, AuditTrail audit, JdbcTemplate jdbc) {
        this.config = config;
        this.audit = audit;
        this.jdbc = jdbc;
    }

    /** Once the application is started, before it is ready (start-up tasks then run under this event's version). */
    @EventListener(ApplicationStartedEvent.class)
    public void record() {
        GatewayConfig current = config.current();
        audit.append(AuditEvent.of(AuditEventType.CONFIG_LOADED, null, "gateway")
                .withConfigVersion(current.version())
                .withDetail("gateway started with this configuration: " + current.partners().size() + " partners, "
                        + current.routes().size() + " routes; " + comparedWith(previous(), current.version())));
    }

    /** The config version of the trail's latest event that has one, or null for a new trail. */
    private String previous() {
        List<String> latest = jdbc.queryForList("SELECT config_version FROM audit_event WHERE config_version IS NOT "
                + "NULL ORDER BY seq DESC FETCH FIRST 1 ROWS ONLY", String.class);
        return latest.isEmpty() || latest.get(0) == null ? null : latest.get(0).trim();
    }

    static String comparedWith(String previous, String version) {
        if (previous == null) {
            return "first configuration of this audit trail";
        }
        return previous.equals(version) ? "the same as the latest event's"
                : "the latest event was recorded under " + previous + ": the configuration changed";
    }
}
