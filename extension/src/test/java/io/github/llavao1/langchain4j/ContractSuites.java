package io.github.llavao1.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.model.chat.common.ChatResponseAndStreamingMetadata;
import dev.langchain4j.model.chat.common.StreamingMetadata;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import io.github.llavao1.reasoning.ReasoningResult;
import io.github.llavao1.reasoning.ReasoningSettings;
import io.github.llavao1.reasoning.StageTrace;
import io.github.llavao1.reasoning.StopReason;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the four LangChain4j contract suites ({@code *ContractTest}) share: the model they hold to the contract (the
 * constructed checkpoint, whose staged answers are fixed by construction; stage-level beam search with small budgets) and the checks of the tests that replace those
 * needing meaningful text.
 */
final class ContractSuites {

    /** The name a request may give: the checkpoint directory's. */
    static final String MODEL_NAME = "constructed-mllama";

    private ContractSuites() {
    }

    /**
     * Stage beam, 2 candidates, 16 tokens per stage and per judge call: the constructed checkpoint
     * ({@code ConstructedCheckpoint}) closes every stage within 16 tokens (its CONCLUSION has 12 visible ones, more than
     * the 5 partial responses the cancellation test cancels after) and answers every judge with a verdict, so every
     * test of the suites sees a complete staged answer, whatever the seed, CPU or thread count.
     */
    static ReasoningSettings settings() {
        return ReasoningSettings.builder().maxTokens(16).judgeMaxTokens(16).build();
    }

    static LlavaO1ChatModel.Builder chatModel() {
        return LlavaO1ChatModel.builder().engine(TinyModel.constructedHandle()).reasoning(settings());
    }

    static LlavaO1StreamingChatModel.Builder streamingModel() {
        return LlavaO1StreamingChatModel.builder().engine(TinyModel.constructedHandle()).reasoning(settings());
    }

    /** A model whose every request fails: its checkpoint does not exist (loading is lazy, so build() succeeds). */
    static Path missingCheckpoint() {
        return Path.of("/no/such/llava-o1-checkpoint");
    }

    static ImageContent image(String name) {
        return TinyModel.imageContent(name);
    }

    /**
     * The checks of {@code should_respect_user_message} and the image tests that hold for any text: the metadata
     * (type, id, model name, token usage), the finish reason, and for a streaming model the partials, which
     * concatenate to the text and arrive on one thread of the model's own.
     */
    static void assertAnswered(ChatResponseAndStreamingMetadata answered) {
        ChatResponse response = answered.chatResponse();
        assertThat(response.aiMessage().text()).isNotBlank();
        assertThat(response.aiMessage().toolExecutionRequests()).isEmpty();
        assertThat(response.metadata()).isExactlyInstanceOf(LlavaO1ChatResponseMetadata.class);
        assertThat(response.metadata().id()).startsWith("llava-o1-");
        assertThat(response.metadata().modelName()).isEqualTo(MODEL_NAME);
        ReasoningResult result = ((LlavaO1ChatResponseMetadata) response.metadata()).reasoning();
        assertThat(response.tokenUsage().inputTokenCount()).isPositive();
        assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(result.answerTokens());
        assertThat(response.tokenUsage().totalTokenCount())
                .isEqualTo(response.tokenUsage().inputTokenCount() + response.tokenUsage().outputTokenCount());
        // the constructed checkpoint closes every stage: the answer is its CONCLUSION, and the search is its four steps
        assertThat(response.aiMessage().text())
                .matches("The picture holds (exactly|roughly) a few coloured figures, so count each one\\.");
        assertThat(result.steps()).hasSize(4);
        StageTrace last = result.steps().get(result.steps().size() - 1);
        assertThat(last.winnerCandidate().finishReason()).isEqualTo(StopReason.STOP_STRING);
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
        StreamingMetadata streaming = answered.streamingMetadata();
        if (streaming != null) {
            assertThat(streaming.concatenatedPartialResponses()).isEqualTo(response.aiMessage().text());
            assertThat(streaming.timesOnPartialResponseWasCalled()).isGreaterThan(1);
            assertThat(streaming.timesOnPartialThinkingWasCalled()).isGreaterThan(1);
            assertThat(streaming.timesOnCompleteResponseWasCalled()).isEqualTo(1);
            assertThat(streaming.threads()).hasSize(1);
            assertThat(streaming.threads().iterator().next()).isNotEqualTo(Thread.currentThread());
        }
    }

