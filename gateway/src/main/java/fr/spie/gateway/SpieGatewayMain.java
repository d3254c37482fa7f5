package fr.spie.gateway;

import fr.spie.gateway.cli.SpieCli;
import fr.spie.gateway.messaging.NettyCleanerOnNewerJdks;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point: starts the gateway, or runs a CLI command when the first argument names one. */
@SpringBootApplication
public class SpieGatewayMain {
    public static void main(String[] args) {
        NettyCleanerOnNewerJdks.apply();
        if (SpieCli.handles(args)) {
            // a CLI command, --help or --version: run it and exit, without starting Spring
            System.exit(SpieCli.execute(args));
        }
        SpringApplication.run(SpieGatewayMain.class, args);
    }
}
