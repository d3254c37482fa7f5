package fr.spie.gateway.messaging;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import fr.spie.gateway.lifecycle.StartupRefusal;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Artemis broker of a single-node gateway: persistent journal under the data directory, reachable
 * in-VM only. Delivery retries are Camel's; the broker itself redelivers only what a crash left unacknowledged.
 */
public final class EmbeddedBroker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);
    private static final AtomicInteger NEXT_SERVER_ID = new AtomicInteger(
            (int) (ProcessHandle.current().pid() % 10_000) * 100);

    static {
        NettyCleanerOnNewerJdks.apply();  // before Artemis loads Netty
    }

    private final EmbeddedActiveMQ server = new EmbeddedActiveMQ();
    private final int serverId = NEXT_SERVER_ID.incrementAndGet();

    /**
     * @param directory            journal, bindings, paging and large messages, created when missing
     * @param syncNonTransactional whether each non-transactional send waits for the journal's sync
     * @param maxDiskUsage         percentage of the directory's file system used above which the broker takes no more
     *                             messages ({@link #diskFull()})
     */
    public EmbeddedBroker(Path directory, boolean syncNonTransactional, int maxDiskUsage) throws Exception {
        ConfigurationImpl config = new ConfigurationImpl();
        config.setName("spie-gateway");
        config.setPersistenceEnabled(true);
        config.setSecurityEnabled(false);
        config.setJournalType(JournalType.NIO);
        config.setJournalDirectory(directory.resolve("journal").toString());
        config.setBindingsDirectory(directory.resolve("bindings").toString());
        config.setPagingDirectory(directory.resolve("paging").toString());
        config.setLargeMessagesDirectory(directory.resolve("large-messages").toString());
        config.setJournalSyncNonTransactional(syncNonTransactional);
        config.setJournalSyncTransactional(true);
        config.setIDCacheSize(100_000);
        config.setPersistIDCache(true);
        config.setJMXManagementEnabled(false);
        config.setMaxDiskUsage(maxDiskUsage);
        config.addAcceptorConfiguration("in-vm", "vm://" + serverId);
        config.addAddressSetting("#", new AddressSettings()
                .setMaxDeliveryAttempts(-1)          // a crash must never move a message aside: Camel decides
                .setRedeliveryDelay(1_000)
                .setMaxSizeBytes(64L * 1024 * 1024)  // then page to disk: a dead recipient's backlog waits there
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE)
                .setDeadLetterAddress(SimpleString.of("spie.broker.dead-letter"))
                .setExpiryAddress(SimpleString.of("spie.broker.expired"))
                .setAutoCreateQueues(true)
                .setAutoCreateAddresses(true));
        server.setConfiguration(config);
        server.start();
        if (!active()) {
            // Artemis logs why (AMQ224000 and a stack trace) and returns from start() without a running broker: a
            // gateway that went on would accept exchanges it could never deliver
            server.stop();
            throw new StartupRefusal("The embedded Artemis broker did not start (journal in "
                    + directory.toAbsolutePath() + "); Artemis said why just above (AMQ224000 ...); the gateway "
                    + "refuses to start",
                    "Fix what Artemis reports (disk full, permissions, a damaged journal: restore " + directory
                            + " from a backup, or move it aside to start with an empty broker and queue the pending "
                            + "deliveries again: docs/operations.md, Backup and restore). On Java 25+, do not set "
                            + "io.netty.noUnsafe=true: Artemis's journal needs it false.");
        }
        log.info("Embedded Artemis broker started, journal in {}", directory.toAbsolutePath());
    }

    /** URL for clients in this JVM. */
    public String url() {
        return "vm://" + serverId;
    }

    /** Whether the broker runs (started and active). */
    public boolean active() {
        return server.getActiveMQServer() != null && server.getActiveMQServer().isActive();
    }

    /**
     * Whether the broker takes no more messages because its file system is used beyond its {@code max-disk-usage}
     * (checked every few seconds): deliveries then wait in the outbox.
     */
    public boolean diskFull() {
        return active() && server.getActiveMQServer().getPagingManager().isDiskFull();
    }

    /** Messages in a queue (waiting and in delivery), read from the broker's management view; 0 if it has none. */
    public long messageCount(String queue) {
        org.apache.activemq.artemis.core.server.Queue q = server.getActiveMQServer().locateQueue(SimpleString.of(queue));
        return q == null ? 0 : q.getMessageCount();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
