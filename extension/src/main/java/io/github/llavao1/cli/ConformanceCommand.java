package io.github.llavao1.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.llavao1.engine.EngineOptions;
import io.github.llavao1.engine.LlavaEngine;
import io.github.llavao1.engine.Session;
import io.github.llavao1.engine.checkpoint.Checkpoint;
import io.github.llavao1.engine.checkpoint.SafetensorsFile;
import io.github.llavao1.engine.config.AspectRatio;
import io.github.llavao1.engine.generate.GenerationOptions;
import io.github.llavao1.engine.image.ProcessedImage;
import io.github.llavao1.engine.model.ComputeDevice;
import io.github.llavao1.engine.model.LoadedModel;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code conformance}: the fixture comparison of the test suite (EngineConformanceTest, VisionConformanceTest) as a
 * command, for machines without Maven or JUnit (a GPU machine) and for dtypes other than float32. Against the
 * reference tensors of a fixture folder (FIXTURES.md): vision output and cross-attention states per image and prompt
 * logits per case within a tolerance, and the greedy tokens from the engine's own preprocessing, reporting by how much
 * and where each one differs.
 */
final class ConformanceCommand {

    static final String USAGE = """
            conformance --fixture DIR [--device auto|cpu|gpu[:N]] [--dtype auto|float32|float16] [--quantization none|int8] [--tolerance X]
                        [--cases a,b] [--json]
              DIR holds a checkpoint with reference.json and reference.safetensors (the test fixture tiny-mllama-a).
              Compares vision output, cross-attention states and prompt logits (max absolute difference within
              --tolerance: default 1e-3 in float32, 3e-2 in float16) and the greedy tokens (where they part: by how
              much our logits prefer our token), for every case of reference.json or --cases; exits 3 when any differ.""";

    private static final Set<String> VALUED = Set.of("fixture", "device", "dtype", "quantization", "tolerance", "cases");
    private static final Set<String> FLAGS = Set.of("json");

    private ConformanceCommand() {
    }

