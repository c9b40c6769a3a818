package io.github.llavao1.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.llavao1.backend.EngineReasoning;
import io.github.llavao1.engine.EngineOptions;
import io.github.llavao1.engine.LlavaEngine;
import io.github.llavao1.engine.checkpoint.RandomCheckpoint;
import io.github.llavao1.engine.checkpoint.TensorDType;
import io.github.llavao1.engine.config.MllamaConfig;
import io.github.llavao1.engine.image.ProcessedImage;
import io.github.llavao1.engine.image.RgbImage;
import io.github.llavao1.reasoning.ForwardingReasoningPort;
import io.github.llavao1.reasoning.Generation;
import io.github.llavao1.reasoning.ReasoningMode;
import io.github.llavao1.reasoning.ReasoningPort;
import io.github.llavao1.reasoning.ReasoningRequest;
import io.github.llavao1.reasoning.ReasoningResult;
import io.github.llavao1.reasoning.ReasoningSettings;
import io.github.llavao1.reasoning.Stage;
import io.github.llavao1.reasoning.Sampling;
import io.github.llavao1.reasoning.SequenceListener;
import io.github.llavao1.reasoning.StagedReasoner;
import io.github.llavao1.reasoning.StopReason;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code reason-bench}: stage-level beam search with batched candidates and cached prefixes against the
 * reference's cost model (every candidate, judge and check a separate call that re-encodes the image and re-reads
 * the prefix), on random weights at a chosen shape, for the same token budgets.
 *
 * <p>Random weights never write the stage tags, so every candidate would be malformed and no judge would run. To
 * measure the real call pattern, both runs wrap each stage candidate's text in its tags (the tokens are unchanged),
 * which makes the search judge them exactly as it judges a real model's well-formed candidates.
 */
final class ReasonBenchCommand {

    static final String USAGE = """
            reason-bench [--config 11b|mid|small|FILE] [--candidates 2,4] [--max-tokens 24] [--judge-max-tokens 16]
                         [--device D] [--dtype T] [--quantization none|int8] [--dir DIR] [--json]
              Random weights at the shape (with the test tokenizer's 431-token vocabulary), one 4-tile image; runs
              stage-beam batched and sequential for each N and reports wall time, calls and tokens.""";

    private static final Set<String> VALUED = Set.of("config", "candidates", "max-tokens", "judge-max-tokens", "device", "dtype", "quantization", "dir");
    private static final Set<String> FLAGS = Set.of("json");

    private ReasonBenchCommand() {
    }

    static void run(String[] argv, PrintStream out) throws Exception {
        Args args = Args.parse(argv, 1, VALUED, FLAGS);
        MllamaConfig config = BenchConfigs.withTinyVocabulary(BenchConfigs.resolve(args.string("config", "small")));
        Path dir = args.has("dir") ? Path.of(args.required("dir")) : Files.createTempDirectory("llava-o1-reason-bench");
        if (!Files.exists(dir.resolve("config.json"))) {
            Path tokenizer = Files.createTempFile("tiny-tokenizer", ".json");
            try (InputStream in = ReasonBenchCommand.class.getResourceAsStream("tiny-tokenizer.json")) {
                Files.copy(in, tokenizer, StandardCopyOption.REPLACE_EXISTING);
            }
            RandomCheckpoint.write(config, dir, TensorDType.F32, 99, 4L << 30, tokenizer, line -> System.err.println("[bench] " + line));
        }
        // no image cache: the sequential run measures the reference's cost model, which encodes the image every call
        EngineOptions options = EngineOptions.builder().device(args.string("device", "auto")).dtype(args.string("dtype", "auto"))
                .quantization(args.string("quantization", "none"))
                .imageCacheBytes(0).build();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("config", args.string("config", "small"));
        try (LlavaEngine engine = LlavaEngine.load(dir, options, Main.progressToStderr())) {
            report.put("device", engine.deviceDescription());
            ProcessedImage image = engine.imageProcessor().process(noise(config.vision().imageSize() * 2));
            int maxTokens = args.integer("max-tokens", 24);
            int judgeTokens = args.integer("judge-max-tokens", 16);
            for (int n : args.integers("candidates", List.of(2, 4))) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (boolean sequential : new boolean[] {false, true}) {
                    ReasoningSettings settings = ReasoningSettings.builder().mode(ReasoningMode.STAGE_BEAM).candidates(n)
                            .maxTokens(maxTokens).judgeMaxTokens(judgeTokens).seed(5L).sequential(sequential).build();
                    CountingRequest request =
                            new CountingRequest(EngineReasoning.question(engine, "What is shown?", List.of(image)));
                    StagedReasoner reasoner = new StagedReasoner(settings);
                    if (!sequential) {
                        reasoner.reason(request); // warm-up
                        request.calls = 0;
                    }
                    ReasoningResult result = reasoner.reason(request);
                    String key = sequential ? "sequential" : "batched";
                    row.put(key + "_ms", result.wallMillis());
                    row.put(key + "_backend_calls", request.calls);
                    row.put(key + "_tokens", result.candidateTokens() + result.judgeTokens());
                }
                row.put("speedup", ((Number) row.get("sequential_ms")).doubleValue() / ((Number) row.get("batched_ms")).doubleValue());
                report.put("N=" + n, row);
            }
        }
        if (args.flag("json")) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
        } else {
            report.forEach((k, v) -> out.printf("%-10s %s%n", k, v));
        }
    }

    private static RgbImage noise(int size) {
        byte[] rgb = new byte[size * size * 3];
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) random.nextInt(256);
        }
        return new RgbImage(size, size, rgb);
    }

    /** Counts sampling calls and wraps stage candidates in their tags (see the class comment). */
    private static final class CountingRequest implements ReasoningRequest {
        private final ReasoningRequest delegate;
        int calls;

        CountingRequest(ReasoningRequest delegate) {
            this.delegate = delegate;
        }

        @Override
        public ReasoningPort open(boolean sequential) {
            return new ForwardingReasoningPort(delegate.open(sequential)) {
                @Override
                public List<Generation> sampleCandidates(Stage stage, int[] prefix, int n, Sampling sampling,
                                                         SequenceListener listener) {
                    calls += sequential ? n : 1;
                    List<Generation> generations = super.sampleCandidates(stage, prefix, n, sampling, listener);
                    if (stage == null) {
                        return generations;
                    }
                    List<Generation> tagged = new ArrayList<>();
                    for (Generation g : generations) {
                        String text = g.text().contains(stage.closeTag()) ? g.text()
                                : stage.openTag() + g.text() + stage.closeTag();
                        tagged.add(new Generation(g.tokens(), text, StopReason.STOP_STRING));
                    }
                    return tagged;
                }

                @Override
                public Generation sampleJudge(String text, boolean withImages, Sampling sampling,
                                              SequenceListener listener) {
                    calls++;
                    return super.sampleJudge(text, withImages, sampling, listener);
                }
            };
        }
    }
}
