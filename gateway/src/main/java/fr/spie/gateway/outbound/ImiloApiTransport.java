package fr.spie.gateway.outbound;

import fr.spie.connector.OutboundMessage;
import fr.spie.connector.http.Redirects;
import fr.spie.connector.http.RetryAfter;
import fr.spie.connector.missionlocale.ImiloOutboundMapper;
import fr.spie.gateway.config.Delivery;
import fr.spie.gateway.config.TransportSettings;
import fr.spie.gateway.delivery.DeliveryFailure;
import fr.spie.gateway.delivery.DeliveryTask;
import fr.spie.gateway.delivery.HttpDeliverer;
import fr.spie.gateway.delivery.UnreadResponseBody;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.util.Map;
import java.util.TreeSet;

/**
 * Transport imilo-api: the record mapped by {@link ImiloOutboundMapper} (appointment → rdv of the dossier, its times
 * in the mission locale's {@code timeZone}; orientation → orientation of the dossier), HTTP POST to
 * {@code <url>/<resource>} with the API-key header X-Gravitee-Api-Key, whose value comes from the configuration and
 * is never logged nor put in a message.
 * Every appointment record is POSTed, its {@code id} not sent and nothing of the answer kept: i-milo's known API
 * reads an rdv ({@code GET .../rdv/{idRdv}}) but offers no update or cancellation of one, so a moved or cancelled
 * appointment adds another rdv to the dossier (docs/transports.md, unlike {@link FranceTravailApiTransport}).
 * 2xx delivered; 408, 409 (the same Idempotency-Key still being processed), 425, 429 (after Retry-After) and 5xx
 * retried; other 4xx dead-lettered. Redirects are not followed ({@link Redirects}): 301/308 dead-lettered, saying
 * where the endpoint moved, the other 3xx retried.
 */
public final class ImiloApiTransport implements OutboundTransport {
    private final TransportSettings.ImiloApi settings;
    private final Delivery delivery;
    private final ImiloOutboundMapper mapper;
    private final HttpClient http;
    private final BodySigner signer;

    public ImiloApiTransport(TransportSettings.ImiloApi settings, Delivery delivery) {
        this(settings, delivery, BodySigner.NONE);
    }

    /** @param signer the gateway's signature of each body sent (header SPIE-Signature) */
    public ImiloApiTransport(TransportSettings.ImiloApi settings, Delivery delivery, BodySigner signer) {
        this.signer = signer;
        this.settings = settings;
        this.delivery = delivery;
        this.mapper = new ImiloOutboundMapper(settings.timeZone());
        this.http = HttpClient.newBuilder().connectTimeout(delivery.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public String name() {
        return TransportSettings.IMILO_API;
    }

    @Override
    public String deliver(DeliveryTask task, String envelope) {
        OutboundEnvelope record = OutboundEnvelope.parse(envelope);
        if (!settings.recordTypes().contains(record.recordType())) {
            throw new DeliveryFailure("record type '" + record.recordType() + "' is not sent to i-milo (transport"
                    + " imilo-api of this partner sends " + String.join(", ", new TreeSet<>(settings.recordTypes()))
                    + ")", false);
        }
        OutboundMessage message;
        try {
            message = mapper.map(record.recordType(), record.subject(), record.payload());
        } catch (IllegalArgumentException e) {
            throw new DeliveryFailure("not expressible for i-milo: " + e.getMessage(), false);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(resolve(settings.url(), message.resource()))
                .timeout(delivery.timeout())
                .header("Content-Type", message.contentType())
                .header("Idempotency-Key", task.idempotencyKey())
                .POST(HttpRequest.BodyPublishers.ofByteArray(message.body()));
        signer.headers(task, message.body()).forEach(request::header);
        for (Map.Entry<String, String> header : message.headers().entrySet()) {
            if (header.getKey().equalsIgnoreCase(ImiloOutboundMapper.REQUIRED_CREDENTIAL_HEADER)) {
                request.header(header.getValue(), settings.apiKey()); // X-Gravitee-Api-Key
            } else {
                request.header(header.getKey(), header.getValue());
            }
        }
        HttpResponse<Void> response;
        try {
            response = http.send(request.build(), new UnreadResponseBody(delivery.timeout()));
        } catch (HttpConnectTimeoutException e) {
            throw new DeliveryFailure("i-milo: connect timeout after " + delivery.connectTimeout().toMillis() + " ms",
                    true);
        } catch (HttpTimeoutException e) {
            throw new DeliveryFailure("i-milo: no answer within " + delivery.timeout().toMillis() + " ms", true);
        } catch (IOException e) {
            throw new DeliveryFailure("i-milo: I/O error " + e.getClass().getSimpleName(), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryFailure("interrupted", true);
        }
        int status = response.statusCode();
        String resourceKind = record.recordType().equals("appointment") ? "rdv" : "orientation";
        if (status / 100 == 2) {
            return "i-milo POST " + resourceKind + " → HTTP " + status;
        }
        if (Redirects.movedPermanently(status)) {
            throw new DeliveryFailure("i-milo POST " + resourceKind + " → HTTP " + status + ": "
                    + Redirects.movedReason(response.headers(), response.uri(), "imiloApi.url",
                            dossierId(message.resource())), false);
        }
        throw new DeliveryFailure("i-milo POST " + resourceKind + " → HTTP " + status
                + (status == 401 || status == 403 ? " (check the API key of this partner)" : "")
                + (Redirects.isRedirect(status) ? " (redirect not followed)" : ""),
                HttpDeliverer.retryable(status), RetryAfter.of(response.headers(), Clock.systemUTC()).orElse(null));
    }

    /** The dossier id in {@code .../dossiers/{idDossier}/...}: it names a person, never quoted in a reason. */
    static String dossierId(String resource) {
        String[] segments = resource.split("/");
        for (int i = 0; i + 1 < segments.length; i++) {
            if (segments[i].equals("dossiers")) {
                return segments[i + 1];
            }
        }
        return null;
    }

    /** {@code base/resource}; the resource holds the dossier id, checked as a plain identifier by the mapper. */
    static URI resolve(URI base, String resource) {
        String b = base.toString();
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        return URI.create(b + "/" + resource);
    }
}
