package fr.spie.gateway.files;

import fr.spie.gateway.cluster.LeaderElection;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * On the embedded database, a lease found at start-up belongs to a gateway process that is gone: H2 in file mode is
 * opened by one process at a time, so no other instance can be reading a file. Such leases (left by a crash, and named
 * after an instance id that a restart without {@code spie.cluster.instance-id} does not reuse) are given back before
 * the first sweep, so that the files they held are resumed at once rather than when the lease expires. On PostgreSQL,
 * where several instances share the database, leases expire as they should.
 */
@Component
public class EmbeddedDatabaseLeases {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseLeases.class);

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;

    public EmbeddedDatabaseLeases(DataSource dataSource, JdbcTemplate jdbc) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
    }

    /** Before the application is ready: the inbox watcher's first sweep runs then. */
    @EventListener(ApplicationStartedEvent.class)
    public int releaseLeftOverLeases() {
        if (LeaderElection.isPostgres(dataSource)) {
            return 0;
        }
        int released = jdbc.update("UPDATE received_file SET lease_holder = NULL, lease_until = NULL "
                + "WHERE lease_holder IS NOT NULL");
        if (released > 0) {
            log.info("{} file lease(s) left by a previous run of this gateway were given back: those files are "
                    + "resumed now", released);
        }
        return released;
    }
}
