package fr.spie.gateway.security;

import fr.spie.gateway.intake.IntakeService;
import fr.spie.gateway.web.ProblemWriter;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Request-level defences that do not belong to one controller (docs/security.md, "Hostile input"). */
@Configuration(proxyBeanMethods = false)
public class HostileInputConfiguration {

    /** Order 0: after Spring Security's chain (-100), so that authentication is decided first. */
    @Bean
    FilterRegistrationBean<ContentEncodingFilter> contentEncodingFilter(ProblemWriter problems, IntakeService intake) {
        FilterRegistrationBean<ContentEncodingFilter> registration =
                new FilterRegistrationBean<>(new ContentEncodingFilter(problems, intake));
        registration.addUrlPatterns("/api/*");
        registration.setOrder(0);
        return registration;
    }

    /** After the content-encoding check (a compressed body is refused as such, whatever its charset). */
    @Bean
    FilterRegistrationBean<JsonCharsetFilter> jsonCharsetFilter(ProblemWriter problems, IntakeService intake) {
        FilterRegistrationBean<JsonCharsetFilter> registration =
                new FilterRegistrationBean<>(new JsonCharsetFilter(problems, intake));
        registration.addUrlPatterns("/api/*");
        registration.setOrder(1);
        return registration;
    }
}
