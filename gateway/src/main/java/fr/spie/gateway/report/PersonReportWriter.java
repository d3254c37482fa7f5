package fr.spie.gateway.report;

import fr.spie.gateway.audit.AuditEvent;
import fr.spie.gateway.audit.AuditEventType;
import fr.spie.gateway.config.GatewayConfig;
import fr.spie.gateway.config.Partner;
import fr.spie.gateway.config.Route;
import fr.spie.gateway.consent.WithdrawalNotices;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds a person's access report ("who received my data, when and why") from the DELIVERED events of the audit
 * trail, in plain French. Framework-free: the events come from the database or from an export.
 */
public final class PersonReportWriter {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.FRENCH);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH'h'mm", Locale.FRENCH);

    private static final Map<String, String> CATEGORIES = Map.ofEntries(
            Map.entry("person", "votre identité et vos coordonnées"),
            Map.entry("rsa-situation", "votre situation au regard du RSA"),
            Map.entry("jobseeker-situation", "votre situation de demandeur d'emploi"),
            Map.entry("youth-support", "votre accompagnement de jeune (CEJ, PACEA)"),
            Map.entry("orientation", "votre orientation"),
            Map.entry("diagnostic", "votre diagnostic socio-professionnel"),
            Map.entry("engagement-contract", "votre contrat d'engagement (CER, PPAE, CEJ, PACEA)"),
            Map.entry("appointment", "vos rendez-vous"),
            Map.entry("referent-assignment", "votre référent de parcours"),
            Map.entry("consent", "vos consentements"),
            Map.entry(WithdrawalNotices.NOTICE_TYPE, "l'information du retrait de votre consentement"));
    private static final Map<String, String> PURPOSES = Map.of(
            "rsa-orientation", "l'orientation des bénéficiaires du RSA",
            "rsa-follow-up", "le suivi du parcours d'insertion des bénéficiaires du RSA",
            "youth-follow-up", "le suivi des jeunes accompagnés",
            "social-support", "l'accompagnement social",
            "consent-management", "la gestion de vos consentements");
    private static final Map<String, String> BASES = Map.of(
            "consent", "votre consentement",
            "contract", "un contrat",
            "legal-obligation", "une obligation légale",
            "vital-interests", "la sauvegarde d'intérêts vitaux",
            "public-task", "une mission de service public",
            "legitimate-interests", "un intérêt légitime");

    /** The source of the exchanges the gateway makes itself (withdrawal notices). */
    private static final String GATEWAY = "gateway";

    private final PersonReportPolicy policy;

    public PersonReportWriter(PersonReportPolicy policy) {
        this.policy = policy;
    }

    /**
     * @param events     audit events of the person (any type: only DELIVERED ones are reported)
     * @param searchedBy the kinds of keys searched, for the report's header
     * @param config     the configuration in force (organisation names, legal basis references)
     */
    public PersonAccessReport write(List<AuditEvent> events, List<String> searchedBy, GatewayConfig config,
                                    Instant now) {
        return write(events, true, searchedBy, config, now);
    }

    /**
     * @param events     the person's audit events in trail order, the oldest first
     * @param complete   false when the person has later events than these (a report cut at a limit): the report
     *                   says that the latest deliveries are missing
     * @param searchedBy the kinds of keys searched, for the report's header
     * @param config     the configuration in force (organisation names, legal basis references)
     */
    public PersonAccessReport write(List<AuditEvent> events, boolean complete, List<String> searchedBy,
                                    GatewayConfig config, Instant now) {
        List<PersonAccessReport.Entry> entries = new ArrayList<>();
        int withheld = 0;
        Set<String> told = new HashSet<>();
        for (AuditEvent e : events) {
            if (e.type() != AuditEventType.DELIVERED || policy.hiddenPurposes().contains(e.purpose())) {
                continue;
            }
            if (!told.add(e.exchangeId() + " " + e.recipient())) {
                // the same record to the same recipient again (a delivery queued again by an admin after a restore,
                // sent with the same Idempotency-Key): one delivery, told once, at its first acknowledgement
                continue;
            }
            Duration delay = policy.delayedPurposes().get(e.purpose());
            if (delay != null && e.recordedAt().plus(delay).isAfter(now)) {
                withheld++;
                continue;
            }
            entries.add(new PersonAccessReport.Entry(e.recordedAt(), organisation(config, e.recipient()),
                    organisation(config, e.sourcePartner()),
                    CATEGORIES.getOrDefault(e.recordType(), "des données (" + e.recordType() + ")"),
                    purpose(e.purpose()), basis(config, e),
                    e.exchangeId() == null ? null : e.exchangeId().toString()));
        }
        entries.sort(Comparator.comparing(PersonAccessReport.Entry::deliveredAt));
        return new PersonAccessReport(now, List.copyOf(searchedBy), List.copyOf(entries), withheld, complete,
                text(entries, withheld, complete, searchedBy, now));
    }

    /** A purpose in French; one the report has no wording for is named as a purpose, by its code. */
    private static String purpose(String code) {
        String known = code == null ? null : PURPOSES.get(code);
        return known != null ? known : "la finalité « " + code + " »";
    }

    private static String organisation(GatewayConfig config, String partnerId) {
        if (partnerId == null) {
            return "un organisme";
        }
        return config.partner(partnerId).map(Partner::name)
                .orElse(GATEWAY.equals(partnerId) ? "la passerelle SPIE" : partnerId);
    }

    private static String basis(GatewayConfig config, AuditEvent e) {
        String label = BASES.getOrDefault(e.legalBasisType(), e.legalBasisType());
        if (WithdrawalNotices.NOTICE_TYPE.equals(e.recordType())) {
            // the gateway's own notice to the recipients of a withdrawn consent: not the route's basis
            return label + " (RGPD art. 19)";
        }
        String reference = config.routes().stream().filter(r -> r.id().equals(e.routeId())).findFirst()
                .map(Route::legalBasis).filter(b -> b.type().equals(e.legalBasisType()))
                .map(b -> b.reference()).orElse(null);
        return reference == null ? label : label + " (" + reference + ")";
    }

    private static String text(List<PersonAccessReport.Entry> entries, int withheld, boolean complete,
                               List<String> searchedBy, Instant now) {
        StringBuilder b = new StringBuilder();
        b.append("Relevé des transmissions de vos données, établi le ").append(day(now.atZone(PARIS)))
                .append(".\n");
        b.append("Vous avez été recherché(e) par : ").append(String.join(", ", searchedBy)).append(".\n\n");
        if (entries.isEmpty() && withheld > 0) {
            // deliveries there were, only not told yet: "nobody received anything" would be untrue
            b.append("Aucun envoi de vos données ne peut encore vous être indiqué.\n");
        } else if (entries.isEmpty()) {
            b.append("Aucun organisme n'a reçu de données vous concernant par la passerelle SPIE.\n");
        } else {
            b.append(entries.size() == 1 ? "Un envoi de vos données a eu lieu :\n"
                    : entries.size() + " envois de vos données ont eu lieu :\n");
            for (PersonAccessReport.Entry e : entries) {
                var at = e.deliveredAt().atZone(PARIS);
                b.append("- le ").append(day(at)).append(" à ").append(TIME.format(at)).append(", ")
                        .append(e.recipient()).append(" a reçu ").append(e.category()).append(", transmis(e) par ")
                        .append(e.sender()).append(", pour ").append(e.purpose()).append(". Fondement : ")
                        .append(e.legalBasis()).append(".\n");
            }
        }
        if (!complete) {
            // no count: the deliveries examined include those of hidden purposes, which must not be countable
            b.append('\n').append("Ce relevé ne montre que les premiers envois enregistrés : les envois plus récents "
                    + "n'y figurent pas. Demandez-en la suite au délégué à la protection des données.\n");
        }
        if (withheld > 0) {
            String later;
            if (entries.isEmpty()) {
                later = withheld == 1 ? "Un envoi de vos données sera indiqué"
                        : withheld + " envois de vos données seront indiqués";
            } else {
                later = withheld == 1 ? "Un autre envoi sera indiqué" : withheld + " autres envois seront indiqués";
            }
            b.append('\n').append(later).append(" ultérieurement, dans les délais prévus par la loi.\n");
        }
        b.append("\nPour toute question, vous pouvez vous adresser au délégué à la protection des données de "
                + "l'organisme qui vous a remis ce relevé.\n");
        return b.toString();
    }

    /** "1er mars 2025", "2 mars 2025": the first of the month is written as an ordinal in French. */
    static String day(java.time.temporal.TemporalAccessor date) {
        String text = DAY.format(date);
        return text.startsWith("1 ") ? "1er" + text.substring(1) : text;
    }
}
