package fr.spie.gateway.outbound;

import fr.spie.connector.francetravail.FranceTravailApiClient;
import fr.spie.connector.francetravail.FranceTravailApiException;
import fr.spie.connector.francetravail.FranceTravailApiOutboundMapper;
import fr.spie.connector.francetravail.UsagerSearchResult;
import fr.spie.gateway.config.TransportSettings;
import fr.spie.gateway.delivery.DeliveryFailure;
import fr.spie.gateway.delivery.DeliveryTask;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Optional;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Transport france-travail-api: finds the person at France Travail with rechercher-usager (the subject's NIR and
 * birth date → jeton usager), then sends an {@code orientation} to the orientation API or an {@code appointment} to
 * rendez-vous-partenaire. One {@link FranceTravailApiClient} per partner, so the OAuth2 token is cached and renewed
 * once for all of its consumers (a 401 renews it inside the client).
 *
 * <p>An appointment with an {@code id} (schema 1.1) is created once per recipient: the first record is a POST, and
 * France Travail's id of the rendez-vous, from its answer, is kept ({@link FranceTravailAppointments}); a later record
 * of the same appointment (same source, same id) is a PUT of its new state with that id — a cancellation is the PUT
 * with statut ANNULE. A PUT France Travail answers with "unknown id" is followed by a POST, whose id replaces the old
 * one. An appointment without {@code id} is POSTed each time: nothing tells it from a new one.
 *
 * <p>Outcomes: S002 (nobody), S003 (several persons: never guessed), 403/R001 (no access), a record type or a record
 * France Travail does not take, other 4xx → not retryable (dead letter at once). 429 → retryable after Retry-After,
 * 5xx and network errors → retryable. Messages carry no NIR, no jeton, no secret.
 */
public final class FranceTravailApiTransport implements OutboundTransport {
    static final Set<String> RECORD_TYPES = TransportSettings.FranceTravailApi.RECORD_TYPES;

    private static final Logger log = LoggerFactory.getLogger(FranceTravailApiTransport.class);

    private final FranceTravailApiClient client;
    private final FranceTravailApiOutboundMapper mapper;
    private static final Duration CLAIM_POLL = Duration.ofMillis(100);

    private final FranceTravailAppointments appointments;
    private final Duration claimStale;

    /**
     * @param claimStale how long another attempt's claim on the creation of a rendez-vous is waited for before it is
     *                   taken over (its holder stopped mid-POST): {@link #claimStaleness}
     */
    public FranceTravailApiTransport(FranceTravailApiClient client, FranceTravailApiOutboundMapper mapper,
                                     FranceTravailAppointments appointments, Duration claimStale) {
        this.client = Objects.requireNonNull(client, "client");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.appointments = Objects.requireNonNull(appointments, "appointments");
        this.claimStale = Objects.requireNonNull(claimStale, "claimStale");
    }

    /**
     * A claim is stale once its holder could have had a token, a rechercher-usager and a POST answered, each within
     * the recipient's timeout, and a margin: three timeouts and 5 s.
     */
    static Duration claimStaleness(Duration timeout) {
        return timeout.multipliedBy(3).plusSeconds(5);
    }

    @Override
    public String name() {
        return TransportSettings.FRANCE_TRAVAIL_API;
    }

    @Override
    public String deliver(DeliveryTask task, String envelope) {
        OutboundEnvelope record = OutboundEnvelope.parse(envelope);
        String type = record.recordType();
        if (!RECORD_TYPES.contains(type)) {
            throw new DeliveryFailure("record type '" + type + "' is not taken by France Travail's partner APIs"
                    + " (transport france-travail-api sends " + String.join(", ", new TreeSet<>(RECORD_TYPES))
                    + ")", false);
        }
        try {
            mapper.map(type, record.subject(), record.payload()); // refused before anyone is looked up
        } catch (IllegalArgumentException e) {
            throw new DeliveryFailure("not expressible for France Travail: " + e.getMessage(), false);
        }
        String nir = record.subject().path("nir").asString(null);
        if (nir == null || nir.isBlank()) {
            throw new DeliveryFailure("the subject has no NIR: France Travail finds a person by NIR and birth date",
                    false);
        }
        LocalDate birthDate;
        try {
            birthDate = LocalDate.parse(record.subject().path("birthDate").asString(""));
        } catch (DateTimeParseException e) {
            throw new DeliveryFailure("the subject has no full birth date: France Travail finds a person by NIR and"
                    + " birth date", false);
        }
        try {
            UsagerSearchResult found = client.rechercherUsager(nir, birthDate);
            if (found instanceof UsagerSearchResult.NotFound) {
                throw new DeliveryFailure("person not found at France Travail (rechercher-usager " + found.code()
                        + ")", false);
            }
            if (found instanceof UsagerSearchResult.Ambiguous) {
                throw new DeliveryFailure("several persons match at France Travail (rechercher-usager "
                        + found.code() + "): not guessed, to be resolved by an agent", false);
            }
            if (!(found instanceof UsagerSearchResult.Found person)) {
                throw new DeliveryFailure("France Travail refuses access to this person (rechercher-usager "
                        + found.code() + ": no habilitation or out of territory)", false);
            }
            String jeton = person.jetonUsager();
            // France Travail chose the job seeker; an uncertified identity is said, for the auditor, not refused
            String identity = person.identityUncertified()
                    ? " (France Travail found the job seeker by a NIR it says is not certified)" : "";
            if ("orientation".equals(type)) {
                client.sendOrientation(jeton, record.payload());
                return "orientation sent to France Travail" + identity;
            }
            return sendAppointment(task, jeton, record.payload()) + identity;
        } catch (FranceTravailApiException e) {
            throw new DeliveryFailure(e.getMessage(), e.retryable(), e.retryAfter().orElse(null));
        } catch (IllegalArgumentException e) {
            throw new DeliveryFailure("not sent to France Travail: " + e.getMessage(), false);
        }
    }

