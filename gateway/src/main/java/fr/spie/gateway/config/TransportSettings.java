package fr.spie.gateway.config;

import java.net.URI;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How the gateway hands records to one recipient: the {@code delivery.transport} of partners.yaml and its settings.
 * Secrets (client secret, API key) are never part of {@link #toString()}.
 */
public sealed interface TransportSettings {
    String SPIE_JSON = "spie-json";
    String FRANCE_TRAVAIL_API = "france-travail-api";
    String IMILO_API = "imilo-api";
    String DEPARTEMENT_FILE = "departement-file";
    List<String> NAMES = List.of(SPIE_JSON, FRANCE_TRAVAIL_API, IMILO_API, DEPARTEMENT_FILE);

    /** The transport's name in partners.yaml. */
    String name();

    /**
     * The SPIE envelope as JSON, HTTP POST to {@code delivery.url} (the default).
     *
     * @param signature HMAC signature of each request body, or null (none)
     */
    record SpieJson(Signature signature) implements TransportSettings {
        public SpieJson() {
            this(null);
        }

        @Override
        public String name() {
            return SPIE_JSON;
        }
    }

    /**
     * France Travail partner APIs: OAuth2 client credentials, rechercher-usager (NIR + birth date → jeton usager),
     * then orientation or rendez-vous-partenaire.
     *
     * @param apiUrl       base URL of the APIs (paths start with /partenaire/...)
     * @param authUrl      base URL of the token endpoint (/connexion/oauth2/access_token?realm=/partenaire)
     * @param clientId     OAuth2 client id
     * @param clientSecret OAuth2 client secret (from a placeholder: never written in the file)
     * @param scope        space-separated scopes
     * @param agentId      header pa-identifiant-agent
     * @param agentName    header pa-nom-agent
     * @param agentGivenName header pa-prenom-agent
     */
    record FranceTravailApi(URI apiUrl, URI authUrl, String clientId, String clientSecret, String scope,
                            String agentId, String agentName, String agentGivenName) implements TransportSettings {
        public static final Set<String> RECORD_TYPES = Set.of("orientation", "appointment");
        public static final String DEFAULT_AGENT = "BATCH";

        public FranceTravailApi {
            Objects.requireNonNull(apiUrl, "apiUrl");
            Objects.requireNonNull(authUrl, "authUrl");
            agentId = agentId == null ? DEFAULT_AGENT : agentId;
            agentName = agentName == null ? DEFAULT_AGENT : agentName;
            agentGivenName = agentGivenName == null ? DEFAULT_AGENT : agentGivenName;
        }

        @Override
        public String name() {
            return FRANCE_TRAVAIL_API;
        }

        @Override
        public String toString() {
            return "FranceTravailApi[apiUrl=" + apiUrl + ", authUrl=" + authUrl + ", clientId=" + clientId
                    + ", clientSecret=***, scope=" + scope + ", agent=" + agentId + "]";
        }
    }

    /**
     * i-milo API (behind Gravitee): the record mapped by the mission-locale connector, HTTP POST to
     * {@code url}/{resource} with header X-Gravitee-Api-Key.
     *
     * @param url         base URL of the i-milo API
     * @param apiKey      value of X-Gravitee-Api-Key (from a placeholder: never written in the file)
     * @param recordTypes the record types sent (a subset of appointment, orientation)
     * @param timeZone    the mission locale's time zone, in which i-milo reads appointment times (Europe/Paris when
     *                    null; Indian/Reunion, America/Martinique... overseas)
     */
    record ImiloApi(URI url, String apiKey, Set<String> recordTypes, ZoneId timeZone) implements TransportSettings {
        public static final Set<String> RECORD_TYPES = Set.of("appointment", "orientation");
        public static final ZoneId DEFAULT_TIME_ZONE = ZoneId.of("Europe/Paris");

        public ImiloApi {
            Objects.requireNonNull(url, "url");
            recordTypes = recordTypes == null || recordTypes.isEmpty() ? RECORD_TYPES : Set.copyOf(recordTypes);
            timeZone = timeZone == null ? DEFAULT_TIME_ZONE : timeZone;
        }

        public ImiloApi(URI url, String apiKey, Set<String> recordTypes) {
            this(url, apiKey, recordTypes, null);
        }

        @Override
        public String name() {
            return IMILO_API;
        }

        @Override
        public String toString() {
            return "ImiloApi[url=" + url + ", apiKey=***, recordTypes=" + recordTypes + ", timeZone=" + timeZone + "]";
        }
    }

    /**
     * CSV export files written atomically to an outbox folder, one file per record, with a département mapping read
     * in reverse.
     *
     * @param outbox        the outbox folder; a relative path is under the gateway's data directory
     * @param mappingName   name of a built-in mapping, or null
     * @param inlineMapping an inline mapping, or null
     * @param fileName      file name template: {@code {recordType}}, {@code {key}}, {@code {exchangeId}},
     *                      {@code {partner}}, {@code {receivedDate}} (yyyyMMdd, UTC)
     */
    record DepartementFile(String outbox, String mappingName, Map<String, Object> inlineMapping, String fileName)
            implements TransportSettings {
        public static final String DEFAULT_FILE_NAME = "spie-{recordType}-{key}.csv";
        public static final Set<String> FILE_NAME_VARIABLES =
                Set.of("recordType", "key", "exchangeId", "partner", "receivedDate");

        public DepartementFile {
            Objects.requireNonNull(outbox, "outbox");
            inlineMapping = inlineMapping == null ? null : Map.copyOf(inlineMapping);
            mappingName = mappingName == null && inlineMapping == null ? FileChannel.DEFAULT_MAPPING : mappingName;
            fileName = fileName == null ? DEFAULT_FILE_NAME : fileName;
        }

        @Override
        public String name() {
            return DEPARTEMENT_FILE;
        }
    }

    /**
     * {@code delivery.signature}: the header that carries the lowercase hex HMAC-SHA256 of the exact body bytes sent.
     *
     * @param header header name, e.g. X-Lapin-Signature
     * @param secret shared secret (from a placeholder: never written in the file)
     */
    record Signature(String header, String secret) {
        @Override
        public String toString() {
            return "Signature[header=" + header + ", secret=<redacted>]";
        }
    }
}
