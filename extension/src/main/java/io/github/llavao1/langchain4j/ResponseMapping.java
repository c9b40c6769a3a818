package io.github.llavao1.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import io.github.llavao1.reasoning.ReasoningResult;
import io.github.llavao1.reasoning.StageTrace;
import java.util.List;

/** Maps a staged result back onto a LangChain4j response. */
final class ResponseMapping {

    private ResponseMapping() {
    }

    /**
     * The AiMessage text is the CONCLUSION (or the whole staged answer), cut before the first stop sequence;
     * {@code thinking} holds SUMMARY, CAPTION and REASONING, each in its tags so the stages stay apart.
     */
    static ChatResponse response(ReasoningResult result, int promptTokens, List<String> stopSequences,
                                 boolean includeStagesInText, String modelName) {
        String text = includeStagesInText ? result.answer() : result.conclusion();
        int cut = firstStop(text, stopSequences);
        FinishReason finish = finishReason(result);
        if (cut >= 0) {
            text = text.substring(0, cut);
            finish = FinishReason.STOP;
        }
        AiMessage message = AiMessage.builder().text(text).thinking(thinking(result)).build();
        LlavaO1ChatResponseMetadata metadata = LlavaO1ChatResponseMetadata.builder()
                .modelName(modelName)
                .tokenUsage(new TokenUsage(promptTokens, result.answerTokens()))
                .finishReason(finish)
                .reasoning(result)
                .build();
        return ChatResponse.builder().aiMessage(message).metadata(metadata).build();
    }

    static String thinking(ReasoningResult result) {
        return "<SUMMARY>" + result.summary() + "</SUMMARY>\n\n<CAPTION>" + result.caption() + "</CAPTION>\n\n"
                + "<REASONING>" + result.reasoning() + "</REASONING>";
    }

    /** LENGTH when the answer's last step ran out of budget, STOP otherwise (a closing tag, EOS or stop sequence). */
    static FinishReason finishReason(ReasoningResult result) {
        List<StageTrace> steps = result.steps();
        if (!steps.isEmpty()
                && steps.get(steps.size() - 1).winnerCandidate().finishReason()
                == io.github.llavao1.reasoning.FinishReason.LENGTH) {
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
