package fr.spie.gateway.cli;

import fr.spie.gateway.config.Durations;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code spie-gateway pki ...}: the development PKI for mutual TLS (docs/security.md, "Mutual TLS"). */
@Command(name = "pki", mixinStandardHelpOptions = true,
        description = "Development PKI for the partner API's mutual TLS: a CA, the gateway's server certificate, "
                + "one client certificate per partner, and the CA's certificate revocation list (CRL).",
        subcommands = {PkiInitCommand.class, PkiRevokeCommand.class})
final class PkiCommand extends CommandGroup {
    /** Reads durations as config files write them: 365d, 12h, PT720H. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
