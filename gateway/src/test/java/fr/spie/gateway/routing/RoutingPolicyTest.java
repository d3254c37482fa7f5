package fr.spie.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.config.GatewayConfig;
import fr.spie.gateway.config.LegalBasis;
import fr.spie.gateway.config.Route;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoutingPolicyTest {
    private static final LegalBasis L262_40 = new LegalBasis("legal-obligation", "CASF art. L262-40");
    private static final LegalBasis PUBLIC_TASK = new LegalBasis("public-task", "CASF art. L262-29");

    private final RoutingPolicy policy = new RoutingPolicy();

    private static GatewayConfig config(Route... routes) {
        return new GatewayConfig("v", Instant.now(), Path.of("."), List.of(), List.of(routes), List.of());
    }

    private static Route route(String id, String type, String from, List<String> to, String purpose, LegalBasis b) {
        return new Route(id, "", Set.of(type), Set.of(from), to, purpose, b);
    }

    @Test
    void aRouteReleasesItsRecordTypesFromItsSendersToEachOfItsRecipients() {
        GatewayConfig config = config(route("r1", "rsa-situation", "caf-51", List.of("cd-51", "ft-51"),
                "rsa-orientation", L262_40));

        List<RoutingDecision> decisions = policy.decide(config,
                new RoutingPolicy.Request("caf-51", "rsa-situation", "rsa-orientation", "legal-obligation"));

        assertThat(decisions).extracting(RoutingDecision::recipient).containsExactly("cd-51", "ft-51");
        assertThat(decisions).allSatisfy(d -> {
            assertThat(d.deliver()).isTrue();
            assertThat(d.routeId()).isEqualTo("r1");
            assertThat(d.reason()).contains("CASF art. L262-40");
        });
    }

    @Test
    void nothingIsRoutedForAnotherSenderOrRecordType() {
        GatewayConfig config = config(route("r1", "rsa-situation", "caf-51", List.of("cd-51"), "rsa-orientation",
                L262_40));

        assertThat(policy.maySend(config, "caf-51", "rsa-situation")).isTrue();
        assertThat(policy.maySend(config, "ft-51", "rsa-situation")).isFalse();
        assertThat(policy.maySend(config, "caf-51", "orientation")).isFalse();
        assertThat(policy.decide(config, new RoutingPolicy.Request("ft-51", "rsa-situation", "rsa-orientation",
                "legal-obligation"))).isEmpty();
    }

    @Test
    void anotherPurposeIsBlockedWithTheRuleThatBlockedIt() {
        GatewayConfig config = config(route("r1", "rsa-situation", "caf-51", List.of("cd-51"), "rsa-orientation",
                L262_40));

        RoutingDecision decision = policy.decide(config, new RoutingPolicy.Request("caf-51", "rsa-situation",
                "marketing", "legal-obligation")).get(0);

        assertThat(decision.deliver()).isFalse();
        assertThat(decision.reason()).isEqualTo("route 'r1' is for purpose 'rsa-orientation', the exchange states "
                + "'marketing'");
    }

    @Test
    void anotherLegalBasisIsBlocked() {
        GatewayConfig config = config(route("r1", "rsa-situation", "caf-51", List.of("cd-51"), "rsa-orientation",
                L262_40));

        RoutingDecision decision = policy.decide(config, new RoutingPolicy.Request("caf-51", "rsa-situation",
                "rsa-orientation", "consent")).get(0);

        assertThat(decision.deliver()).isFalse();
        assertThat(decision.reason()).contains("legal-obligation").contains("consent");
    }

    @Test
    void aRecipientReachedByTwoRoutesIsDecidedOnceAndReleasedIfAnyRouteReleasesIt() {
        GatewayConfig config = config(
                route("strict", "orientation", "cd-51", List.of("ft-51"), "rsa-follow-up", PUBLIC_TASK),
                route("main", "orientation", "cd-51", List.of("ft-51", "ml-reims"), "rsa-orientation", PUBLIC_TASK));

        List<RoutingDecision> decisions = policy.decide(config, new RoutingPolicy.Request("cd-51", "orientation",
                "rsa-orientation", "public-task"));

        assertThat(decisions).hasSize(2);
        assertThat(decisions.get(0).recipient()).isEqualTo("ft-51");
        assertThat(decisions.get(0).deliver()).isTrue();
        assertThat(decisions.get(0).routeId()).isEqualTo("main");
        assertThat(decisions.get(1).recipient()).isEqualTo("ml-reims");
    }
}
