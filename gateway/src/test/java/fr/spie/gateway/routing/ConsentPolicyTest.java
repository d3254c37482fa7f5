package fr.spie.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.config.GatewayConfig;
import fr.spie.gateway.config.LegalBasis;
import fr.spie.gateway.config.Partner;
import fr.spie.gateway.config.PartnerKind;
import fr.spie.gateway.config.Route;
import fr.spie.gateway.consent.Consent;
import fr.spie.gateway.consent.ConsentCheck;
import fr.spie.gateway.consent.ConsentLookup;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every decision branch of the routing policy once a route needs the person's consent. */
class ConsentPolicyTest {
    static final Instant NOW = Instant.parse("2025-06-01T10:00:00Z");
    static final String PERSON = "p".repeat(64);
    final RoutingPolicy policy = new RoutingPolicy();

    static Route consentRoute(Map<String, List<String>> release) {
        return new Route("diag-consent", "d", Set.of("diagnostic"), Set.of("cd-51"), List.of("ml-reims", "ft-51"),
                "social-support", new LegalBasis("consent", "RGPD art. 6(1)(a)"), null, release, true);
    }

    static GatewayConfig config(Route route) {
        return new GatewayConfig("v", NOW, Path.of("."), List.of(
                new Partner("ml-reims", PartnerKind.MISSION_LOCALE, "ML", Set.of(), null),
                new Partner("ft-51", PartnerKind.FRANCE_TRAVAIL, "FT", Set.of(), null)), List.of(route), List.of());
    }

    static Consent consent(List<String> recipients, List<String> purposes, List<Consent.DataCategory> data,
                           Instant given, Instant until, Instant withdrawn) {
        return new Consent(UUID.randomUUID(), PERSON, List.of("cd-51"), recipients, purposes, data,
                new LegalBasis("consent", "RGPD art. 6(1)(a)"), new Consent.CollectedBy("cd-51", "ref-1"),
                "signed-form", "GED-1", "v1", given, until, withdrawn, withdrawn == null ? null : "cd-51", List.of());
    }

    static Consent valid() {
        return consent(List.of("ml-reims"), List.of("social-support"),
                List.of(new Consent.DataCategory("diagnostic", List.of())), NOW.minusSeconds(3600), null, null);
    }

    RoutingDecision decide(Route route, String recipient, ConsentLookup lookup, String subject) {
        return policy.decide(config(route), new RoutingPolicy.Request("cd-51", "diagnostic", "social-support",
                "consent", subject), lookup, NOW).stream().filter(d -> d.recipient().equals(recipient))
                .findFirst().orElseThrow();
    }

    RoutingDecision decide(Consent... consents) {
        return decide(consentRoute(Map.of()), "ml-reims", p -> p.equals(PERSON) ? List.of(consents) : List.of(),
                PERSON);
    }

    @Test
    void consentBasisImpliesAConsentRequirementForTheRoutePurpose() {
        assertThat(consentRoute(Map.of()).consent().purposes()).containsExactly("social-support");
    }

    @Test
    void aValidConsentReleases() {
        Consent c = valid();
        RoutingDecision d = decide(c);
        assertThat(d.deliver()).isTrue();
        assertThat(d.rule()).isEqualTo(ConsentCheck.GRANTED);
        assertThat(d.consentId()).isEqualTo(c.id());
    }

