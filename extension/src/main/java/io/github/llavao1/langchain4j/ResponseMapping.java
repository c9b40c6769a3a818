package io.github.llavao1.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import io.github.llavao1.reasoning.ReasoningMode;
import io.github.llavao1.reasoning.ReasoningResult;
import io.github.llavao1.reasoning.Stage;
import io.github.llavao1.reasoning.StageTrace;
import io.github.llavao1.reasoning.StopReason;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/** Maps a staged result back onto a LangChain4j response. */
final class ResponseMapping {

    private ResponseMapping() {
    }

    /**
     * The message is the answer split as the streaming model streams it ({@link StagedTextStream}): the text is
     * the conclusion (or, with {@code includeStagesInText}, the whole answer), cut before the first stop sequence;
     * {@code thinking} is what came before the conclusion, as the model wrote it. An answer that ended before its
     * conclusion began has the parsed (repaired) CONCLUSION as its text. The structured stage texts,
     * repaired where the model skipped the format, are in the metadata's {@code reasoning()}.
     *
     * @param id the response's id ({@link #newId()}), unique per response
     */
    static ChatResponse response(ReasoningResult result, int promptTokens, List<String> stopSequences,
                                 boolean includeStagesInText, String modelName, String id) {
        StringBuilder text = new StringBuilder();
        StringBuilder thinking = new StringBuilder();
        StagedTextStream split = textStream(result.mode(), includeStagesInText, stopSequences, thinking::append,
                text::append);
        for (StageTrace step : result.steps()) {
            if (step.stage() == Stage.CONCLUSION) {
                split.startConclusion();
            }
            split.append(step.winnerCandidate().text());
        }
        split.finish(result.conclusion());
        FinishReason finish = split.stopped() ? FinishReason.STOP : finishReason(result);
        AiMessage message = AiMessage.builder().text(text.toString())
                .thinking(thinking.isEmpty() ? null : thinking.toString()).build();
        LlavaO1ChatResponseMetadata metadata = LlavaO1ChatResponseMetadata.builder()
                .id(id)
                .modelName(modelName)
                .tokenUsage(new TokenUsage(promptTokens, result.answerTokens()))
                .finishReason(finish)
                .reasoning(result)
                .build();
        return ChatResponse.builder().aiMessage(message).metadata(metadata).build();
    }

    /** How an answer of {@code mode} splits into thinking and response; stage-level search knows its stages. */
    static StagedTextStream textStream(ReasoningMode mode, boolean includeStagesInText, List<String> stopSequences,
                                       Consumer<String> thinking, Consumer<String> response) {
        return new StagedTextStream(includeStagesInText, mode == ReasoningMode.STAGE_BEAM, stopSequences, thinking,
                response);
    }

    /** A fresh response id: {@code llava-o1-} and a random UUID. */
    static String newId() {
        return "llava-o1-" + UUID.randomUUID();
    }

    /** LENGTH when the answer's last step ran out of budget, STOP otherwise (a closing tag, EOS or stop sequence). */
    static FinishReason finishReason(ReasoningResult result) {
        List<StageTrace> steps = result.steps();
        if (!steps.isEmpty()
                && steps.get(steps.size() - 1).winnerCandidate().finishReason() == StopReason.LENGTH) {
            return FinishReason.LENGTH;
        }
        return FinishReason.STOP;
    }

    /** Where the first stop sequence starts in {@code text}, or -1. */
    static int firstStop(String text, List<String> stopSequences) {
        int cut = -1;
        if (stopSequences != null) {
            for (String stop : stopSequences) {
                int at = text.indexOf(stop);
                if (at >= 0 && (cut < 0 || at < cut)) {
                    cut = at;
                }
            }
        }
        return cut;
    }
}
