package fr.spie.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Domain code stays free of frameworks; the CLI never starts Spring or Camel to run. */
class ArchitectureTest {
    private static final JavaClasses GATEWAY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("fr.spie.gateway");

    @Test
    void routingPolicyPrivacyConfigAndLedgerAreFrameworkFree() {
        noClasses().that().resideInAnyPackage("fr.spie.gateway.config..", "fr.spie.gateway.privacy..",
                        "fr.spie.gateway.ledger..")
                .or().haveSimpleNameStartingWith("RoutingPolicy").or().haveSimpleName("RoutingDecision")
                .or().haveSimpleNameStartingWith("PayloadProjection").or().haveSimpleNameStartingWith("RoutingExplainer")
                .or().haveSimpleNameStartingWith("ConsentCheck").or().haveSimpleName("ConsentLookup")
                .or().haveSimpleNameStartingWith("Consent$").or().haveSimpleName("Consent")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "org.apache.camel..",
                        "jakarta.servlet..", "jakarta.jms..")
                .check(GATEWAY);
    }

    /**
     * The commands start no application context and no Camel: they may use Spring only to read the gateway's settings
     * as its start-up does (environment, config data, property sources), never its beans, web, JDBC or messaging.
     */
    @Test
    void theCliDoesNotDependOnSpringOrCamel() {
        noClasses().that().resideInAPackage("fr.spie.gateway.cli..")
                .should().dependOnClassesThat(JavaClass.Predicates.resideInAnyPackage("org.springframework..",
                                "org.apache.camel..")
                        .and(DescribedPredicate.not(JavaClass.Predicates.resideInAnyPackage(
                                "org.springframework.core.env..", "org.springframework.boot.context.config..",
                                "org.springframework.boot.context.properties.source..",
                                "org.springframework.boot.origin..", "org.springframework.boot.support.."))))
                .check(GATEWAY);
    }
}
