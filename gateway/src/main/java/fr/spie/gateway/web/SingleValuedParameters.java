package fr.spie.gateway.web;

import fr.spie.gateway.intake.IntakeRejection;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.MethodParameter;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * A query parameter that takes one value, given more than once ({@code ?limit=1&limit=500}), is a 400
 * {@code invalid-parameter} naming it, as {@code GET /api/v1/files} answers. Spring MVC binds such a parameter to the
 * first value (a number) or to the values joined by commas (a text), silently: the caller got another page, proof or
 * filter than it may have meant. The parameters are those an endpoint declares: {@code @RequestParam} of one value,
 * and the components of a record it binds from the query (the audit filters).
 */
public class SingleValuedParameters implements HandlerInterceptor {
    private final Map<Method, Set<String>> byMethod = new ConcurrentHashMap<>();

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (handler instanceof HandlerMethod method) {
            for (String name : byMethod.computeIfAbsent(method.getMethod(), m -> singleValued(method))) {
                String[] values = request.getParameterValues(name);
                if (values != null && values.length > 1) {
                    String what = "given " + values.length + " times; give it once";
                    throw new IntakeRejection(400, "invalid-parameter", "Invalid query parameter",
                            name + ": " + what, List.of(new IntakeRejection.FieldError(name, what)), null);
                }
            }
        }
        return true;
    }

    private static Set<String> singleValued(HandlerMethod method) {
        Set<String> names = new LinkedHashSet<>();
        for (MethodParameter parameter : method.getMethodParameters()) {
            Class<?> type = parameter.getParameterType();
            RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
            if (param != null) {
                if (!type.isArray() && !Collection.class.isAssignableFrom(type) && !Map.class.isAssignableFrom(type)) {
                    names.add(StringUtils.hasText(param.name()) ? param.name()
                            : StringUtils.hasText(param.value()) ? param.value() : parameter.getParameter().getName());
                }
            } else if (type.isRecord() && parameter.getParameterAnnotations().length == 0) {
                for (RecordComponent component : type.getRecordComponents()) {
                    Class<?> componentType = component.getType();
                    if (!componentType.isArray() && !Collection.class.isAssignableFrom(componentType)) {
                        names.add(component.getName());
                    }
                }
            }
        }
        return names;
    }
}
