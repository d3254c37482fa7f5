package fr.spie.gateway.security;

import fr.spie.gateway.intake.IntakeRejection;
import fr.spie.gateway.intake.IntakeService;
import fr.spie.gateway.routing.RoutingConfigHolder;
import fr.spie.gateway.web.ProblemWriter;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Who may call what: partners submit and read their own exchanges, admins read all exchanges and operate, auditors
 * read the audit trail. Refusals are answered as problem details, and refused submissions are audited (those of
 * callers without a valid credential within a bound per client and window: {@code spie.audit.rejections.*}).
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    @Bean
    CredentialDirectory credentialDirectory(RoutingConfigHolder config, @Value("${spie.demo.enabled:false}") boolean demo) {
        return new CredentialDirectory(config, demo);
    }

    /**
     * Requests Spring Security's firewall refuses (an encoded '%', '/' or '.', a '//' or ';' in the path, control
     * characters...) are answered as problem details like every other refusal, not with the container's error page.
     */
    @Bean
    RequestRejectedHandler requestRejectedHandler(ProblemWriter problems) {
        return (request, response, rejected) -> problems.write(request, response, new IntakeRejection(400,
                "request-rejected", "Request rejected", "the request's path or headers hold what the gateway refuses "
                + "(an encoded '%', '/', '\\' or '.', an empty or '..' segment, a ';', a control character)"));
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, CredentialDirectory credentials, ProblemWriter problems,
                            IntakeService intake) throws Exception {
        AuthenticationEntryPoint unauthenticated = (request, response, ex) -> {
            IntakeRejection rejection = new IntakeRejection(401, "unauthenticated",
                    "Authentication required", ex instanceof CredentialRefusedException refused ? refused.getMessage()
                    : "a valid 'Authorization: Bearer <token>' credential or TLS client certificate is required");
            if (isSubmission(request)) {
                intake.auditAnonymousRefusal(rejection, request.getRemoteAddr());
            }
            response.setHeader("WWW-Authenticate", "Bearer realm=\"spie-gateway\"");
            problems.write(request, response, rejection);
        };
        http.csrf(c -> c.disable())
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .logout(l -> l.disable())
                .requestCache(r -> r.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(new ClientCertificateFilter(credentials, unauthenticated),
                        AnonymousAuthenticationFilter.class)
                .addFilterBefore(new BearerTokenFilter(credentials, unauthenticated), AnonymousAuthenticationFilter.class)
                .exceptionHandling(e -> e
                        .authenticationEntryPoint(unauthenticated)
                        .accessDeniedHandler((request, response, ex) -> {
                            IntakeRejection rejection = new IntakeRejection(403, "forbidden", "Forbidden",
                                    "your role may not use " + request.getMethod() + " " + request.getRequestURI());
                            if (isSubmission(request)) {
                                intake.auditRefusal(currentId(), rejection);
                            }
                            problems.write(request, response, rejection);
                        }))
                .authorizeHttpRequests(a -> a
                        .requestMatchers(HttpMethod.POST, "/api/v1/exchanges").hasRole("PARTNER")
                        .requestMatchers(HttpMethod.GET, "/api/v1/exchanges/*").hasAnyRole("PARTNER", "ADMIN")
                        .requestMatchers(HttpMethod.GET, "/api/v1/exchanges/*/receipt").hasAnyRole("PARTNER", "ADMIN")
                        // only a recipient partner of the exchange (checked by the endpoint)
                        .requestMatchers(HttpMethod.POST, "/api/v1/exchanges/*/acknowledgements").hasRole("PARTNER")
                        .requestMatchers(HttpMethod.POST, "/api/v1/partners/*/files").hasRole("PARTNER")
                        .requestMatchers(HttpMethod.GET, "/api/v1/files/*").hasAnyRole("PARTNER", "ADMIN")
                        // the list of files: a partner its own only (checked by the endpoint)
                        .requestMatchers(HttpMethod.GET, "/api/v1/files").hasAnyRole("PARTNER", "ADMIN", "AUDITOR")
                        .requestMatchers(HttpMethod.POST, "/api/v1/partners/*/pulls").hasAnyRole("PARTNER", "ADMIN")
                        // a person's access report: the auditor, or a partner acting for the person
                        .requestMatchers(HttpMethod.POST, "/api/v1/audit/persons/report")
                        .hasAnyRole("AUDITOR", "PARTNER")
                        .requestMatchers("/api/v1/audit/**").hasRole("AUDITOR")
                        .requestMatchers("/api/v1/consents", "/api/v1/consents/**").hasAnyRole("PARTNER", "ADMIN")
                        .requestMatchers("/api/v1/admin/**").hasRole("ADMIN")
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll()
                        .requestMatchers("/actuator/**").hasRole("ADMIN")
                        .requestMatchers("/error").permitAll()
                        .anyRequest().denyAll());
        return http.build();
    }

    private static boolean isSubmission(HttpServletRequest request) {
        return "POST".equals(request.getMethod()) && "/api/v1/exchanges".equals(request.getRequestURI());
    }

    private static String currentId() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth != null && auth.getPrincipal() instanceof GatewayPrincipal p ? p.id() : "anonymous";
    }
}
