package io.github.llavao1.reasoning;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.llavao1.engine.EngineOptions;
import io.github.llavao1.engine.LlavaEngine;
import io.github.llavao1.engine.generate.GenerationOptions;
import io.github.llavao1.engine.testing.Fixtures;
import io.github.llavao1.engine.testing.Tiny;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the search's default top-k comes from on the engine, and that requests reach the sampler unchanged. */
class EngineTopKTest {

    @TempDir
    Path dir;

    @Test
    void theCheckpointsGenerationConfigElseTransformersDefault() throws IOException {
        LlavaEngine tiny = Tiny.engine();
        // the fixture's generation_config.json, like LLaVA-o1's, sets no top_k
        assertEquals(null, tiny.generationConfig().topK());
        assertEquals(50, EngineReasoningBackend.defaultTopK(tiny));
        try (ReasoningSession session = new EngineReasoningBackend(tiny).open(List.of(), false)) {
            assertEquals(50, session.defaultTopK());
        }
        try (Stream<Path> files = Files.list(Fixtures.tinyCheckpoint())) {
            for (Path file : files.toList()) {
                Files.copy(file, dir.resolve(file.getFileName().toString()));
            }
        }
        Path generation = dir.resolve("generation_config.json");
        Files.writeString(generation, Files.readString(generation).replace("\"top_p\": 0.9", "\"top_p\": 0.9, \"top_k\": 20"));
        try (LlavaEngine engine = LlavaEngine.load(dir, EngineOptions.builder().device("cpu").build())) {
            assertEquals(20, EngineReasoningBackend.defaultTopK(engine));
        }
    }

    @Test
    void aRequestsSamplingAndStopRulesReachTheEngineOptions() {
        GenerationRequest request = new GenerationRequest(new int[] {1, 2}, true, 2, 0.6, 0.9, 50, 17,
                List.of("</CONCLUSION>"), List.of("."), 99);
        GenerationOptions options = EngineReasoningBackend.options(request);
        assertEquals(0.6, options.temperature());
        assertEquals(0.9, options.topP());
        assertEquals(50, options.topK());
        assertEquals(17, options.maxNewTokens());
        assertEquals(List.of("</CONCLUSION>"), options.stopStrings());
        assertEquals(List.of("."), options.stopSuffixes());
        assertEquals(99, options.seed());
    }
}