    /** @return true when every comparison is within tolerance and every greedy token matches */
    static boolean run(String[] argv, PrintStream out) throws Exception {
        Args args = Args.parse(argv, 1, VALUED, FLAGS);
        Path dir = Path.of(args.required("fixture"));
        for (String file : List.of("reference.json", "reference.safetensors")) {
            if (!Files.isRegularFile(dir.resolve(file))) {
                throw new IllegalArgumentException(dir.resolve(file) + ": the fixture folder has no " + file);
            }
        }
        EngineOptions options = EngineOptions.builder().device(args.string("device", "auto")).dtype(args.string("dtype", "auto"))
                .quantization(args.string("quantization", "none")).build();
        JsonNode cases = new ObjectMapper().readTree(dir.resolve("reference.json").toFile()).get("cases");
        List<String> only = args.has("cases") ? List.of(args.required("cases").split(",")) : null;
        if (only != null) {
            for (String name : only) {
                if (!cases.has(name)) {
                    throw new Args.UsageException("--cases: the fixture has no case '" + name + "'");
                }
            }
        }
        Map<String, Object> report = new LinkedHashMap<>();
        boolean pass = true;
        try (SafetensorsFile reference = SafetensorsFile.open(dir.resolve("reference.safetensors"));
                LlavaEngine engine = LlavaEngine.load(dir, options, progress -> { })) {
            boolean half = engine.deviceDescription().endsWith("float16");
            // int8: QuantizedEngineTest's bound on the tiny fixture's logits
            boolean int8 = options.quantization().equals("int8");
            double tolerance = args.number("tolerance", int8 ? 5e-2 : half ? 3e-2 : 1e-3);
            report.put("device", engine.deviceDescription());
            report.put("tolerance", tolerance);
            Map<String, Object> results = new LinkedHashMap<>();
            try (Checkpoint checkpoint = Checkpoint.open(dir);
                    LoadedModel model = LoadedModel.load(checkpoint, ComputeDevice.open(options.device(), options.dtype(), options.quantization()),
                            (tensor, bytes) -> { })) {
                for (var it = cases.fields(); it.hasNext(); ) {
                    var c = it.next();
                    if (only != null && !only.contains(c.getKey())) {
                        continue;
                    }
                    Map<String, Object> result = new LinkedHashMap<>();
                    pass &= compareCase(engine, model, reference, c.getKey(), c.getValue(), tolerance, result);
                    results.put(c.getKey(), result);
                }
            }
            report.put("pass", pass);
            report.put("cases", results);
        }
        if (args.flag("json")) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
        } else {
            printSummary(report, out);
        }
        return pass;
    }

    private static boolean compareCase(LlavaEngine engine, LoadedModel model, SafetensorsFile reference, String name, JsonNode c,
            double tolerance, Map<String, Object> result) {
        boolean pass = true;
        List<ProcessedImage> referenceImages = c.get("images").isEmpty() ? List.of() : referenceImages(reference, name, c, model);
        if (!referenceImages.isEmpty()) {
            float[] vision = reference.readFloats(name + ".vision_output");
            float[] states = reference.readFloats(name + ".cross_attention_states");
            List<Map<String, Object>> perImage = new ArrayList<>();
            for (int i = 0; i < referenceImages.size(); i++) {
                LoadedModel.VisionOutput actual = model.visionOutput(referenceImages.get(i));
                Map<String, Object> image = new LinkedHashMap<>();
                image.put("vision_output", difference(actual.visionOutput(), slice(vision, i, referenceImages.size()), tolerance));
                image.put("cross_attention_states", difference(actual.projected(), slice(states, i, referenceImages.size()), tolerance));
                pass &= passed(image.get("vision_output")) && passed(image.get("cross_attention_states"));
                perImage.add(image);
            }
            result.put("images", perImage);
        }
        int[] ids = ints(c.get("input_ids"));
        float[] expectedLogits = reference.readFloats(name + ".logits");
        try (Session session = engine.newSession(referenceImages)) {
            float[] logits = session.promptLogits(ids);
            Map<String, Object> logitsResult = difference(logits, expectedLogits, tolerance);
            logitsResult.put("argmax_agreement", argmaxAgreement(logits, expectedLogits, ids.length));
            result.put("logits", logitsResult);
            pass &= passed(logitsResult);
        }
        List<ProcessedImage> ownImages = new ArrayList<>();
        for (JsonNode image : c.get("images")) {
            ownImages.add(engine.processImage(engine.directory().resolve(image.asText())));
        }
        int[] expected = ints(c.get("greedy_new_ids"));
        GenerationOptions greedy = GenerationOptions.builder().temperature(0).maxNewTokens(expected.length).ignoreEos(true).build();
        try (Session session = engine.newSession(ownImages)) {
            int[] actual = session.generate(session.prefill(ids), greedy, 1, null).get(0).tokens();
            Map<String, Object> tokens = new LinkedHashMap<>();
            int first = firstMismatch(expected, actual);
            tokens.put("pass", first < 0);
            if (first >= 0) {
                tokens.put("first_mismatch", first);
                tokens.put("expected", expected);
                tokens.put("actual", actual);
                if (first < Math.min(expected.length, actual.length)) {
                    // how close the call was: our logits after the reference's tokens up to the mismatch
                    int[] context = Arrays.copyOf(ids, ids.length + first);
                    System.arraycopy(expected, 0, context, ids.length, first);
                    float[] logits = session.promptLogits(context);
                    int vocab = logits.length / context.length;
                    int last = (context.length - 1) * vocab;
                    tokens.put("logit_ours_minus_reference_token", logits[last + actual[first]] - logits[last + expected[first]]);
                }
            }
            result.put("greedy_tokens", tokens);
            pass &= first < 0;
        }
        result.put("pass", pass);
        return pass;
    }

    /** Max absolute difference, where it is, and the reference's largest magnitude for scale. */
    private static Map<String, Object> difference(float[] actual, float[] expected, double tolerance) {
        if (actual.length != expected.length) {
            throw new IllegalStateException("output has " + actual.length + " values, the reference " + expected.length);
        }
        float max = 0;
        float scale = 0;
        int at = 0;
        for (int i = 0; i < actual.length; i++) {
            float d = Math.abs(actual[i] - expected[i]);
            if (!(d <= max)) {
                max = d;
                at = i;
            }
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("max_abs_diff", max);
        out.put("at_index", at);
        out.put("reference_max_abs", scale);
        out.put("pass", max <= tolerance);
        return out;
    }

    /** Fraction of prompt positions whose largest logit is the reference's. */
    private static double argmaxAgreement(float[] actual, float[] expected, int positions) {
        int vocab = expected.length / positions;
        int same = 0;
        for (int p = 0; p < positions; p++) {
            same += argmax(actual, p * vocab, vocab) == argmax(expected, p * vocab, vocab) ? 1 : 0;
        }
        return (double) same / positions;
    }

    private static int argmax(float[] values, int from, int count) {
        int best = from;
        for (int i = from + 1; i < from + count; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best - from;
    }

    private static int firstMismatch(int[] expected, int[] actual) {
        for (int i = 0; i < Math.max(expected.length, actual.length); i++) {
            if (i >= expected.length || i >= actual.length || expected[i] != actual[i]) {
                return i;
            }
        }
        return -1;
    }

    private static boolean passed(Object result) {
        return Boolean.TRUE.equals(((Map<?, ?>) result).get("pass"));
    }

    private static float[] slice(float[] all, int index, int count) {
        int per = all.length / count;
        return Arrays.copyOfRange(all, index * per, (index + 1) * per);
    }

    /** The reference processor's output for a case (what transformers fed its vision model), one per image. */
    private static List<ProcessedImage> referenceImages(SafetensorsFile reference, String name, JsonNode c, LoadedModel model) {
        float[] pixels = reference.readFloats(name + ".slow.pixel_values");
        long[] ids = reference.readLongs(name + ".slow.aspect_ratio_ids");
        long[] masks = reference.readLongs(name + ".slow.aspect_ratio_mask");
        int[] numTiles = ints(c.get("slow.num_tiles"));
        List<AspectRatio> ratios = model.config().vision().supportedAspectRatios();
        int images = ids.length;
        int maxTiles = masks.length / images;
        List<ProcessedImage> out = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            int[] mask = new int[maxTiles];
            for (int t = 0; t < maxTiles; t++) {
                mask[t] = (int) masks[i * maxTiles + t];
            }
            AspectRatio grid = ratios.get((int) ids[i] - 1);
            out.add(new ProcessedImage(slice(pixels, i, images), numTiles[i], grid.rows(), grid.cols(), (int) ids[i], mask));
        }
        return out;
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void printSummary(Map<String, Object> report, PrintStream out) {
        out.printf("device %s, tolerance %s: %s%n", report.get("device"), report.get("tolerance"),
                Boolean.TRUE.equals(report.get("pass")) ? "PASS" : "DIFFERENCES");
        ((Map<String, Object>) report.get("cases")).forEach((name, value) -> {
            Map<String, Object> c = (Map<String, Object>) value;
            StringBuilder line = new StringBuilder(String.format("%-11s", name));
            if (c.containsKey("images")) {
                List<Map<String, Object>> images = (List<Map<String, Object>>) c.get("images");
                for (int i = 0; i < images.size(); i++) {
                    line.append(String.format(" image %d vision %.2e states %.2e", i,
                            ((Map<String, Object>) images.get(i).get("vision_output")).get("max_abs_diff"),
                            ((Map<String, Object>) images.get(i).get("cross_attention_states")).get("max_abs_diff")));
                }
            }
            Map<String, Object> logits = (Map<String, Object>) c.get("logits");
            Map<String, Object> tokens = (Map<String, Object>) c.get("greedy_tokens");
            line.append(String.format(" logits %.2e (argmax %.3f) greedy %s", logits.get("max_abs_diff"), logits.get("argmax_agreement"),
                    Boolean.TRUE.equals(tokens.get("pass")) ? "same" : "differ from token " + tokens.get("first_mismatch")));
            out.println(line);
        });
    }
}
