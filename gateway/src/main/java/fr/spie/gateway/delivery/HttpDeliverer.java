package fr.spie.gateway.delivery;

import fr.spie.connector.http.Redirects;
import fr.spie.connector.http.RetryAfter;
import fr.spie.gateway.config.Delivery;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Sends one record to a recipient's HTTP endpoint. */
public class HttpDeliverer {
    private final Map<Duration, HttpClient> clients = new ConcurrentHashMap<>();

    /**
     * POSTs the body; returns normally on 2xx.
     *
     * @throws DeliveryFailure on any other outcome, retryable unless the recipient refused the record for good
     */
    public int post(Delivery delivery, String idempotencyKey, String exchangeId, byte[] body) {
        return post(delivery, idempotencyKey, exchangeId, body, Map.of());
    }

    /**
     * As {@link #post(Delivery, String, String, byte[])}, with more headers (e.g. a body signature).
     *
     * @return the recipient's 2xx status
     */
    public int post(Delivery delivery, String idempotencyKey, String exchangeId, byte[] body,
                     Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(delivery.url())
                .timeout(delivery.timeout())
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .header("X-Spie-Exchange-Id", exchangeId);
        headers.forEach(builder::header);
        HttpRequest request = builder.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<Void> response;
        try {
            response = client(delivery.connectTimeout()).send(request, new UnreadResponseBody(delivery.timeout()));
        } catch (HttpConnectTimeoutException e) {
            throw new DeliveryFailure("connect timeout after " + delivery.connectTimeout().toMillis() + " ms", true);
        } catch (HttpTimeoutException e) {
            throw new DeliveryFailure("no answer within " + delivery.timeout().toMillis() + " ms", true);
        } catch (IOException e) {
            throw new DeliveryFailure("I/O error: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryFailure("interrupted", true);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return status;
        }
        if (Redirects.movedPermanently(status)) {
            throw new DeliveryFailure("HTTP " + status + ": "
                    + Redirects.movedReason(response.headers(), delivery.url(), "delivery.url"), false);
        }
        throw new DeliveryFailure("HTTP " + status + (Redirects.isRedirect(status) ? " (redirect not followed)" : ""),
                retryable(status),
                RetryAfter.of(response.headers(), java.time.Clock.systemUTC()).orElse(null));
    }

    /**
     * 4xx means the recipient refuses this request as it is, except for the statuses that say "later": 408, 425, 429
     * and 409, which the Idempotency-Key draft (IETF httpapi) answers while a request with the same key is still being
     * processed. A conflict for good with the same key (422, another body) stays a refusal. Redirects are not
     * followed: 301 and 308 (moved for good) are refusals, the other 3xx temporary ({@link Redirects}).
     */
    public static boolean retryable(int status) {
        if (Redirects.isRedirect(status)) {
            return !Redirects.movedPermanently(status);
        }
        return status >= 500 || status == 408 || status == 409 || status == 425 || status == 429 || status < 300;
    }

    private HttpClient client(Duration connectTimeout) {
        return clients.computeIfAbsent(connectTimeout, t -> HttpClient.newBuilder()
                .connectTimeout(t)
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
    }
}
