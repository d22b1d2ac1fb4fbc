package dev.midstream.structure;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The structure the README draws, held by the build: no package cycles; the model depends on nothing else of
 * Midstream (only the user-function API); readers build the model and know nothing of Flink operators; operators,
 * sources and sinks never reach the readers, the options or the builder; only the builder wires them, and only
 * the entry points and the command line sit above it.
 */
class PackageStructureTest {
    private static JavaClasses midstream;

    @BeforeAll
    static void importClasses() {
        midstream = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.midstream");
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.midstream.(*)..").should().beFreeOfCycles().check(midstream);
    }

    @Test
    void theModelDependsOnNothingElseOfMidstream() {
        classes().that().resideInAPackage("dev.midstream.model..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.midstream.model..", "dev.midstream.udf..",
                        "java..")
                .check(midstream);
    }

    @Test
    void readersBuildTheModelWithoutFlinkOperators() {
        noClasses().that().resideInAPackage("dev.midstream.reader..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.flink..", "dev.midstream.engine..",
                        "dev.midstream.cleanse..", "dev.midstream.sink..", "dev.midstream.source..",
                        "dev.midstream.enrich..", "dev.midstream.aggregate..", "dev.midstream.options..",
                        "dev.midstream.change..", "dev.midstream.job..", "dev.midstream.cli..")
                .check(midstream);
    }

    @Test
    void operatorsSourcesAndSinksOnlyConsumeTheModel() {
        noClasses().that().resideInAnyPackage("dev.midstream.cleanse..", "dev.midstream.function..",
                        "dev.midstream.enrich..", "dev.midstream.aggregate..", "dev.midstream.source..",
                        "dev.midstream.sink..", "dev.midstream.record..", "dev.midstream.deadletter..",
                        "dev.midstream.metrics..", "dev.midstream.change..", "dev.midstream.quality..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.midstream.reader..", "dev.midstream.options..",
                        "dev.midstream.engine..", "dev.midstream.job..", "dev.midstream.cli..", "dev.midstream.upgrade..")
                .check(midstream);
    }

    @Test
    void theReportIsMadeWithoutFlink() {
        noClasses().that().resideInAPackage("dev.midstream.report..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.flink..", "dev.midstream.engine..",
                        "dev.midstream.cleanse..", "dev.midstream.quality..")
                .check(midstream);
    }

    @Test
    void changeEnvelopesAreReadWithoutFlink() {
        noClasses().that().resideInAPackage("dev.midstream.change..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.flink..", "dev.midstream.cleanse..",
                        "dev.midstream.sink..", "dev.midstream.source..")
                .check(midstream);
    }

    @Test
    void onlyEntryPointsAndTheCommandLineUseTheBuilder() {
        noClasses().that().resideOutsideOfPackages("dev.midstream.engine..", "dev.midstream.job..",
                        "dev.midstream.cli..")
                .should().dependOnClassesThat().resideInAPackage("dev.midstream.engine..")
                .check(midstream);
    }
}
