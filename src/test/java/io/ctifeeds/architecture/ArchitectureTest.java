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
}
