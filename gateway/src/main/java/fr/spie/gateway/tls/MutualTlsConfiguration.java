package fr.spie.gateway.tls;

import fr.spie.gateway.demo.DemoPki;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code spie.tls.enabled=true}: the partner API is also served over HTTPS with client-certificate authentication, on
 * {@code spie.tls.port}; the CRL (and stores) are re-read when they change.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TlsSettings.class)
@ConditionalOnProperty(name = "spie.tls.enabled", havingValue = "true")
public class MutualTlsConfiguration {

    @Bean
    MutualTlsConnector mutualTlsConnector(TlsSettings settings, ObjectProvider<DemoPki> demoPki) {
        // in demo mode, the development PKI is created first when missing
        demoPki.ifAvailable(pki -> { });
        return new MutualTlsConnector(settings);
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> mutualTlsConnectorCustomizer(
            MutualTlsConnector connector) {
        return factory -> factory.addAdditionalConnectors(connector.connector());
    }

    @Bean(destroyMethod = "close")
    TlsReloader tlsReloader(MutualTlsConnector connector, TlsSettings settings) {
        return new TlsReloader(connector, settings.reloadInterval());
    }
}
