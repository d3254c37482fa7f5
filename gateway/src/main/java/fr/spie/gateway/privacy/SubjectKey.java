package fr.spie.gateway.privacy;

import fr.spie.connector.identity.IdentifierIssuer;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The strongest stable key of a person found in an envelope's subject, normalised so that partners that spell it
 * differently still give the same key: the NIR's first 13 characters, else the first partner identifier that names
 * one person (with its issuer for the schemes that are unique within one organisation only), else a CAF/MSA matricule
 * with the person's first given name and birth date, else the identity pivot (birth name and first given name without
 * accents or case, birth date, sex; never without the given name), else a CAF/MSA matricule alone. Never leaves the process in clear: it is only the input of the keyed
 * pseudonym.
 *
 * <p>A CAF or MSA matricule (numéro d'allocataire) names a <em>household</em>: the applicant, the spouse and the
 * children of one file share it (the CNAF flux gives it to every person of the household). A person's key made from
 * it therefore also holds the person's first given name and birth date
 * ({@code id:caf-matricule@CAF511:2055990|ALICE|1980-01-15}); a subject named by the matricule alone gets a
 * {@code household:} key, under which no consent is ever filed ({@link #allOf}), so that the consent of one member
 * of a household never releases the records of another.
 */
public final class SubjectKey {
    /** The identifier schemes whose values are unique within their issuer only. */
    private static final java.util.Set<String> ISSUER_SCOPED = java.util.Set.of("caf-matricule", "msa-matricule",
            "departement-id");
    /** The identifier schemes that name a household (an allocataire's file), not one person. */
    private static final java.util.Set<String> HOUSEHOLD = java.util.Set.of("caf-matricule", "msa-matricule");
    /** France Travail's ids, whose case the channels do not keep alike ({@link #searchKeysOf}). */
    private static final String FRANCE_TRAVAIL_ID = "france-travail-id";
    private static final java.util.regex.Pattern WHITE_SPACE = java.util.regex.Pattern.compile("\\s+");
    /** The prefix of a key that names a household only. */
    public static final String HOUSEHOLD_PREFIX = "household:";
    /** Name normalisation: accents, then hyphens and apostrophes, then runs of spaces. */
    private static final java.util.regex.Pattern MARKS = java.util.regex.Pattern.compile("\\p{M}");
    private static final java.util.regex.Pattern SEPARATORS = java.util.regex.Pattern.compile("[-'’]");
    private static final java.util.regex.Pattern SPACES = java.util.regex.Pattern.compile("\\s+");

    private SubjectKey() {
    }

    public static Optional<String> of(JsonNode subject) {
        if (subject == null || !subject.isObject()) {
            return Optional.empty();
        }
        String nir = text(subject, "nir");
        if (!nir.isEmpty()) {
            String compact = nir.replace(" ", "").toUpperCase(Locale.ROOT);
            return Optional.of("nir:" + compact.substring(0, Math.min(13, compact.length())));
        }
        JsonNode identifiers = subject.path("identifiers");
        JsonNode household = null;
        for (int i = 0; identifiers.isArray() && i < identifiers.size(); i++) {
            JsonNode identifier = identifiers.get(i);
            if (!HOUSEHOLD.contains(text(identifier, "scheme"))) {
                if (namesNoOne(identifier)) {
                    continue;
                }
                return Optional.of(identifierKey(identifier));
            }
            household = household == null ? identifier : household;
        }
        if (household != null) {
            Optional<String> member = memberKey(household, subject);
            if (member.isPresent()) {
                return member;
            }
        }
        Optional<String> pivot = pivotOf(subject);
        if (pivot.isPresent() || household == null) {
            return pivot;
        }
        return Optional.of(HOUSEHOLD_PREFIX + identifierKey(household).substring("id:".length()));
    }

    /** A household's matricule with the person's first given name and birth date, when the subject gives both. */
    private static Optional<String> memberKey(JsonNode household, JsonNode subject) {
        JsonNode givenNames = subject.path("givenNames");
        String firstGiven = givenNames.isArray() && !givenNames.isEmpty()
                ? normaliseName(givenNames.get(0).asString("")) : "";
        String birthDate = text(subject, "birthDate");
        if (firstGiven.isEmpty() || birthDate.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(identifierKey(household) + "|" + firstGiven + "|" + birthDate);
    }

    /**
     * The identity pivot: birth name, first given name, birth date and sex (when given). Without a first given name
     * it is no key: a birth name and a birth date name everyone born that day under that name (twins of one household
     * among them), and a consent filed under them would release the records of each.
     */
    private static Optional<String> pivotOf(JsonNode subject) {
        String birthName = normaliseName(text(subject, "birthName"));
        String birthDate = text(subject, "birthDate");
        JsonNode givenNames = subject.path("givenNames");
        String firstGiven = givenNames.isArray() && !givenNames.isEmpty()
                ? normaliseName(givenNames.get(0).asString("")) : "";
        if (birthName.isEmpty() || firstGiven.isEmpty() || birthDate.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("pivot:" + birthName + "|" + firstGiven + "|" + birthDate + "|" + text(subject, "sex"));
    }

    /**
     * Every key the subject carries, strongest first: the NIR key, one key per partner identifier, the identity
     * pivot. A consent is filed under all of them, so an exchange that names the person by any one finds it. A
     * household's matricule gives an {@code id:} key (consents can be listed by it), never the {@code household:}
     * key an exchange that names the household only is looked up by: such an exchange finds no consent.
     */
    public static java.util.List<String> allOf(JsonNode subject) {
        java.util.List<String> keys = new java.util.ArrayList<>();
        if (subject == null || !subject.isObject()) {
            return keys;
        }
        of(subject).filter(k -> !k.startsWith(HOUSEHOLD_PREFIX)).ifPresent(keys::add);
        JsonNode identifiers = subject.path("identifiers");
        for (int i = 0; identifiers.isArray() && i < identifiers.size(); i++) {
            JsonNode identifier = identifiers.get(i);
            if (namesNoOne(identifier)) {
                continue;
            }
            if (HOUSEHOLD.contains(text(identifier, "scheme"))) {
                memberKey(identifier, subject).ifPresent(keys::add);
            }
            keys.add(identifierKey(identifier));
        }
        pivotOf(subject).ifPresent(keys::add);
        return keys.stream().distinct().toList();
    }

    /**
     * The keys a person's own search looks for ({@link #allOf}), the identity pivot taken with and without sex:
     * exchanges may carry the pivot with or without it, and an exchange sent without sex cannot say which of two
     * namesakes it is about. A search that gives no sex looks for the pivot with each sex and without; one that
     * gives a sex, for it with that sex and without. A France Travail id is looked for in the cases the channels
     * write it in ({@link #caseVariantsOf}).
     */
    public static java.util.List<String> searchKeysOf(JsonNode subject) {
        java.util.List<String> keys = new java.util.ArrayList<>(allOf(subject));
        // asked by a household's matricule alone: what was sent about the household alone
        of(subject).filter(k -> k.startsWith(HOUSEHOLD_PREFIX)).ifPresent(keys::add);
        keys.addAll(caseVariantsOf(subject));
        for (String key : java.util.List.copyOf(keys)) {
            if (key.startsWith("pivot:")) {
                String withoutSex = key.substring(0, key.lastIndexOf('|') + 1);
                keys.add(withoutSex);
                if (withoutSex.equals(key)) {
                    keys.add(withoutSex + "F");
                    keys.add(withoutSex + "M");
                }
            }
        }
        return keys.stream().distinct().toList();
    }

    /**
     * The keys of the subject's France Travail ids as the channels may have written them: the CAF flux, i-milo and
     * the départements' files upper-case the id and remove its spaces when they read it (their connectors), France
     * Travail's extract and the partners' envelopes keep it as they hold it (a job seeker number's letter in lower
     * case, an id in lower-case hexadecimal), and the key keeps the value as given. An id is France Travail's
     * whatever its case: its number as the person reads it on their papers must find the exchanges of every channel,
     * so it is searched as given, compact in upper case and compact in lower case.
     */
    private static java.util.List<String> caseVariantsOf(JsonNode subject) {
        java.util.List<String> keys = new java.util.ArrayList<>();
        JsonNode identifiers = subject == null ? null : subject.path("identifiers");
        for (int i = 0; identifiers != null && identifiers.isArray() && i < identifiers.size(); i++) {
            JsonNode identifier = identifiers.get(i);
            if (!FRANCE_TRAVAIL_ID.equals(text(identifier, "scheme"))) {
                continue;
            }
            String compact = WHITE_SPACE.matcher(text(identifier, "value")).replaceAll("");
            for (String value : new String[] {compact.toUpperCase(Locale.ROOT), compact.toLowerCase(Locale.ROOT)}) {
                keys.add("id:" + FRANCE_TRAVAIL_ID + ":" + value);
            }
        }
        return keys;
    }

    /** Upper case, no accents, single spaces, hyphens and apostrophes as spaces. */
    public static String normaliseName(String name) {
        String decomposed = MARKS.matcher(Normalizer.normalize(name, Normalizer.Form.NFD)).replaceAll("");
        return SPACES.matcher(SEPARATORS.matcher(decomposed.toUpperCase(Locale.ROOT)).replaceAll(" "))
                .replaceAll(" ").trim();
    }


    /**
     * Whether the identifier cannot name a person: a {@code departement-id} without its issuer. Every département
     * numbers its beneficiaries its own way, so cd-51's 123 and cd-08's 123 are two people; without the issuer it
     * could be either, and it is not a key at all (the subject's other keys are used). An envelope or a consent
     * from the département itself gets its issuer before it is keyed ({@link SenderIssuer}).
     */
    public static boolean namesNoOne(JsonNode identifier) {
        return SenderIssuer.DEPARTEMENT_ID.equals(text(identifier, "scheme"))
                && normaliseIssuer(text(identifier, "issuer")).isEmpty();
    }

    /**
     * The key of a partner identifier: {@code id:<scheme>:<value>}. A CAF or MSA matricule or a département's own id
     * is unique within the organisation that issued it only (DOMAIN.md: "CAF/MSA matricule + organisation"): when
     * the identifier names its issuer, the key holds it ({@code id:caf-matricule@CAF511:2055990}), so that the same
     * number at two CAFs gives two people. A matricule without an issuer stays {@code id:<scheme>:<value>}, which
     * matches only other matricules given without one; a departement-id without one is no key ({@link #namesNoOne}).
     */
    static String identifierKey(JsonNode identifier) {
        String scheme = text(identifier, "scheme");
        String issuer = ISSUER_SCOPED.contains(scheme) ? normaliseIssuer(text(identifier, "issuer")) : "";
        return "id:" + scheme + (issuer.isEmpty() ? "" : "@" + issuer) + ":"
                + normaliseIdentifier(scheme, text(identifier, "value"));
    }

    /** "CAF 511", "caf511" and "Caf-511 " alike: letters and digits only, upper case ("CAF511"). */
    static String normaliseIssuer(String issuer) {
        return IdentifierIssuer.normalise(issuer);
    }

    /**
     * A CAF/MSA matricule is 15 digits in CNAF files (the 7-digit number followed by eight zeros, leading zeros
     * sometimes dropped) and 7 in many other systems (leading zeros sometimes dropped too): it is keyed in connector-api's
     * {@code Matricule} normalised form (the 7-digit form when there is one). Other values are only trimmed.
     */
    static String normaliseIdentifier(String scheme, String value) {
        String trimmed = value.trim();
        if (HOUSEHOLD.contains(scheme)) {
            try {
                return fr.spie.connector.identity.Matricule.parse(trimmed).normalised();
            } catch (IllegalArgumentException notDigits) {
                return trimmed;
            }
        }
        return trimmed;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isString() ? value.asString().trim() : "";
    }
}
