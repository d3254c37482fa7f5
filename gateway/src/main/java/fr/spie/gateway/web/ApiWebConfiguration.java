package fr.spie.gateway.web;

import java.util.List;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.core.StreamReadFeature;

/** Checks that hold for every endpoint's request, before the endpoint reads it. */
@Configuration(proxyBeanMethods = false)
public class ApiWebConfiguration implements WebMvcConfigurer {

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new SingleValuedParameters());
    }

    /**
     * Spring MVC's JSON converter (the {@code @RequestBody} of consents, withdrawals, dead letters, requeue,
     * reports...) refuses an object that names a member twice, as the intake does (400): it kept the last value, so
     * {@code {"reason": "a", "reason": "b"}} withdrew a consent with the reason "b". Only this converter's reading
     * changes; the gateway's other JSON readers (partners' answers, configuration) are not this mapper.
     */
    @Override
    @SuppressWarnings("deprecation")
    public void extendMessageConverters(List<HttpMessageConverter<?>> converters) {
        converters.replaceAll(converter -> converter instanceof JacksonJsonHttpMessageConverter json
                ? new JacksonJsonHttpMessageConverter(json.getMapper().rebuild()
                        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
                : converter);
    }
}
