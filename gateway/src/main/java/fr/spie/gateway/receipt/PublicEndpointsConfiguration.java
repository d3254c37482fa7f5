package fr.spie.gateway.receipt;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Endpoints without a bearer credential: the gateway certificate and JWK set (public by nature) and the partners'
 * webhooks, which are authenticated by their HMAC signature in the endpoint itself.
 */
@Configuration(proxyBeanMethods = false)
public class PublicEndpointsConfiguration {

    @Bean
    @Order(1)
    SecurityFilterChain publicEndpointsChain(HttpSecurity http) throws Exception {
        http.securityMatcher("/api/v1/gateway/certificate", "/api/v1/gateway/jwks", "/api/v1/partners/*/webhooks")
                .csrf(c -> c.disable())
                .requestCache(r -> r.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(a -> a.anyRequest().permitAll());
        return http.build();
    }
}
