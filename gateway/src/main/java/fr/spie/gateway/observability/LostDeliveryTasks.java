package fr.spie.gateway.observability;

import fr.spie.gateway.delivery.DeliveryRoutes;
import fr.spie.gateway.messaging.DeliveryQueues;
import fr.spie.gateway.routing.RoutingConfigHolder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Finds, at start-up, the recipients whose broker queue holds fewer tasks than the database has deliveries pending and
 * marked queued: tasks the broker lost (a database restored without the broker's journal, a journal lost), which
 * nothing would ever deliver. Says so in one WARN line per recipient, with the command that queues them again
 * (docs/operations.md, "Backup and restore"). Without false alarms while deliveries run: a delivery is recorded before
 * its task is acknowledged, and a task is sent before its delivery is marked queued, so the queue never counts fewer
 * than the database unless tasks were lost. Only where the queue's depth is known (the embedded broker).
 */
public final class LostDeliveryTasks {
    private static final Logger log = LoggerFactory.getLogger(LostDeliveryTasks.class);

    private final QueueDepths depths;
    private final RoutingConfigHolder config;
    private final JdbcTemplate jdbc;

    public LostDeliveryTasks(QueueDepths depths, RoutingConfigHolder config, JdbcTemplate jdbc) {
        this.depths = depths;
        this.config = config;
        this.jdbc = jdbc;
    }

    /** Per recipient, how many more deliveries the database says are queued than its queue holds (none when 0). */
    public Map<String, Long> find() {
        Map<String, Long> missing = new LinkedHashMap<>();
        for (String recipient : DeliveryRoutes.recipients(config.current())) {
            OptionalLong depth = depths.depth(DeliveryQueues.deliveryQueue(recipient));
            if (depth.isEmpty()) {
                continue;
            }
            Long queued = jdbc.queryForObject("SELECT COUNT(*) FROM delivery WHERE recipient = ? "
                    + "AND status = 'PENDING' AND enqueued = TRUE", Long.class, recipient);
            long lost = (queued == null ? 0 : queued) - depth.getAsLong();
            if (lost > 0) {
                missing.put(recipient, lost);
            }
        }
        return missing;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void warnAtStart() {
        try {
            find().forEach((recipient, lost) -> log.warn("the queue of {} holds {} task(s) fewer than the database has "
                    + "deliveries pending on it: the broker lost them (a database restored without the broker's "
                    + "journal?) and nothing would deliver them; queue them again with 'spie-gateway deliveries "
                    + "requeue --recipient {} --reason ...' (docs/operations.md, Backup and restore)", recipient, lost,
                    recipient));
        } catch (RuntimeException e) {
            log.warn("could not compare the delivery queues with the database at start-up: {}", e.toString());
        }
    }
}