    @Test
    void aConsentGivenToTheDepartementDoesNotReleaseTheRecordsOfAnotherSender() {
        Route fromBoth = new Route("diag-consent", "d", Set.of("diagnostic"), Set.of("cd-51", "ft-51"),
                List.of("ml-reims"), "social-support", new LegalBasis("consent", "RGPD art. 6(1)(a)"), null, Map.of(),
                true);
        Consent givenToTheDepartement = valid();
        ConsentLookup lookup = p -> p.equals(PERSON) ? List.of(givenToTheDepartement) : List.of();

        RoutingDecision fromFranceTravail = policy.decide(config(fromBoth), new RoutingPolicy.Request("ft-51",
                "diagnostic", "social-support", "consent", PERSON), lookup, NOW).get(0);
        assertThat(fromFranceTravail.deliver()).isFalse();
        assertThat(fromFranceTravail.rule()).isEqualTo(ConsentCheck.CONTROLLER);
        assertThat(fromFranceTravail.explained()).contains("was given to [cd-51], not to the sender 'ft-51'");

        RoutingDecision fromTheDepartement = policy.decide(config(fromBoth), new RoutingPolicy.Request("cd-51",
                "diagnostic", "social-support", "consent", PERSON), lookup, NOW).get(0);
        assertThat(fromTheDepartement.deliver()).isTrue();
    }

    @Test
    void aConsentNamingTheRecipientKindReleases() {
        assertThat(decide(consent(List.of("mission-locale"), List.of("social-support"),
                List.of(new Consent.DataCategory("diagnostic", List.of())), NOW.minusSeconds(1), null, null))
                .deliver()).isTrue();
    }

    @Test
    void aConsentNamingFranceTravailByItsFormerNameReleasesToFranceTravail() {
        Consent c = consent(List.of("pole-emploi"), List.of("social-support"),
                List.of(new Consent.DataCategory("diagnostic", List.of())), NOW.minusSeconds(1), null, null);
        RoutingDecision ft = decide(consentRoute(Map.of()), "ft-51", p -> List.of(c), PERSON);
        assertThat(ft.deliver()).as(ft.explained()).isTrue();
        assertThat(decide(consentRoute(Map.of()), "ml-reims", p -> List.of(c), PERSON).rule())
                .isEqualTo(ConsentCheck.RECIPIENT);
    }

    @Test
    void noConsentBlocks() {
        RoutingDecision d = decide();
        assertThat(d.deliver()).isFalse();
        assertThat(d.rule()).isEqualTo(ConsentCheck.MISSING);
    }

    @Test
    void aSubjectWithoutKeyBlocks() {
        RoutingDecision d = decide(consentRoute(Map.of()), "ml-reims", p -> List.of(valid()), null);
        assertThat(d.rule()).isEqualTo(ConsentCheck.MISSING);
        assertThat(d.deliver()).isFalse();
    }

    @Test
    void anotherRecipientIsBlockedWhileTheNamedOneProceeds() {
        Consent c = valid();
        Route route = consentRoute(Map.of());
        ConsentLookup lookup = p -> List.of(c);
        assertThat(decide(route, "ml-reims", lookup, PERSON).deliver()).isTrue();
        RoutingDecision ft = decide(route, "ft-51", lookup, PERSON);
        assertThat(ft.deliver()).isFalse();
        assertThat(ft.rule()).isEqualTo(ConsentCheck.RECIPIENT);
        assertThat(ft.reason()).contains("ft-51", "france-travail");
    }

    @Test
    void anotherPurposeBlocks() {
        RoutingDecision d = decide(consent(List.of("ml-reims"), List.of("youth-follow-up"),
                List.of(new Consent.DataCategory("diagnostic", List.of())), NOW.minusSeconds(1), null, null));
        assertThat(d.rule()).isEqualTo(ConsentCheck.PURPOSE);
    }

    @Test
    void anotherRecordTypeBlocks() {
        RoutingDecision d = decide(consent(List.of("ml-reims"), List.of("social-support"),
                List.of(new Consent.DataCategory("appointment", List.of())), NOW.minusSeconds(1), null, null));
        assertThat(d.rule()).isEqualTo(ConsentCheck.CATEGORY);
    }

