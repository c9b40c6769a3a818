package io.github.llavao1.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.llavao1.backend.EngineReasoning;
import io.github.llavao1.engine.EngineOptions;
import io.github.llavao1.engine.LlavaEngine;
import io.github.llavao1.engine.image.ProcessedImage;
import io.github.llavao1.reasoning.ReasoningListener;
import io.github.llavao1.reasoning.ReasoningMode;
import io.github.llavao1.reasoning.ReasoningResult;
import io.github.llavao1.reasoning.ReasoningSettings;
import io.github.llavao1.reasoning.StageTrace;
import io.github.llavao1.reasoning.StagedReasoner;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code reason}: a question about images answered by LLaVA-o1's staged reasoning with inference-time search. */
final class ReasonCommand {

    static final String USAGE = """
            reason (--model DIR | --model-id ID) [--image FILE]... --question TEXT [--mode plain|stage-beam|best-of-n|sentence-beam]
                   [--candidates N] [--max-tokens N] [--seed S] [--no-precheck] [--json] [--device D] [--dtype T] [--quantization none|int8]
              Prints each stage as the search decides it; --json prints the whole structured result (candidates,
              judgements, token counts, times).""";

    private static final Set<String> VALUED = ModelArgs.with(ModelArgs.VALUED, Set.of("image", "question", "mode", "candidates", "max-tokens", "seed",
            "device", "dtype", "quantization"));
    private static final Set<String> FLAGS = ModelArgs.with(ModelArgs.FLAGS, Set.of("json", "no-precheck"));

    private ReasonCommand() {
    }

    static void run(String[] argv, PrintStream out) throws Exception {
        Args args = Args.parse(argv, 1, VALUED, FLAGS);
        ReasoningSettings.Builder settings = ReasoningSettings.builder()
                .mode(ReasoningMode.fromConfigName(args.string("mode", "stage-beam")))
                .candidates(args.integer("candidates", 2)).reasoningPrecheck(!args.flag("no-precheck"));
        if (args.has("max-tokens")) {
            settings.maxTokens(args.integer("max-tokens", 0));
        }
        if (args.has("seed")) {
            settings.seed(args.longValue("seed", 0));
        }
        EngineOptions options = EngineOptions.builder().device(args.string("device", "auto")).dtype(args.string("dtype", "auto"))
                .quantization(args.string("quantization", "none")).build();
        try (LlavaEngine engine = LlavaEngine.load(ModelArgs.checkpoint(args, Main.progressToStderr()), options, Main.progressToStderr())) {
            List<ProcessedImage> images = new ArrayList<>();
            for (String file : args.all("image")) {
                images.add(engine.processImage(Path.of(file)));
            }
            boolean json = args.flag("json");
            ReasoningListener progress = json ? ReasoningListener.NONE : new ReasoningListener() {
                @Override
                public void onStepDecided(StageTrace trace) {
                    out.printf("== %s (%d candidates, %d judgements, %d ms)%n%s%n", trace.step(), trace.candidates().size(),
                            trace.judgements().size(), trace.wallMillis(), trace.winnerCandidate().text());
                }
            };
            ReasoningResult result = new StagedReasoner(settings.build())
                    .reason(EngineReasoning.question(engine, args.required("question"), images), progress);
            if (json) {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
            } else {
                out.printf("%nAnswer: %s%n[%d answer tokens, %d judge tokens, %d ms, seed %d]%n", result.conclusion(),
                        result.answerTokens(), result.judgeTokens(), result.wallMillis(), result.seed());
            }
        }
    }
}
