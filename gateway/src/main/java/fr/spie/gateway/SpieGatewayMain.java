package fr.spie.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point: starts the gateway, or runs a CLI command when the first argument names one. */
@SpringBootApplication
public class SpieGatewayMain {
    public static void main(String[] args) {
        SpringApplication.run(SpieGatewayMain.class, args);
    }
}