    @Test
    void fieldsOutsideTheConsentedFieldsBlockAndFieldsWithinRelease() {
        Consent c = consent(List.of("ml-reims"), List.of("social-support"),
                List.of(new Consent.DataCategory("diagnostic", List.of("/date", "/needs"))), NOW.minusSeconds(1),
                null, null);
        ConsentLookup lookup = p -> List.of(c);
        assertThat(decide(consentRoute(Map.of()), "ml-reims", lookup, PERSON).rule())
                .as("whole record released").isEqualTo(ConsentCheck.FIELDS);
        assertThat(decide(consentRoute(Map.of("ml-reims", List.of("/date", "/constraints"))), "ml-reims", lookup,
                PERSON).rule()).isEqualTo(ConsentCheck.FIELDS);
        assertThat(decide(consentRoute(Map.of("ml-reims", List.of("/date", "/needs/housing"))), "ml-reims", lookup,
                PERSON).deliver()).isTrue();
    }

    @Test
    void theFieldsOfEveryCategoryOfTheRecordTypeAreConsented() {
        Consent c = consent(List.of("ml-reims"), List.of("social-support"),
                List.of(new Consent.DataCategory("diagnostic", List.of("/date")),
                        new Consent.DataCategory("diagnostic", List.of("/needs"))), NOW.minusSeconds(1), null, null);
        RoutingDecision d = decide(consentRoute(Map.of("ml-reims", List.of("/date", "/needs"))), "ml-reims",
                p -> List.of(c), PERSON);
        assertThat(d.deliver()).as(d.explained()).isTrue();
        assertThat(decide(consentRoute(Map.of("ml-reims", List.of("/date", "/constraints"))), "ml-reims",
                p -> List.of(c), PERSON).rule()).isEqualTo(ConsentCheck.FIELDS);
    }

    @Test
    void consentedFieldsIgnoreArrayIndexesLikeReleasePointers() {
        Consent c = consent(List.of("ml-reims"), List.of("social-support"),
                List.of(new Consent.DataCategory("diagnostic", List.of("/date", "/needs/0/theme"))),
                NOW.minusSeconds(1), null, null);
        ConsentLookup lookup = p -> List.of(c);
        RoutingDecision theme = decide(consentRoute(Map.of("ml-reims", List.of("/date", "/needs/theme"))), "ml-reims",
                lookup, PERSON);
        assertThat(theme.deliver()).as(theme.explained()).isTrue();
        assertThat(theme.rule()).isEqualTo(ConsentCheck.GRANTED);
        RoutingDecision wholeNeeds = decide(consentRoute(Map.of("ml-reims", List.of("/date", "/needs"))), "ml-reims",
                lookup, PERSON);
        assertThat(wholeNeeds.rule()).as("the theme of the needs does not cover the whole needs")
                .isEqualTo(ConsentCheck.FIELDS);
        assertThat(wholeNeeds.reason()).contains("/needs/theme", "also releases /needs");
    }

    @Test
    void aConsentedFieldMadeOnlyOfIndexesCoversNothing() {
        Consent c = consent(List.of("ml-reims"), List.of("social-support"),
                List.of(new Consent.DataCategory("diagnostic", List.of("/0"))), NOW.minusSeconds(1), null, null);
        RoutingDecision d = decide(consentRoute(Map.of("ml-reims", List.of("/date"))), "ml-reims", p -> List.of(c),
                PERSON);
        assertThat(d.deliver()).isFalse();
        assertThat(d.rule()).isEqualTo(ConsentCheck.FIELDS);
    }

    @Test
    void notYetValidExpiredAndWithdrawnBlock() {
        List<Consent.DataCategory> diag = List.of(new Consent.DataCategory("diagnostic", List.of()));
        assertThat(decide(consent(List.of("ml-reims"), List.of("social-support"), diag, NOW.plusSeconds(60), null,
                null)).rule()).isEqualTo(ConsentCheck.NOT_YET_VALID);
        assertThat(decide(consent(List.of("ml-reims"), List.of("social-support"), diag, NOW.minusSeconds(60),
                NOW.minusSeconds(1), null)).rule()).isEqualTo(ConsentCheck.EXPIRED);
        RoutingDecision withdrawn = decide(consent(List.of("ml-reims"), List.of("social-support"), diag,
                NOW.minusSeconds(60), null, NOW.minusSeconds(1)));
        assertThat(withdrawn.rule()).isEqualTo(ConsentCheck.WITHDRAWN);
        assertThat(withdrawn.reason()).contains("withdrawn at");
    }

