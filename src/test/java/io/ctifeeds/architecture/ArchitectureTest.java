package io.ctifeeds.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The packages are layered without cycles, so that each concern can be read, tested and changed on its own: the
 * STIX model, IP values, safe display and configuration at the bottom; state, runs and bundles above them; the
 * feeds (IP lists, CrowdSec) and the sinks (OpenCTI, dead letters) above those; observation and operations on
 * top; the application root wires them.
 */
@AnalyzeClasses(packages = "io.ctifeeds", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noCycleBetweenPackages = slices().matching("io.ctifeeds.(**)").should().beFreeOfCycles();

    /** The STIX model and its ids: what pycti fidelity rests on, free of Camel and of the pipeline. */
    @ArchTest
    static final ArchRule stixIsTheModelOnly = noClasses().that().resideInAPackage("io.ctifeeds.stix..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.camel..", "io.ctifeeds.feed..",
                    "io.ctifeeds.bundle..", "io.ctifeeds.opencti..", "io.ctifeeds.crowdsec..", "io.ctifeeds.iplist..");

    /** Settings and their checks know no part of the application: each part declares its own (SettingGroup). */
    @ArchTest
    static final ArchRule configurationKnowsNoPart = noClasses().that().resideInAPackage("io.ctifeeds.config..")
            .should().dependOnClassesThat().resideInAnyPackage("io.ctifeeds.feed..", "io.ctifeeds.state..",
                    "io.ctifeeds.crowdsec..", "io.ctifeeds.iplist..", "io.ctifeeds.ipsum..", "io.ctifeeds.opencti..",
                    "io.ctifeeds.ops..", "io.ctifeeds.observe..", "io.ctifeeds.deadletter..", "io.ctifeeds.bundle..");

    /** The IP values and the list parser are plain Java, testable without a CamelContext. */
    @ArchTest
    static final ArchRule ipValuesArePlainJava = noClasses().that().resideInAPackage("io.ctifeeds.ip..")
            .should().dependOnClassesThat().resideInAPackage("org.apache.camel..");

    /**
     * CrowdSec, shaped like its pipeline: the CTI API (client model, parser, answers) at the bottom, the STIX
     * mapping of its records above it, the lookup cache and budget stores beside them; the search import and the
     * enrichment each use those and never each other, so either can go without touching the other.
     */
    @ArchTest
    static final ArchRule crowdsecApiKnowsNoUse = noClasses().that().resideInAPackage("io.ctifeeds.crowdsec.api..")
            .should().dependOnClassesThat().resideInAnyPackage("io.ctifeeds.crowdsec.mapping..",
                    "io.ctifeeds.crowdsec.search..", "io.ctifeeds.crowdsec.enrich..", "io.ctifeeds.crowdsec.store..",
                    "org.apache.camel..", "io.ctifeeds.feed..", "io.ctifeeds.opencti..");

    @ArchTest
    static final ArchRule crowdsecMappingKnowsOnlyTheApi = noClasses().that()
            .resideInAPackage("io.ctifeeds.crowdsec.mapping..")
            .should().dependOnClassesThat().resideInAnyPackage("io.ctifeeds.crowdsec.search..",
                    "io.ctifeeds.crowdsec.enrich..", "io.ctifeeds.crowdsec.store..", "io.ctifeeds.opencti..");

    @ArchTest
    static final ArchRule crowdsecStoresKnowNoCrowdSecPart = noClasses().that()
            .resideInAPackage("io.ctifeeds.crowdsec.store..")
            .should().dependOnClassesThat().resideInAnyPackage("io.ctifeeds.crowdsec.api..",
                    "io.ctifeeds.crowdsec.mapping..", "io.ctifeeds.crowdsec.search..", "io.ctifeeds.crowdsec.enrich..",
                    "org.apache.camel..");

    @ArchTest
    static final ArchRule crowdsecImportAndEnrichmentAreApart = noClasses().that()
            .resideInAPackage("io.ctifeeds.crowdsec.search..")
            .should().dependOnClassesThat().resideInAnyPackage("io.ctifeeds.crowdsec.enrich..",
                    "io.ctifeeds.crowdsec.store..");

    @ArchTest
    static final ArchRule crowdsecEnrichmentKnowsNoImport = noClasses().that()
            .resideInAPackage("io.ctifeeds.crowdsec.enrich..")
            .should().dependOnClassesThat().resideInAPackage("io.ctifeeds.crowdsec.search..");
}
