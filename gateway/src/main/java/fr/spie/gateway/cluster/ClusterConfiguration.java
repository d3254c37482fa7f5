package fr.spie.gateway.cluster;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Several gateway instances on one PostgreSQL database: the {@link LeaderElection} that decides which one runs the
 * singleton tasks ({@link LeaderElection.LeaderTask} beans, in their {@code @Order}). Settings
 * {@code spie.cluster.*}, see config/README.md and docs/operations.md; and the {@link InstanceId} that names this
 * instance (the holder of its file leases).
 */
@Configuration(proxyBeanMethods = false)
public class ClusterConfiguration {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ClusterConfiguration.class);

    /** This instance's name among those sharing the database ({@code spie.cluster.instance-id}). */
    @Bean
    InstanceId instanceId(@Value("${spie.cluster.instance-id:}") String configured) {
        InstanceId id = InstanceId.configuredOr(configured);
        log.info("This gateway instance is '{}' (spie.cluster.instance-id{})", id,
                configured == null || configured.isBlank() ? ", not set: host name and a random suffix" : "");
        return id;
    }

    @Bean(destroyMethod = "")
    LeaderElection leaderElection(DataSource dataSource,
                                  @Value("${spie.cluster.leader-lock-key:5350494547570001}") long lockKey,
                                  @Value("${spie.cluster.leader-check-interval:2s}") Duration checkInterval) {
        return new LeaderElection(() -> dedicatedConnection(dataSource), LeaderElection.isPostgres(dataSource),
                lockKey, checkInterval);
    }

    /** The lock's session must outlive any pooled connection: it is opened with the pool's settings, not from it. */
    private static java.sql.Connection dedicatedConnection(DataSource dataSource) throws SQLException {
        if (dataSource.isWrapperFor(HikariDataSource.class)) {
            HikariDataSource hikari = dataSource.unwrap(HikariDataSource.class);
            return DriverManager.getConnection(hikari.getJdbcUrl(), hikari.getUsername(), hikari.getPassword());
        }
        return dataSource.getConnection();
    }

    /** Starts the election once the context is up (the leader's tasks with it); stops it before the database goes. */
    @Bean
    SmartLifecycle leaderElectionLifecycle(LeaderElection election,
                                           ObjectProvider<LeaderElection.LeaderTask> tasks) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                tasks.orderedStream().forEach(election::register);
                election.start();
                running = true;
            }

            @Override
            public void stop() {
                running = false;
                election.close();
            }

            @Override
            public boolean isRunning() {
                return running;
            }

            @Override
            public int getPhase() {
                return Integer.MAX_VALUE - 2048; // after the web server's graceful shutdown, before the data source
            }
        };
    }
}
