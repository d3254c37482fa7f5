package fr.spie.connector.francetravail;

import fr.spie.connector.http.BoundedBody;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * An answer's body as UTF-8 text, read within the bounds of {@link BoundedBody}: at most {@code maxBytes}, and
 * complete within {@code readFor} of its headers.
 */
final class BoundedStringBody implements HttpResponse.BodyHandler<String> {
    private final BoundedBody bytes;

    BoundedStringBody(long maxBytes, Duration readFor) {
        this.bytes = new BoundedBody(maxBytes, readFor);
    }

    @Override
    public HttpResponse.BodySubscriber<String> apply(HttpResponse.ResponseInfo responseInfo) {
        return HttpResponse.BodySubscribers.mapping(bytes.apply(responseInfo),
                body -> new String(body, StandardCharsets.UTF_8));
    }
}
