package fr.spie.gateway.observability;

import fr.spie.gateway.SpieProperties;
import fr.spie.gateway.audit.LedgerTsa;
import fr.spie.gateway.messaging.MessagingConfiguration.EmbeddedBrokerHandle;
import fr.spie.gateway.routing.RoutingConfigHolder;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Optional;
import java.util.OptionalLong;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Health indicators {@code broker} and {@code tsa} (the {@code db} one is Spring Boot's, {@code ledger} is in
 * {@link fr.spie.gateway.audit.LedgerConfiguration}) and the broker and file meters. See docs/operations.md.
 */
@Configuration(proxyBeanMethods = false)
public class ObservabilityConfiguration {

    @Bean
    HealthIndicator brokerHealthIndicator(EmbeddedBrokerHandle broker, SpieProperties properties) {
        return new BrokerHealthIndicator(broker.broker(), properties);
    }

    @Bean
    HealthIndicator tsaHealthIndicator(LedgerTsa tsa) {
        return new TsaHealthIndicator(tsa);
    }

    /** Embedded broker: its management view. External broker: unknown (NaN) until an implementation is plugged in. */
    @Bean
    QueueDepths queueDepths(EmbeddedBrokerHandle broker) {
        return broker.broker() != null ? new EmbeddedQueueDepths(broker.broker()) : queue -> OptionalLong.empty();
    }

    @Bean
    QueueMetrics queueMetrics(QueueDepths depths, RoutingConfigHolder config, JdbcTemplate jdbc) {
        return new QueueMetrics(depths, config, jdbc);
    }

    @Bean
    LostDeliveryTasks lostDeliveryTasks(QueueDepths depths, RoutingConfigHolder config, JdbcTemplate jdbc) {
        return new LostDeliveryTasks(depths, config, jdbc);
    }

    @Bean
    FileMetrics fileMetrics(JdbcTemplate jdbc) {
        return new FileMetrics(jdbc);
    }

    /** The embedded database's file size, when the database is an H2 file; nothing on PostgreSQL. */
    @Bean
    MeterBinder embeddedDatabaseFileMetrics(Environment environment) {
        Optional<EmbeddedDatabaseFileMetrics> metrics =
                EmbeddedDatabaseFileMetrics.of(environment.getProperty("spring.datasource.url"));
        return registry -> metrics.ifPresent(m -> m.bindTo(registry));
    }
}
