package fr.spie.gateway.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code spie-gateway config ...}: commands on the routing configuration files. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Work with the routing configuration: partners.yaml, routes.yaml and access.yaml "
                + "(documented in config/README.md).",
        subcommands = {ConfigCheckCommand.class})
final class ConfigCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
