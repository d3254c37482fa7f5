package fr.spie.gateway.lifecycle;

import fr.spie.gateway.ledger.GatewayKeys;
import fr.spie.gateway.ledger.db.LedgerDb;
import fr.spie.gateway.ledger.db.LedgerWriter;
import fr.spie.gateway.web.CorrelationIdFilter;
import fr.spie.gateway.web.ProblemWriter;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Start-up checks, graceful shutdown (intake first) and the request filters that run before security: correlation id, intake gate. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ShutdownSettings.class, StartupSettings.class})
public class LifecycleConfiguration {

    /**
     * Flyway validates before migrating and, by default, ignores migrations applied to the database that this gateway
     * does not know ("future", i.e. a database written by a newer version). Here nothing is ignored: a downgrade is
     * refused like a changed migration ({@link StartupFailureAnalyzer} explains it).
     */
    @Bean
    FlywayConfigurationCustomizer refuseUnknownMigrations() {
        return configuration -> configuration.ignoreMigrationPatterns(new String[0]);
    }

    /** Verifies the ledger once the schema is migrated, before any lifecycle (web server, writer) starts. */
    @Bean(initMethod = "verify")
    LedgerStartupCheck ledgerStartupCheck(LedgerWriter writer, LedgerDb db, GatewayKeys keys,
                                          StartupSettings settings) {
        return new LedgerStartupCheck(writer, db, keys.publicKey(), settings.ledgerTailEntries());
    }

    @Bean
    IntakeGate intakeGate(ShutdownSettings settings, ProblemWriter problems, ApplicationContext context) {
        return new IntakeGate(settings, problems, context);
    }

    @Bean
    FilterRegistrationBean<IntakeGate> intakeGateRegistration(IntakeGate gate) {
        FilterRegistrationBean<IntakeGate> registration = new FilterRegistrationBean<>(gate);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Bean
    FilterRegistrationBean<CorrelationIdFilter> correlationIdFilter() {
        FilterRegistrationBean<CorrelationIdFilter> registration = new FilterRegistrationBean<>(
                new CorrelationIdFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
