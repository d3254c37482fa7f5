package fr.spie.gateway.cli;

import picocli.CommandLine.Command;

/** {@code spie-gateway db ...}: commands on the embedded H2 database of a stopped gateway. */
@Command(name = "db", mixinStandardHelpOptions = true,
        description = "Work with the embedded H2 database of a stopped gateway (<data-dir>/db/spie.mv.db).",
        subcommands = {DbCompactCommand.class})
final class DbCommand extends CommandGroup {
}
