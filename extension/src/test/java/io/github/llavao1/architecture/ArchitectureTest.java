package io.github.llavao1.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.lang.syntax.elements.GivenClassesConjunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point one way: the engine and the reasoning search (which knows no engine type) ← backend (the engine
 * side of the search's port) ← LangChain4j adapter (← Quarkus, in other modules). The engine and the reasoning
 * search use neither LangChain4j nor Quarkus; no two packages depend on each other; DJL stays inside the
 * engine's internals (engine.model, and the command line, which is an application) and appears in no public
 * signature outside the command line, engine.model's own public types included. Checked on the compiled classes, so
 * a fully qualified name counts as much as an import.
 */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.github.llavao1");

    /** DJL's tokenizer binding is no tensor library: LlamaTokenizer wraps it and keeps it to itself. */
    private static final DescribedPredicate<JavaClass> DJL = JavaClass.Predicates.resideInAPackage("ai.djl..")
            .and(DescribedPredicate.not(JavaClass.Predicates.resideInAPackage("ai.djl.huggingface..")))
            .as("DJL's tensor API (ai.djl.., other than ai.djl.huggingface..)");

    @Test
    void engineAndReasoningUseNeitherLangChain4jNorQuarkus() {
        noClasses().that().resideInAnyPackage("io.github.llavao1.engine..", "io.github.llavao1.reasoning..")
                .should().dependOnClassesThat()
                .resideInAnyPackage("dev.langchain4j..", "io.quarkus..", "io.github.llavao1.langchain4j..")
                .check(MAIN);
    }

    @Test
    void reasoningDependsOnNoEngineClass() {
        noClasses().that().resideInAPackage("io.github.llavao1.reasoning..")
                .should().dependOnClassesThat().resideInAPackage("io.github.llavao1.engine..")
                .check(MAIN);
    }

    @Test
    void topLevelPackagesAreFreeOfCycles() {
        slices().matching("io.github.llavao1.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void engineSubpackagesAreFreeOfCycles() {
        slices().matching("io.github.llavao1.engine.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void djlStaysInTheEngineInternals() {
        noClasses().that(outsideTheEngineInternals()).should().dependOnClassesThat(DJL).check(MAIN);
    }

    @Test
    void noDjlTypeInAPublicSignatureOutsideTheEngineModel() {
        publicApi().and().resideOutsideOfPackages("io.github.llavao1.engine.model..", "io.github.llavao1.cli..")
                .should(exposeNoDjlType())
                .check(MAIN);
    }

    @Test
    void engineModelKeepsDjlToPackagePrivateTypes() {
        publicApi().and().resideInAPackage("io.github.llavao1.engine.model..")
                .should(exposeNoDjlType())
                .check(MAIN);
    }

    /** Outside engine.model and the command line. */
    private static DescribedPredicate<JavaClass> outsideTheEngineInternals() {
        DescribedPredicate<JavaClass> internal = JavaClass.Predicates.resideInAnyPackage(
                "io.github.llavao1.engine.model..", "io.github.llavao1.cli..");
        return DescribedPredicate.not(internal).as("are outside the engine's internals (engine.model, cli)");
    }

    /** Public classes, nested ones only inside public classes. */
    private static GivenClassesConjunction publicApi() {
        return classes().that(new DescribedPredicate<>("are public API") {
            @Override
            public boolean test(JavaClass type) {
                for (Optional<JavaClass> c = Optional.of(type); c.isPresent(); c = c.get().getEnclosingClass()) {
                    if (!c.get().getModifiers().contains(JavaModifier.PUBLIC)) {
                        return false;
                    }
                }
                return true;
            }
        });
    }

    /** No DJL type among the supertypes, nor in a public field, constructor or method (generic arguments included). */
    private static ArchCondition<JavaClass> exposeNoDjlType() {
        return new ArchCondition<>("expose no DJL type in a public signature") {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                List<String> exposed = new ArrayList<>();
                type.getRawSuperclass().filter(DJL).ifPresent(s -> exposed.add("extends " + s.getName()));
                type.getRawInterfaces().stream().filter(DJL).forEach(i -> exposed.add("implements " + i.getName()));
                for (JavaField field : type.getFields()) {
                    if (field.getModifiers().contains(JavaModifier.PUBLIC)) {
                        djlIn(field.getType()).forEach(t -> exposed.add(field.getFullName() + ": " + t));
                    }
                }
                for (JavaCodeUnit unit : type.getCodeUnits()) {
                    if (!unit.getModifiers().contains(JavaModifier.PUBLIC) || unit.getModifiers().contains(JavaModifier.SYNTHETIC)) {
                        continue;
                    }
                    List<JavaType> involved = new ArrayList<>(unit.getParameterTypes());
                    involved.add(unit.getReturnType());
                    involved.addAll(unit.getThrowsClause().getTypes());
                    for (JavaType t : involved) {
                        djlIn(t).forEach(name -> exposed.add(unit.getFullName() + ": " + name));
                    }
                }
                for (String e : exposed.stream().distinct().toList()) {
                    events.add(SimpleConditionEvent.violated(type, "exposes " + e));
                }
            }
        };
    }

    private static List<String> djlIn(JavaType type) {
        return type.getAllInvolvedRawTypes().stream().filter(DJL).map(JavaClass::getName).distinct().toList();
    }
}
