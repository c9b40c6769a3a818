package io.github.llavao1.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.llavao1.engine.EngineOptions;
import io.github.llavao1.engine.LlavaEngine;
import io.github.llavao1.engine.generate.GenerationOptions;
import io.github.llavao1.engine.testing.Fixtures;
import io.github.llavao1.engine.testing.Tiny;
import io.github.llavao1.reasoning.ReasoningPort;
import io.github.llavao1.reasoning.Sampling;
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
        assertEquals(50, EngineReasoning.defaultTopK(tiny));
        try (ReasoningPort port = EngineReasoning.question(tiny, "q", List.of()).open(false)) {
            assertEquals(50, port.defaultTopK());
        }
        try (Stream<Path> files = Files.list(Fixtures.tinyCheckpoint())) {
            for (Path file : files.toList()) {
                Files.copy(file, dir.resolve(file.getFileName().toString()));
            }
        }
        Path generation = dir.resolve("generation_config.json");
        Files.writeString(generation, Files.readString(generation).replace("\"top_p\": 0.9", "\"top_p\": 0.9, \"top_k\": 20"));
        try (LlavaEngine engine = LlavaEngine.load(dir, EngineOptions.builder().device("cpu").build())) {
            assertEquals(20, EngineReasoning.defaultTopK(engine));
        }
    }

    @Test
    void aRequestsSamplingAndStopRulesReachTheEngineOptions() {
        Sampling sampling = new Sampling(0.6, 0.9, 50, 17, List.of("</CONCLUSION>"), List.of("."), 99);
        GenerationOptions options = EngineReasoning.options(sampling, sampling.stopStrings());
        assertEquals(0.6, options.temperature());
        assertEquals(0.9, options.topP());
        assertEquals(50, options.topK());
        assertEquals(17, options.maxNewTokens());
        assertEquals(List.of("</CONCLUSION>"), options.stopStrings());
        assertEquals(List.of("."), options.stopSuffixes());
        assertEquals(99, options.seed());
    }
}
