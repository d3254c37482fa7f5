package fr.spie.gateway.pull;

import fr.spie.connector.francetravail.FranceTravailApiClient;
import fr.spie.connector.francetravail.FranceTravailApiConfig;
import fr.spie.gateway.config.TransportSettings;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * One France Travail API client per pull partner and settings, so that its OAuth2 token is cached and renewed across
 * pulls; a configuration reload that changes the settings gets a new client.
 */
@Component
public class FranceTravailClients {
    private record Key(String partnerId, TransportSettings.FranceTravailApi settings) {
    }

    private final Map<Key, FranceTravailApiClient> clients = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public FranceTravailApiClient clientFor(String partnerId, TransportSettings.FranceTravailApi settings) {
        Key key = new Key(partnerId, settings);
        FranceTravailApiClient client = clients.computeIfAbsent(key, k -> {
            FranceTravailApiConfig config = new FranceTravailApiConfig(settings.apiUrl(), settings.authUrl(),
                    settings.clientId(), settings.clientSecret(), settings.scope(),
                    new FranceTravailApiConfig.Agent(settings.agentId(), settings.agentName(),
                            settings.agentGivenName()), partnerId, Duration.ofSeconds(30));
            return new FranceTravailApiClient(config, http, Clock.systemUTC());
        });
        // the client of the partner's former settings goes, outside computeIfAbsent: its mapping function must not
        // change the map (a removal from the new key's bin lost the new client)
        clients.keySet().removeIf(other -> other.partnerId().equals(partnerId) && !other.equals(key));
        return client;
    }
}
