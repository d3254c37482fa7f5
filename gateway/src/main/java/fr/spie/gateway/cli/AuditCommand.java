package fr.spie.gateway.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code spie-gateway audit ...}: offline work on the audit ledger (no gateway, no Spring). */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Verify ledger exports offline, export the whole ledger of a stopped gateway, and tell a "
                + "person who received their data, from a gateway's data directory (see docs/audit.md).",
        subcommands = {AuditVerifyCommand.class, AuditExportFullCommand.class, AuditReportCommand.class})
final class AuditCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
