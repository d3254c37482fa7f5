package fr.spie.gateway.files;

import fr.spie.gateway.cluster.InstanceId;
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
 * the first sweep, so that the files they held are resumed at once rather than when the lease expires. The leases of
 * this run are kept: the web server answers before the application has started, so an upload may already be recorded
 * (with this instance's first lease) and read by a file worker, which must not lose its lease. A previous run named
 * like this one (a fixed {@code spie.cluster.instance-id}) needs nothing given back: an instance claims its own leases.
 * On PostgreSQL, where several instances share the database, leases expire as they should.
 */
@Component
public class EmbeddedDatabaseLeases {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseLeases.class);

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final InstanceId instance;

    public EmbeddedDatabaseLeases(DataSource dataSource, JdbcTemplate jdbc, InstanceId instance) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.instance = instance;
    }

    /** Before the application is ready: the inbox watcher's first sweep runs then. */
    @EventListener(ApplicationStartedEvent.class)
    public int releaseLeftOverLeases() {
        if (LeaderElection.isPostgres(dataSource)) {
            return 0;
        }
        int released = jdbc.update("UPDATE received_file SET lease_holder = NULL, lease_until = NULL "
                + "WHERE lease_holder IS NOT NULL AND lease_holder <> ?", instance.value());
        if (released > 0) {
            log.info("{} file lease(s) left by a previous run of this gateway were given back: those files are "
                    + "resumed now", released);
        }
        return released;
    }
}