    /**
     * The suites skip a test by a capability flag ({@code @EnabledIf("supportsTools")}), and JUnit's message then only
     * names the flag. This condition, registered on the class so that it is asked first, skips the same tests with
     * LLaVA-o1's reason for the flag's value; a flag without a reason here fails the test, so no skip goes unexplained.
     */
    static final class CapabilityReasons implements ExecutionCondition {

        private static final String TOOLS = "LLaVA-o1 calls no tools: requests offering tools are refused "
                + "(UnsupportedFeatureException), or answered without them with ignore-offered-tools";
        private static final String JSON = "LLaVA-o1 answers in its staged text format: a JSON response format is refused "
                + "(UnsupportedFeatureException)";
        private static final String URLS = "image URLs are fetched only from allowed hosts and this model allows none (the "
                + "suite's public URLs also need the network); URL images are tested against a local server in ImageLoaderTest";

        /** Flags whose value {@code false} skips {@code @EnabledIf} tests. */
        private static final Map<String, String> UNSUPPORTED = Map.ofEntries(
                Map.entry("supportsTools", TOOLS),
                Map.entry("supportsToolChoiceRequiredWithSingleTool", TOOLS),
                Map.entry("supportsToolChoiceRequiredWithMultipleTools", TOOLS),
                Map.entry("supportsToolsAndJsonResponseFormatWithSchema", TOOLS),
                Map.entry("supportsJsonResponseFormat", JSON),
                Map.entry("supportsJsonResponseFormatWithSchema", JSON),
                Map.entry("supportsJsonResponseFormatWithRawSchema", JSON),
                Map.entry("supportsModelNameParameter", "one model serves one loaded checkpoint: a request naming "
                        + "another model is refused (UnsupportedFeatureException), so there is no other model to switch to"),
                Map.entry("supportsSingleImageInputAsPublicURL", URLS),
                Map.entry("supportsMultipleImageInputsAsPublicURLs", URLS));

        /** Flags whose value {@code true} skips {@code @DisabledIf} tests (which check the refusal of a missing feature). */
        private static final Map<String, String> SUPPORTED = Map.of(
                "supportsStopSequencesParameter", "stop sequences are supported, so there is no refusal to check",
                "supportsMaxOutputTokensParameter", "maxOutputTokens is supported, so there is no refusal to check",
                "supportsSingleImageInputAsBase64EncodedString", "base64 images are supported, so there is no refusal to check");

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            Optional<Method> test = context.getTestMethod();
            Optional<Object> instance = context.getTestInstance();
            if (test.isEmpty() || instance.isEmpty()) {
                return ConditionEvaluationResult.enabled("not a test method of a suite instance");
            }
            EnabledIf enabledIf = test.get().getAnnotation(EnabledIf.class);
            if (enabledIf != null && !flag(instance.get(), enabledIf.value())) {
                return disabled(UNSUPPORTED, enabledIf.value(), "false");
            }
            DisabledIf disabledIf = test.get().getAnnotation(DisabledIf.class);
            if (disabledIf != null && flag(instance.get(), disabledIf.value())) {
                return disabled(SUPPORTED, disabledIf.value(), "true");
            }
            return ConditionEvaluationResult.enabled("no capability flag skips it");
        }

        private static ConditionEvaluationResult disabled(Map<String, String> reasons, String flag, String value) {
            String reason = reasons.get(flag);
            if (reason == null) {
                throw new IllegalStateException("the suite skips this test because " + flag + "() is " + value
                        + ", and ContractSuites.CapabilityReasons gives no reason for it: add one");
            }
            return ConditionEvaluationResult.disabled(reason + " (" + flag + "() is " + value + ")");
        }

        private static boolean flag(Object suite, String name) {
            for (Class<?> c = suite.getClass(); c != null; c = c.getSuperclass()) {
                try {
                    Method method = c.getDeclaredMethod(name);
                    method.setAccessible(true);
                    return (Boolean) method.invoke(suite);
                } catch (NoSuchMethodException e) {
                    // declared further up
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("capability flag " + name + "() failed", e);
                }
            }
            throw new IllegalStateException("no capability flag " + name + "() on " + suite.getClass().getName());
        }
    }
}