    @Test
    void theReasonIsTheOneOfTheClosestConsent() {
        Consent otherRecipient = consent(List.of("ccas-reims"), List.of("social-support"),
                List.of(new Consent.DataCategory("diagnostic", List.of())), NOW.minusSeconds(60), null, null);
        Consent withdrawn = consent(List.of("ml-reims"), List.of("social-support"),
                List.of(new Consent.DataCategory("diagnostic", List.of())), NOW.minusSeconds(60), null,
                NOW.minusSeconds(1));
        RoutingDecision d = decide(otherRecipient, withdrawn);
        assertThat(d.rule()).isEqualTo(ConsentCheck.WITHDRAWN);
        assertThat(d.consentId()).isEqualTo(withdrawn.id());
        assertThat(decide(withdrawn, valid()).deliver()).as("one valid consent suffices").isTrue();
    }

    @Test
    void offlineTheConsentIsNotChecked() {
        RoutingDecision d = decide(consentRoute(Map.of()), "ml-reims", null, PERSON);
        assertThat(d.deliver()).isTrue();
        assertThat(d.rule()).isEqualTo(RoutingDecision.CONSENT_NOT_CHECKED);
        assertThat(d.reason()).contains("not checked offline");
    }

    @Test
    void purposeAndBasisMismatchAreDecidedBeforeConsent() {
        GatewayConfig config = config(consentRoute(Map.of()));
        ConsentLookup lookup = p -> List.of(valid());
        assertThat(policy.decide(config, new RoutingPolicy.Request("cd-51", "diagnostic", "rsa-follow-up", "consent",
                PERSON), lookup, NOW).get(0).rule()).isEqualTo(RoutingDecision.PURPOSE_MISMATCH);
        assertThat(policy.decide(config, new RoutingPolicy.Request("cd-51", "diagnostic", "social-support",
                "public-task", PERSON), lookup, NOW).get(0).rule()).isEqualTo(RoutingDecision.BASIS_MISMATCH);
    }

    @Test
    void aRouteWithoutConsentRequirementReleasesWithoutLookingUp() {
        Route route = new Route("r", "d", Set.of("diagnostic"), Set.of("cd-51"), List.of("ml-reims"), "social-support",
                new LegalBasis("public-task", "x"));
        RoutingDecision d = policy.decide(config(route), new RoutingPolicy.Request("cd-51", "diagnostic",
                "social-support", "public-task", PERSON), p -> {
            throw new AssertionError("no lookup");
        }, NOW).get(0);
        assertThat(d.rule()).isEqualTo(RoutingDecision.RELEASED);
    }

    @Test
    void theExplainerProjectsThePayloadPerRecipient() throws Exception {
        Route route = consentRoute(Map.of("ml-reims", List.of("/date", "/needs")));
        var envelope = tools.jackson.databind.json.JsonMapper.builder().build().readTree("""
                {"source": "cd-51", "recordType": "diagnostic", "purpose": "social-support",
                 "legalBasis": {"type": "consent"}, "payload": {"date": "2025-01-01", "needs": {"housing": "need"},
                 "constraints": ["secret"]}}""");
        RoutingExplainer.Explanation e = new RoutingExplainer().explain(config(route), envelope, null, null, NOW);
        assertThat(e.notes()).anyMatch(n -> n.contains("consent not checked offline"));
        RoutingExplainer.RecipientExplanation ml = e.recipients().get(0);
        assertThat(ml.recipient()).isEqualTo("ml-reims");
        assertThat(ml.projectedPayload().toString()).isEqualTo("{\"date\":\"2025-01-01\",\"needs\":{\"housing\":\"need\"}}");
        assertThat(e.recipients().get(1).releasedFields()).isNull();
        assertThat(e.recipients().get(1).projectedPayload().has("constraints")).isTrue();
    }
}
