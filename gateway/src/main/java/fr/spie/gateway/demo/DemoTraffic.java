package fr.spie.gateway.demo;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The demo partners at work: each valid example envelope of the SPIE schema is submitted through the real HTTP API
 * as its sender would (client certificate over HTTPS, or demo token: {@link DemoClients}), as a new exchange. Then
 * the console says where to look.
 */
public class DemoTraffic {
    private static final Logger log = LoggerFactory.getLogger(DemoTraffic.class);
    private static final String EXAMPLES = "classpath*:spie/examples/v1/*/*.valid.json";

    private final JsonMapper mapper = JsonMapper.builder().build();
    private final List<ObjectNode> examples;
    private final Clock clock;

    public DemoTraffic() throws IOException {
        this(Clock.systemUTC());
    }

    DemoTraffic(Clock clock) throws IOException {
        this.clock = clock;
        Resource[] resources = new PathMatchingResourcePatternResolver().getResources(EXAMPLES);
        Arrays.sort(resources, Comparator.comparing(Resource::getDescription));
        List<ObjectNode> loaded = new ArrayList<>();
        for (Resource resource : resources) {
            try (InputStream in = resource.getInputStream()) {
                loaded.add((ObjectNode) mapper.readTree(in));
            }
        }
        this.examples = List.copyOf(loaded);
    }

    /** Submits every example once, as new exchanges; returns the accepted exchange ids with their senders. */
    public List<Submitted> round(DemoClients clients) {
        List<Submitted> accepted = new ArrayList<>();
        for (ObjectNode example : examples) {
            ObjectNode envelope = fresh(example);
            UUID exchangeId = UUID.fromString(envelope.path("exchangeId").asString());
            String source = envelope.path("source").asString();
            DemoClients.Channel channel = clients.channel(source);
            HttpRequest.Builder request = HttpRequest.newBuilder(channel.base().resolve("/api/v1/exchanges"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(envelope)));
            if (channel.bearer() != null) {
                request.header("Authorization", "Bearer " + channel.bearer());
            }
            try {
                HttpResponse<String> response = channel.http().send(request.build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 202) {
                    accepted.add(new Submitted(exchangeId, source, envelope.path("recordType").asString()));
                } else {
                    log.warn("demo: {} example from {} answered {}", envelope.path("recordType").asString(), source,
                            response.statusCode());
                }
            } catch (IOException e) {
                log.warn("demo: cannot reach the gateway: {}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return accepted;
            }
        }
        return accepted;
    }

    /**
     * The example as a new exchange: a new exchange id, occurred now (RFC 3339 with seconds: {@code Instant}'s form,
     * not {@code OffsetDateTime}'s, which drops {@code :00} seconds and so failed the schema one second a minute),
     * and a new consent id for a consent given again.
     */
    ObjectNode fresh(ObjectNode example) {
        ObjectNode envelope = example.deepCopy();
        envelope.put("exchangeId", UUID.randomUUID().toString());
        envelope.put("occurredAt", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
        if ("consent".equals(envelope.path("recordType").asString())
                && !envelope.path("payload").has("withdrawnAt")) {
            // a consent given again is a new consent (its id once registered is taken: 409); a withdrawal
            // example keeps its id and withdraws the same consent again, which is accepted
            ((ObjectNode) envelope.path("payload")).put("consentId", UUID.randomUUID().toString());
        }
        return envelope;
    }

    /** The examples, as read. */
    List<ObjectNode> examples() {
        return examples;
    }

    /** Reads an exchange's status as its sender would. */
    public JsonNode status(DemoClients clients, Submitted submitted) throws IOException, InterruptedException {
        DemoClients.Channel channel = clients.channel(submitted.source());
        HttpRequest.Builder request = HttpRequest.newBuilder(channel.base().resolve("/api/v1/exchanges/"
                + submitted.exchangeId())).GET();
        if (channel.bearer() != null) {
            request.header("Authorization", "Bearer " + channel.bearer());
        }
        return mapper.readTree(channel.http().send(request.build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    public int exampleCount() {
        return examples.size();
    }

    /** An exchange the demo submitted. */
    public record Submitted(UUID exchangeId, String source, String recordType) {
    }
}
