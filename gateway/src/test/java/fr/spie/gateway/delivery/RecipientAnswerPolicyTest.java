package fr.spie.gateway.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import fr.spie.gateway.config.Delivery;
import fr.spie.gateway.config.TransportSettings;
import fr.spie.gateway.outbound.ImiloApiTransport;
import fr.spie.gateway.store.StoredExchange;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a recipient's answer does to a delivery, on the two HTTP transports that send an Idempotency-Key (spie-json,
 * imilo-api): WireMock plays the recipient, each answer is sent through the real transport.
 */
class RecipientAnswerPolicyTest {
    private static final String DOSSIER = "D123456";

    private WireMockServer recipient;

    @BeforeEach
    void start() {
        recipient = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        recipient.start();
    }

    @AfterEach
    void stop() {
        recipient.stop();
    }

    @Test
    void aConflictOnTheIdempotencyKeyIsStillBeingProcessedSoItIsRetriedAfterItsRetryAfter() {
        answer(aResponse().withStatus(409).withHeader("Retry-After", "7"));

        DeliveryFailure spie = spieJson();
        assertThat(spie).hasMessage("HTTP 409");
        assertThat(spie.retryable()).as("spie-json: the same key is still being processed").isTrue();
        assertThat(spie.retryAfter()).contains(Duration.ofSeconds(7));

        DeliveryFailure imilo = imilo();
        assertThat(imilo).hasMessage("i-milo POST orientation → HTTP 409");
        assertThat(imilo.retryable()).as("imilo-api: the same key is still being processed").isTrue();
        assertThat(imilo.retryAfter()).contains(Duration.ofSeconds(7));
    }

    @Test
    void anUnprocessableRecordStaysARefusalForGood() {
        answer(aResponse().withStatus(422));

        assertThat(spieJson().retryable()).isFalse();
        assertThat(imilo().retryable()).isFalse();
    }

    @Test
    void aPermanentRedirectIsNotFollowedAndEndsTheDeliveryWithWhereTheEndpointMoved() {
        for (int status : new int[] {301, 308}) {
            recipient.resetAll();
            answer(aResponse().withStatus(status).withHeader("Location", "http://127.0.0.1:" + recipient.port()
                    + "/moved/spie/v2/records?access_token=s3cret#top"));

            DeliveryFailure spie = spieJson();
            assertThat(spie.retryable()).as("spie-json %s", status).isFalse();
            assertThat(spie).hasMessage("HTTP " + status + ": the endpoint moved permanently to http://127.0.0.1:"
                    + recipient.port() + "/moved/spie/v2/records: redirects are not followed, fix delivery.url in"
                    + " the configuration");

            recipient.resetAll();
            answer(aResponse().withStatus(status).withHeader("Location",
                    "/moved/imilo/v2/sue/dossiers/" + DOSSIER + "/orientation?apiKey=s3cret"));
            DeliveryFailure imilo = imilo();
            assertThat(imilo.retryable()).as("imilo-api %s", status).isFalse();
            assertThat(imilo).hasMessage("i-milo POST orientation → HTTP " + status + ": the endpoint moved"
                    + " permanently to http://127.0.0.1:" + recipient.port() + "/moved/imilo/v2/sue/dossiers/…/"
                    + "orientation: redirects are not followed, fix imiloApi.url in the configuration");
            // never followed: the record went to the configured address only
            recipient.verify(0, postRequestedFor(urlPathMatching("/moved/.*")));
        }
    }

    @Test
    void aTemporaryRedirectIsNotFollowedAndTriedAgainLater() {
        for (int status : new int[] {302, 303, 307}) {
            recipient.resetAll();
            answer(aResponse().withStatus(status).withHeader("Location", "http://127.0.0.1:" + recipient.port()
                    + "/elsewhere"));

            DeliveryFailure spie = spieJson();
            assertThat(spie.retryable()).as("spie-json %s", status).isTrue();
            assertThat(spie).hasMessage("HTTP " + status + " (redirect not followed)");
            DeliveryFailure imilo = imilo();
            assertThat(imilo.retryable()).as("imilo-api %s", status).isTrue();
            assertThat(imilo).hasMessage("i-milo POST orientation → HTTP " + status + " (redirect not followed)");
            recipient.verify(0, postRequestedFor(urlPathEqualTo("/elsewhere")));
            recipient.verify(0, getRequestedFor(urlPathEqualTo("/elsewhere")));
        }
    }

    /**
     * A recipient that echoes the record (names, dates, its dossier id, the API key it was given) in an error body:
     * the body is not read into the reason, which becomes the delivery's lastError and the audit event's detail.
     */
    @Test
    void anErrorBodyEchoingTheRecordIsNotCopiedIntoTheReason() {
        for (int status : new int[] {400, 503}) {
            recipient.resetAll();
            answer(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                    .withHeader("X-Echo", "key")
                    .withBody("{\"message\": \"dossier " + DOSSIER + " de DUPONT Jean né le 1982-02-11 refusé,"
                            + " X-Gravitee-Api-Key=key\"}"));
            assertThat(imilo()).hasMessage("i-milo POST orientation → HTTP " + status);
            assertThat(spieJson()).hasMessage("HTTP " + status);
        }
    }

    private void answer(ResponseDefinitionBuilder response) {
        recipient.stubFor(post(anyUrl()).willReturn(response));
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + recipient.port() + "/spie/v1/records");
    }

    private DeliveryFailure spieJson() {
        try {
            new HttpDeliverer().post(delivery(base()), "key-1", UUID.randomUUID().toString(),
                    "{}".getBytes(StandardCharsets.UTF_8));
        } catch (DeliveryFailure failure) {
            return failure;
        }
        throw new AssertionError("delivered");
    }

    private DeliveryFailure imilo() {
        URI url = URI.create("http://127.0.0.1:" + recipient.port() + "/imilo/v1");
        ImiloApiTransport transport = new ImiloApiTransport(new TransportSettings.ImiloApi(url, "key", null),
                delivery(null));
        StoredExchange exchange = new StoredExchange(UUID.randomUUID(), "cd-51", "orientation", "1.0", "route",
                "public-task", "c".repeat(64), "d".repeat(64), "e".repeat(64), "f".repeat(64), Instant.now());
        DeliveryTask task = new DeliveryTask(exchange, "ml-reims", "route", 1, null);
        String envelope = "{\"recordType\":\"orientation\",\"subject\":{\"identifiers\":[{\"scheme\":"
                + "\"imilo-dossier-id\",\"value\":\"" + DOSSIER + "\"}]},\"payload\":{\"path\":\"PED\"}}";
        try {
            transport.deliver(task, envelope);
        } catch (DeliveryFailure failure) {
            return failure;
        }
        throw new AssertionError("delivered");
    }

    private static Delivery delivery(URI url) {
        return new Delivery(url, Duration.ofSeconds(2), Duration.ofSeconds(5), 3, Duration.ofMillis(100), 2.0,
                Duration.ofSeconds(1), 0.0);
    }
}
