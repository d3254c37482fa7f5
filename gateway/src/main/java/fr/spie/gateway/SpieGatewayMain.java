package fr.spie.gateway;

import fr.spie.gateway.cli.SpieCli;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point: starts the gateway, or runs a CLI command when the first argument names one. */
@SpringBootApplication
public class SpieGatewayMain {
    public static void main(String[] args) {
        if (args.length > 0 && SpieCli.commandNames().contains(args[0])) {
            // a CLI command: run it and exit, without starting Spring
            System.exit(SpieCli.execute(args));
        }
        SpringApplication.run(SpieGatewayMain.class, args);
    }
}
