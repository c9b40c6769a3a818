package io.github.llavao1.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.llavao1.engine.EngineOptions;
import io.github.llavao1.engine.LlavaEngine;
import io.github.llavao1.engine.Prefix;
import io.github.llavao1.engine.Session;
import io.github.llavao1.engine.generate.GenerationOptions;
import io.github.llavao1.engine.generate.GenerationResult;
import io.github.llavao1.engine.generate.TokenListener;
import io.github.llavao1.engine.image.ProcessedImage;
import io.github.llavao1.engine.text.PromptMessage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code generate}: one prompt (with images) through the engine, streamed to stdout or reported as JSON. */
final class GenerateCommand {

    static final String USAGE = """
            generate (--model DIR | --model-id ID) [--image FILE]... (--prompt TEXT | --raw-prompt TEXT)
                     [--greedy | --temperature T --top-p P --top-k K --seed S] [--max-new-tokens N]
                     [--stop STRING]... [--ignore-eos] [--json] [--device auto|cpu|gpu[:N]] [--dtype auto|float32|float16]
                     [--quantization none|int8] [--single-bos]
              --prompt      the user's question; rendered with the Llama 3.2 Vision chat template, one <|image|> per
                            --image before it, and LLaVA-o1's double <|begin_of_text|> (--single-bos: one)
              --raw-prompt  the exact prompt string with its special tokens; no BOS is added
              --json        print prompt ids, new ids, text and timings as JSON instead of streaming the text""";

    private static final Set<String> VALUED = ModelArgs.with(ModelArgs.VALUED, Set.of("image", "prompt", "raw-prompt", "temperature", "top-p", "top-k",
            "seed", "max-new-tokens", "stop", "device", "dtype", "quantization"));
    private static final Set<String> FLAGS = ModelArgs.with(ModelArgs.FLAGS, Set.of("greedy", "ignore-eos", "json", "single-bos"));

    private GenerateCommand() {
    }

    static void run(String[] argv, PrintStream out) throws Exception {
        Args args = Args.parse(argv, 1, VALUED, FLAGS);
        if (args.has("prompt") == args.has("raw-prompt")) {
            throw new Args.UsageException("give exactly one of --prompt and --raw-prompt");
        }
        if (args.flag("greedy") && (args.has("temperature") || args.has("top-p") || args.has("top-k"))) {
            throw new Args.UsageException("--greedy cannot be combined with --temperature, --top-p or --top-k");
        }
        GenerationOptions options = GenerationOptions.builder()
                .temperature(args.flag("greedy") ? 0 : args.number("temperature", 0.6))
                .topP(args.number("top-p", 0.9)).topK(args.integer("top-k", 0)).seed(args.longValue("seed", 0))
                .maxNewTokens(args.integer("max-new-tokens", 512)).stopStrings(args.all("stop"))
                .ignoreEos(args.flag("ignore-eos")).build();
        EngineOptions engineOptions = EngineOptions.builder().device(args.string("device", "auto")).dtype(args.string("dtype", "auto"))
                .quantization(args.string("quantization", "none")).doubleBos(!args.flag("single-bos")).build();
        boolean json = args.flag("json");
        long loadStart = System.nanoTime();
        try (LlavaEngine engine = LlavaEngine.load(ModelArgs.checkpoint(args, Main.progressToStderr()), engineOptions, Main.progressToStderr())) {
            double loadMillis = (System.nanoTime() - loadStart) / 1e6;
            List<ProcessedImage> images = new ArrayList<>();
            for (String file : args.all("image")) {
                images.add(engine.processImage(Path.of(file)));
            }
            int[] promptIds = args.has("prompt")
                    ? engine.encodePrompt(List.of(PromptMessage.userWithImages(images.size(), args.required("prompt"))))
                    : engine.encodeRaw(args.required("raw-prompt"));
            TokenListener stream = json ? null : (sequence, token, delta) -> {
                out.print(delta);
                out.flush();
            };
            try (Session session = engine.newSession(images)) {
                Prefix prefix = session.prefill(promptIds);
                GenerationResult result = session.generate(prefix, options, 1, stream).get(0);
                if (json) {
                    out.println(report(engine, promptIds, result, loadMillis, session.imageEncodeMillis()));
                } else {
                    out.println();
                    System.err.printf("[%d prompt tokens, %d new tokens, %s; prefill %.0f ms, %.1f ms/token on %s]%n",
                            promptIds.length, result.tokens().length, result.finishReason(), result.prefillMillis(),
                            result.decodeMillis() / Math.max(1, result.tokens().length), engine.deviceDescription());
                }
            }
        }
    }

    private static String report(LlavaEngine engine, int[] promptIds, GenerationResult result, double loadMillis,
            double imageMillis) throws Exception {
        Map<String, Object> timings = new LinkedHashMap<>();
        timings.put("load_ms", loadMillis);
        timings.put("image_encode_ms", imageMillis);
        timings.put("prefill_ms", result.prefillMillis());
        timings.put("decode_ms", result.decodeMillis());
        timings.put("ms_per_token", result.decodeMillis() / Math.max(1, result.tokens().length));
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("device", engine.deviceDescription());
        report.put("prompt_ids", promptIds);
        report.put("new_ids", result.tokens());
        report.put("text", result.text());
        report.put("finish_reason", result.finishReason().name().toLowerCase(java.util.Locale.ROOT));
        report.put("timings", timings);
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report);
    }
}
