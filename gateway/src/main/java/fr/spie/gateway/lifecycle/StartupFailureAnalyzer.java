package fr.spie.gateway.lifecycle;

import fr.spie.gateway.ledger.db.DatabaseBehindLedgerException;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Turns the start-up refusals of the data directory into a clear message (Spring Boot prints it, the process exits
 * with a non-zero status, without a stack trace): a database schema that does not match this gateway's migrations, a
 * ledger that does not verify, and every {@link StartupRefusal} (configuration directory, data directory, keys).
 */
public class StartupFailureAnalyzer implements FailureAnalyzer {

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StartupRefusal refusal) {
                return new FailureAnalysis(refusal.getMessage(), refusal.action(), refusal);
            }
            if (t instanceof LedgerVerificationException ledger
                    && ledger.getCause() instanceof DatabaseBehindLedgerException behind) {
                return new FailureAnalysis("The database is behind the audit ledger, the gateway refuses to start: "
                        + behind.getMessage(),
                        "If the database was restored by mistake, or a more recent backup exists, restore that one. "
                                + "To continue the ledger from this database, start the gateway once with "
                                + "--spie.ledger.accept-rewind-to=<the number of entries the message gives>: the loss "
                                + "is then recorded in the ledger (LEDGER_REWOUND) and the auditors must be told "
                                + "(docs/operations.md, Backup and restore).", behind);
            }
            if (t instanceof LedgerVerificationException ledger) {
                return new FailureAnalysis("The audit ledger does not verify, the gateway refuses to start: "
                        + ledger.getMessage(),
                        "Do not run the gateway on this data. For a full report, export the ledger of the stopped "
                                + "gateway and verify it ('java -jar spie-gateway.jar audit export-full', then 'audit "
                                + "verify': docs/audit.md); restore the database and data directory from a backup that "
                                + "verifies, and keep the altered copy for investigation (docs/operations.md, Shutdown "
                                + "and start-up checks).", ledger);
            }
            if (t instanceof FlywayValidateException schema) {
                return new FailureAnalysis("The database schema does not match this gateway's migrations, the "
                        + "gateway refuses to start: " + schema.getMessage().strip(),
                        "Run the gateway version that created this database, or restore a backup made by this "
                                + "version. Applied migrations must never be edited (docs/operations.md, Shutdown and "
                                + "start-up checks).", schema);
            }
        }
        return null;
    }
}
