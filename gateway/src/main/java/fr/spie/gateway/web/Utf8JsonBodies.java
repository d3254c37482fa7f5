package fr.spie.gateway.web;

import fr.spie.gateway.intake.IntakeRejection;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.lang.reflect.Type;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * A JSON body that Spring MVC's converter reads ({@code @RequestBody}: consents, dead letters, requeue, reports...)
 * is UTF-8, as the intake requires (RFC 8259): one in UTF-16 or UTF-32 (a byte order mark, or a zero byte among its
 * first four, RFC 4627's detection) is a 400 {@code malformed-json}. Jackson detected such an encoding and read the
 * body: a withdrawal sent in UTF-16 withdrew the consent, where the intake refuses the same bytes.
 */
@ControllerAdvice
public class Utf8JsonBodies extends RequestBodyAdviceAdapter {

    @Override
    public boolean supports(MethodParameter parameter, Type targetType,
                            Class<? extends HttpMessageConverter<?>> converterType) {
        return JacksonJsonHttpMessageConverter.class.isAssignableFrom(converterType);
    }

    @Override
    public HttpInputMessage beforeBodyRead(HttpInputMessage message, MethodParameter parameter, Type targetType,
                                           Class<? extends HttpMessageConverter<?>> converterType) throws IOException {
        PushbackInputStream body = new PushbackInputStream(message.getBody(), 4);
        byte[] head = body.readNBytes(4);
        if (isUtf16Or32(head)) {
            throw new IntakeRejection(400, "malformed-json", "Malformed JSON", "JSON is read as UTF-8 only "
                    + "(RFC 8259): this body is UTF-16 or UTF-32 (a byte order mark or zero bytes at its start)");
        }
        body.unread(head);
        HttpHeaders headers = message.getHeaders();
        return new HttpInputMessage() {
            @Override
            public InputStream getBody() {
                return body;
            }

            @Override
            public HttpHeaders getHeaders() {
                return headers;
            }
        };
    }

    static boolean isUtf16Or32(byte[] head) {
        if (head.length >= 2 && ((head[0] & 0xff) == 0xFE && (head[1] & 0xff) == 0xFF
                || (head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xFE)) {
            return true;
        }
        for (byte b : head) {
            if (b == 0) {
                return true;
            }
        }
        return false;
    }
}
