package fr.spie.gateway.outbound;

import fr.spie.connector.francetravail.FranceTravailApiClient;
import fr.spie.connector.francetravail.FranceTravailApiConfig;
import fr.spie.connector.francetravail.FranceTravailApiOutboundMapper;
import fr.spie.gateway.SpieProperties;
import fr.spie.gateway.config.Delivery;
import fr.spie.gateway.config.Partner;
import fr.spie.gateway.config.TransportSettings;
import fr.spie.gateway.delivery.HttpDeliverer;
import fr.spie.gateway.receipt.GatewaySignatures;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The transport of each recipient, built from its {@code delivery} in partners.yaml. One transport per partner and
 * delivery settings: all consumers of a recipient share it (so France Travail's OAuth2 token is fetched once per
 * partner and reused); changed settings give a new one.
 */
@Component
public class OutboundTransports {
    private static final Logger log = LoggerFactory.getLogger(OutboundTransports.class);

    private final SpieProperties properties;
    private final FranceTravailAppointments franceTravailAppointments;
    private final BodySigner signer;
    private final HttpDeliverer http = new HttpDeliverer();
    private final Map<String, Built> byPartner = new ConcurrentHashMap<>();

    private record Built(Delivery delivery, OutboundTransport transport) {
    }

    /**
     * @param signatures signs every HTTP delivery body: header {@value GatewaySignatures#DELIVERY_HEADER}, a detached
     *                   JWS bound to the exchange id and recipient (docs/security.md)
     * @param franceTravailAppointments the appointments created at France Travail recipients (updated, not created
     *                                  again, by transport france-travail-api)
     */
    public OutboundTransports(SpieProperties properties, GatewaySignatures signatures,
                              FranceTravailAppointments franceTravailAppointments) {
        this.properties = properties;
        this.franceTravailAppointments = franceTravailAppointments;
        this.signer = (task, body) -> Map.of(GatewaySignatures.DELIVERY_HEADER, signatures.signBody(body,
                Map.of("exchangeId", task.exchange().exchangeId().toString(), "recipient", task.recipient(),
                        "iat", java.time.Instant.now().getEpochSecond())));
    }

    /** The delivery settings the partner's transport was built with, if one was. */
    public Optional<Delivery> deliveryInUse(String partnerId) {
        return Optional.ofNullable(byPartner.get(partnerId)).map(Built::delivery);
    }

    /** The recipient's transport (the partner must have a delivery). */
    public OutboundTransport forRecipient(Partner partner) {
        Delivery delivery = partner.delivery();
        if (delivery == null) {
            throw new IllegalArgumentException("partner '" + partner.id() + "' has no delivery");
        }
        return byPartner.compute(partner.id(), (id, built) -> built != null && built.delivery().equals(delivery)
                ? built : new Built(delivery, create(id, delivery))).transport();
    }

    private OutboundTransport create(String partnerId, Delivery delivery) {
        TransportSettings settings = delivery.transport();
        OutboundTransport transport;
        String to;
        if (settings instanceof TransportSettings.FranceTravailApi ft) {
            transport = franceTravail(partnerId, ft, delivery);
            to = ft.apiUrl().toString();
        } else if (settings instanceof TransportSettings.ImiloApi imilo) {
            transport = new ImiloApiTransport(imilo, delivery, signer);
            to = imilo.url() + " " + imilo.recordTypes();
        } else if (settings instanceof TransportSettings.DepartementFile file) {
            DepartementFileTransport outbox = new DepartementFileTransport(partnerId, file, properties.dataPath());
            transport = outbox;
            to = outbox.outbox().toString();
        } else {
            transport = new SpieJsonHttpTransport(delivery, http, signer);
            to = String.valueOf(delivery.url());
        }
        log.info("partner {}: transport {} to {}", partnerId, transport.name(), to);
        return transport;
    }

    private FranceTravailApiTransport franceTravail(String partnerId, TransportSettings.FranceTravailApi ft,
                                                           Delivery delivery) {
        FranceTravailApiConfig.Agent agent = new FranceTravailApiConfig.Agent(ft.agentId(), ft.agentName(),
                ft.agentGivenName());
        FranceTravailApiConfig config = new FranceTravailApiConfig(ft.apiUrl(), ft.authUrl(), ft.clientId(),
                ft.clientSecret(), ft.scope(), agent, partnerId, delivery.timeout());
        HttpClient client = HttpClient.newBuilder().connectTimeout(delivery.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build();
        return new FranceTravailApiTransport(new FranceTravailApiClient(config, client, Clock.systemUTC()),
                new FranceTravailApiOutboundMapper(agent), franceTravailAppointments,
                FranceTravailApiTransport.claimStaleness(delivery.timeout()));
    }
}
