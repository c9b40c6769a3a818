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
import java.nio.file.Path;

/**
 * What the four LangChain4j contract suites ({@code *ContractTest}) share: the model they hold to the contract (the
 * tiny random checkpoint, stage-level beam search with small budgets) and the checks of the tests that replace those
 * needing meaningful text.
 */
final class ContractSuites {

    /** The name a request may give: the checkpoint directory's. */
    static final String MODEL_NAME = "tiny-mllama-a";

    private ContractSuites() {
    }

    /**
     * Stage beam, 2 candidates, 16 tokens per stage (a CONCLUSION long enough to arrive in more than the 5 partial
     * responses the cancellation test cancels after), seed 7: with it every prompt of the suites reaches its
     * CONCLUSION (random weights end some answers early with an end-of-turn token, depending on the seed).
     */
    /**
     * Top-k off: with random weights, where an answer ends (an end-of-turn token) depends on every sampling setting,
     * and the seeds here were chosen so that the suites' answers are not empty; the model's default top-k (50) is
     * tested where it belongs (StageBeamSearchTest, EngineTopKTest).
     */
    static ReasoningSettings settings() {
        return ReasoningSettings.builder().maxTokens(16).judgeMaxTokens(6).seed(7L).candidateTopK(0).judgeTopK(0).build();
    }

    static LlavaO1ChatModel.Builder chatModel() {
        return LlavaO1ChatModel.builder().engine(TinyModel.handle()).reasoning(settings());
    }

    static LlavaO1StreamingChatModel.Builder streamingModel() {
        return LlavaO1StreamingChatModel.builder().engine(TinyModel.handle()).reasoning(settings());
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
        // random weights never close a stage, so the CONCLUSION step runs out of its budget ("Berlin." would STOP)
        StageTrace last = result.steps().get(result.steps().size() - 1);
        assertThat(last.winnerCandidate().finishReason()).isEqualTo(StopReason.LENGTH);
        assertThat(response.finishReason()).isEqualTo(FinishReason.LENGTH);
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
}
