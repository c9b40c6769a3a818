package io.github.llavao1.langchain4j;

import dev.langchain4j.data.message.ImageContent;
import io.github.llavao1.engine.testing.Fixtures;
import io.github.llavao1.engine.testing.Tiny;
import io.github.llavao1.reasoning.ReasoningMode;
import io.github.llavao1.reasoning.ReasoningResult;
import io.github.llavao1.reasoning.ReasoningSettings;
import io.github.llavao1.reasoning.StageTrace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/** The tiny random checkpoint, loaded once for all adapter tests, and small reasoning budgets that keep them fast. */
final class TinyModel {

    private static LlavaEngineHandle handle;
    private static LlavaEngineHandle constructed;

    private TinyModel() {
    }

    static synchronized LlavaEngineHandle handle() {
        if (handle == null) {
            handle = LlavaEngineHandle.of(Tiny.engine());
        }
        return handle;
    }

    /** The constructed checkpoint ({@code ConstructedCheckpoint}): answers fixed by construction. */
    static synchronized LlavaEngineHandle constructedHandle() {
        if (constructed == null) {
            constructed = LlavaEngineHandle.of(Tiny.constructedEngine());
        }
        return constructed;
    }

    /** Stage beam with 2 candidates, 6 tokens per stage and per judge call, seed 7. */
    static ReasoningSettings small() {
        return ReasoningSettings.builder().maxTokens(6).judgeMaxTokens(6).seed(7L).build();
    }

    /**
     * Stage beam with 2 candidates, 16 tokens per stage and per judge call, seed 8: on the constructed checkpoint every
     * stage closes and every judge answers (any seed would do; a fixed one makes two requests comparable).
     */
    static ReasoningSettings staged() {
        return ReasoningSettings.builder().maxTokens(16).judgeMaxTokens(16).seed(8L).build();
    }

    static LlavaO1ChatModel.Builder constructedChatModel(ReasoningSettings settings) {
        return LlavaO1ChatModel.builder().engine(constructedHandle()).reasoning(settings);
    }

    static ReasoningSettings plain() {
        return small().toBuilder().mode(ReasoningMode.PLAIN).build();
    }

    static LlavaO1ChatModel.Builder chatModel(ReasoningSettings settings) {
        return LlavaO1ChatModel.builder().engine(handle()).reasoning(settings);
    }

    static Path image(String name) {
        return Fixtures.tinyCheckpoint().resolve(name);
    }

    static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(image(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String base64(String name) {
        return Base64.getEncoder().encodeToString(bytes(name));
    }

    static ImageContent imageContent(String name) {
        return ImageContent.from(base64(name), "image/png");
    }

    /** The result without wall times, which differ between any two runs; everything else must be equal. */
    static ReasoningResult withoutTimings(ReasoningResult r) {
        List<StageTrace> steps = r.steps().stream().map(s -> new StageTrace(s.step(), s.stage(), s.candidates(),
                s.judgements(), s.winner(), s.candidateTokens(), s.judgeTokens(), 0)).toList();
        return new ReasoningResult(r.mode(), r.seed(), r.summary(), r.caption(), r.reasoning(), r.conclusion(),
                r.answer(), r.repairedStages(), steps, r.answerTokens(), r.candidateTokens(), r.judgeTokens(), 0);
    }
}
