package fr.spie.gateway.pull;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.connector.francetravail.FranceTravailApiClient;
import fr.spie.gateway.config.TransportSettings;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** The France Travail client of a partner's pulls: one per settings, a new one when a reload changes them. */
class FranceTravailClientsTest {
    static TransportSettings.FranceTravailApi settings(String clientSecret) {
        return new TransportSettings.FranceTravailApi(URI.create("https://api.francetravail.example"),
                URI.create("https://auth.francetravail.example"), "spie", clientSecret, "api_rechercher-usagerv2",
                null, null, null);
    }

    /**
     * Each reload that rotates the client secret gets a new client, kept (with its access token) for the pulls that
     * follow. Before: the client of the former settings was removed from inside ConcurrentHashMap.computeIfAbsent,
     * which a mapping function must not do: when both settings fell in one bin of the map, the new client was
     * attached to the removed entry and lost, and every later pull built a new client (and asked France Travail for
     * a new access token).
     */
    @Test
    void eachRotationGetsOneClientKeptForTheNextPulls() {
        FranceTravailClients clients = new FranceTravailClients();
        for (int rotation = 0; rotation < 100; rotation++) {
            FranceTravailApiClient client = clients.clientFor("ft-51", settings("secret-" + rotation));
            assertThat(clients.clientFor("ft-51", settings("secret-" + rotation))).as("after rotation " + rotation)
                    .isSameAs(client);
            assertThat(clients.clientFor("ft-51", settings("secret-" + rotation))).isSameAs(client);
        }
    }
}
