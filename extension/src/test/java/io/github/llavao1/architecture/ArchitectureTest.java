package io.github.llavao1.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.domain.properties.HasName;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.lang.syntax.elements.GivenClassesConjunction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point one way: the engine and the reasoning search (which knows no engine type) ← backend (the engine
 * side of the search's port) ← LangChain4j adapter (← Quarkus, in other modules). The engine and the reasoning
 * search use neither LangChain4j nor Quarkus; no two packages depend on each other; DJL stays inside the
 * engine's internals (engine.model, the session and batch decoder that drive it, and the command line, which is an
 * application) and never appears in a public signature elsewhere. Checked on the compiled classes, so a fully
 * qualified name counts as much as an import.
 */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.github.llavao1");

    /** DJL's tokenizer binding is no tensor library: LlamaTokenizer wraps it and keeps it to itself. */
    private static final DescribedPredicate<JavaClass> DJL = JavaClass.Predicates.resideInAPackage("ai.djl..")
            .and(DescribedPredicate.not(JavaClass.Predicates.resideInAPackage("ai.djl.huggingface..")))
            .as("DJL's tensor API (ai.djl.., other than ai.djl.huggingface..)");

    private static final DescribedPredicate<JavaClass> LLAVA_ENGINE = JavaClass.Predicates
            .belongTo(HasName.Predicates.name("io.github.llavao1.engine.LlavaEngine")).as("belong to LlavaEngine");

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
        noClasses().that(outsideTheEngineInternals()).and(DescribedPredicate.not(LLAVA_ENGINE))
                .should().dependOnClassesThat(DJL)
                .check(MAIN);
    }

    /**
     * Until {@link #djlStaysInTheEngineInternalsLlavaEngineIncluded} holds: LlavaEngine uses DJL only through the three
     * calls on engine.model's objects that it makes today.
     */
    @Test
    void llavaEngineUsesNoMoreOfDjlThanToday() {
        noClasses().that(LLAVA_ENGINE).should(dependOnDjlOtherThanCalling("ai.djl.Device.isGpu()",
                "ai.djl.ndarray.NDManager.getManagedArrays()", "ai.djl.ndarray.NDManager.close()")).check(MAIN);
    }

    @Test
    @Disabled("holds once issue-16 lands: ComputeContext stops being public, so LlavaEngine stops calling Device.isGpu,"
            + " NDManager.getManagedArrays and NDManager.close on the model's objects")
    void djlStaysInTheEngineInternalsLlavaEngineIncluded() {
        noClasses().that(outsideTheEngineInternals()).should().dependOnClassesThat(DJL).check(MAIN);
    }

    @Test
    void noDjlTypeInAPublicSignatureOutsideTheEngineModel() {
        publicApi().and().resideOutsideOfPackages("io.github.llavao1.engine.model..", "io.github.llavao1.cli..")
                .should(exposeNoDjlType())
                .check(MAIN);
    }

    @Test
    @Disabled("holds once issue-16 lands: MllamaModel, KvCache, ComputeContext and CrossAttention* stop being public"
            + " (today ComputeContext and MllamaModel have DJL types in public signatures)")
    void engineModelKeepsDjlToPackagePrivateTypes() {
        publicApi().and().resideInAPackage("io.github.llavao1.engine.model..")
                .should(exposeNoDjlType())
                .check(MAIN);
    }

    /** Outside engine.model, the session and the batch decoder (which drive it), and the command line. */
    private static DescribedPredicate<JavaClass> outsideTheEngineInternals() {
        DescribedPredicate<JavaClass> internal = JavaClass.Predicates.resideInAnyPackage(
                "io.github.llavao1.engine.model..", "io.github.llavao1.cli..")
                .or(JavaClass.Predicates.belongTo(HasName.Predicates.name("io.github.llavao1.engine.Session")
                        .or(HasName.Predicates.name("io.github.llavao1.engine.BatchDecoder"))));
        return DescribedPredicate.not(internal).as("are outside the engine's internals (engine.model, Session, "
                + "BatchDecoder, cli)");
    }

    /** A DJL dependency other than a call of one of {@code allowed} (methods as ArchUnit names them). */
    private static ArchCondition<JavaClass> dependOnDjlOtherThanCalling(String... allowed) {
        return new ArchCondition<>("depend on DJL other than by calling " + String.join(", ", allowed)) {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                for (Dependency dependency : type.getDirectDependenciesFromSelf()) {
                    String description = dependency.getDescription();
                    boolean isAllowed = Arrays.stream(allowed).anyMatch(m -> description.contains("calls method <" + m + ">"));
                    if (DJL.test(dependency.getTargetClass()) && !isAllowed) {
                        events.add(SimpleConditionEvent.satisfied(type, description));
                    }
                }
            }
        };
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
