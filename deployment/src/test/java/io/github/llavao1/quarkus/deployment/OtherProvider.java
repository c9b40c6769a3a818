package io.github.llavao1.quarkus.deployment;

import io.quarkiverse.langchain4j.deployment.items.ChatModelProviderCandidateBuildItem;
import io.quarkus.builder.BuildChainBuilder;
import io.quarkus.builder.BuildStepBuilder;
import java.util.function.Consumer;

/** A second chat model provider candidate, as another quarkus-langchain4j provider extension would offer. */
final class OtherProvider {

    private OtherProvider() {
    }

    static Consumer<BuildChainBuilder> candidate() {
        return chain -> {
            BuildStepBuilder step = chain.addBuildStep(context -> context.produce(
                    new ChatModelProviderCandidateBuildItem("other")));
            step.produces(ChatModelProviderCandidateBuildItem.class).build();
        };
    }
}
