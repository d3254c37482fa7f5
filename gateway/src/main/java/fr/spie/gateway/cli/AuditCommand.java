package fr.spie.gateway.cli;

import picocli.CommandLine.Command;

/** {@code spie-gateway audit ...}: offline work on the audit ledger (no gateway, no Spring). */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Verify ledger exports offline, export the whole ledger of a stopped gateway, and tell a "
                + "person who received their data, from a gateway's data directory (see docs/audit.md).",
        subcommands = {AuditVerifyCommand.class, AuditExportFullCommand.class, AuditReportCommand.class})
final class AuditCommand extends CommandGroup {
}
