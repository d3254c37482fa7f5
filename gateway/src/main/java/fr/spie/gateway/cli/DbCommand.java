package fr.spie.gateway.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code spie-gateway db ...}: commands on the embedded H2 database of a stopped gateway. */
@Command(name = "db", mixinStandardHelpOptions = true,
        description = "Work with the embedded H2 database of a stopped gateway (<data-dir>/db/spie.mv.db).",
        subcommands = {DbCompactCommand.class})
final class DbCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
