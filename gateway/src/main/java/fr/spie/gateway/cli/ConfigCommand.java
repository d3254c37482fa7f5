package fr.spie.gateway.cli;

import picocli.CommandLine.Command;

/** {@code spie-gateway config ...}: commands on the routing configuration files. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Work with the routing configuration: partners.yaml, routes.yaml and access.yaml "
                + "(documented in config/README.md).",
        subcommands = {ConfigCheckCommand.class})
final class ConfigCommand extends CommandGroup {
}
