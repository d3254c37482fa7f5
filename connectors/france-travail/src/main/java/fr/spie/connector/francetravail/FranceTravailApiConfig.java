package fr.spie.connector.francetravail;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * @param apiBaseUrl   e.g. https://api.francetravail.io (paths start with /partenaire/...)
 * @param authBaseUrl  e.g. https://entreprise.francetravail.fr (token at /connexion/oauth2/access_token?realm=/partenaire)
 * @param clientId     OAuth2 client id
 * @param clientSecret OAuth2 client secret
 * @param scope        space separated scopes, e.g. "api_rechercher-usagerv2 rechercheusager api_orientationusagerv1 ..."
 * @param agent        the pa-* agent headers (BATCH for batch calls)
 * @param partnerId    gateway partner id of this France Travail endpoint (e.g. ft-51), put on SPIE organisations; or null
 * @param timeout      per-request timeout
 */
public record FranceTravailApiConfig(URI apiBaseUrl, URI authBaseUrl, String clientId, String clientSecret, String scope,
                                     Agent agent, String partnerId, Duration timeout) {

    public FranceTravailApiConfig {
        Objects.requireNonNull(apiBaseUrl, "apiBaseUrl");
        Objects.requireNonNull(authBaseUrl, "authBaseUrl");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientSecret, "clientSecret");
        Objects.requireNonNull(scope, "scope");
        agent = agent == null ? Agent.BATCH : agent;
        timeout = timeout == null ? Duration.ofSeconds(30) : timeout;
        if (partnerId != null && !FtCodes.PARTNER_ID.matcher(partnerId).matches()) {
            throw new IllegalArgumentException("partnerId must match " + FtCodes.PARTNER_ID.pattern());
        }
    }

    @Override
    public String toString() {
        return "FranceTravailApiConfig[apiBaseUrl=" + apiBaseUrl + ", authBaseUrl=" + authBaseUrl + ", clientId=" + clientId
                + ", clientSecret=***, scope=" + scope + ", agent=" + agent + ", partnerId=" + partnerId + ", timeout=" + timeout + "]";
    }

    /** The agent on whose behalf calls are made: headers pa-identifiant-agent, pa-nom-agent, pa-prenom-agent. */
    public record Agent(String identifiant, String nom, String prenom) {
        public static final Agent BATCH = new Agent("BATCH", "BATCH", "BATCH");

        public Agent {
            Objects.requireNonNull(identifiant, "identifiant");
            Objects.requireNonNull(nom, "nom");
            Objects.requireNonNull(prenom, "prenom");
        }
    }
}