    /**
     * POST the first time this recipient gets the appointment, PUT with France Travail's id afterwards; returns which
     * was done, and why a POST when the appointment had been sent before.
     */
    private String sendAppointment(DeliveryTask task, String jeton, ObjectNode payload)
            throws FranceTravailApiException {
        JsonNode idNode = payload.path("id");
        if (!idNode.isString()) {
            client.createAppointment(jeton, payload);
            return "rendez-vous created at France Travail (POST; the appointment has no id, so a later change of it"
                    + " is created again, not updated)";
        }
        String appointmentId = idNode.asString();
        String recipient = task.recipient();
        String source = task.exchange().sourcePartner();
        Optional<String> known = appointments.franceTravailId(recipient, source, appointmentId);
        String meanwhile = "";
        if (known.isEmpty()) {
            // claimed, or created meanwhile by another attempt of the same appointment (a probe on another instance)
            known = appointments.claimCreation(recipient, source, appointmentId, claimStale, CLAIM_POLL);
            meanwhile = known.isPresent() ? ", created meanwhile by another attempt" : "";
        }
        boolean lost = false;
        if (known.isPresent()) {
            if (client.updateAppointment(jeton, known.get(), payload)) {
                try {
                    appointments.used(recipient, source, appointmentId, known.get());
                } catch (DataAccessException e) {
                    // France Travail has the update: failing the delivery would only PUT it again
                    log.warn("France Travail ({}) updated the rendez-vous but its last use could not be recorded"
                            + " ({}): it may be forgotten sooner", recipient, e.getClass().getSimpleName());
                }
                return "rendez-vous updated at France Travail (PUT with the id its creation answered" + meanwhile
                        + ")";
            }
            log.info("France Travail ({}) no longer knows the rendez-vous it created for this appointment: created"
                    + " again", recipient);
            if (!appointments.claimRecreation(recipient, source, appointmentId, known.get())) {
                throw new DeliveryFailure("France Travail no longer knew this appointment's rendez-vous and another"
                        + " attempt is creating it again: retried, then updated", true);
            }
            lost = true;
        }
        // this attempt holds the claim: POST, then keep the id (or give the claim up if the POST failed)
        Optional<String> created;
        try {
            created = client.createAppointment(jeton, payload);
        } catch (FranceTravailApiException | RuntimeException e) {
            release(recipient, source, appointmentId);
            throw e;
        }
        String why = lost ? "France Travail no longer knew the rendez-vous created for it before"
                : "no France Travail id kept for this appointment: its first record, or its id unused for"
                        + " spie.retention.france-travail-appointments";
        String done = "rendez-vous created at France Travail (POST; " + why + ")";
        try {
            if (created.isPresent()) {
                appointments.remember(recipient, source, appointmentId, created.get());
            } else {
                appointments.forget(recipient, source, appointmentId);
                log.warn("France Travail ({}) answered the rendez-vous POST without an id: a later record of this"
                        + " appointment will be created again, not updated", recipient);
                return done + "; France Travail answered no id: a later change is created again";
            }
        } catch (DataAccessException e) {
            // France Travail has the rendez-vous: failing the delivery would POST it a second time
            log.warn("France Travail ({}) created the rendez-vous but its id could not be recorded ({}): a later"
                    + " record of this appointment will be created again, not updated", recipient,
                    e.getClass().getSimpleName());
            return done + "; its id could not be recorded: a later change is created again";
        }
        return done;
    }

    /** Gives up the claim of a POST that failed; if that fails too, the claim is taken over once stale. */
    private void release(String recipient, String source, String appointmentId) {
        try {
            appointments.release(recipient, source, appointmentId);
        } catch (DataAccessException e) {
            log.warn("France Travail ({}): the claim of a rendez-vous whose POST failed could not be given up ({}):"
                    + " the next attempt waits until it is stale", recipient, e.getClass().getSimpleName());
        }
    }
}
