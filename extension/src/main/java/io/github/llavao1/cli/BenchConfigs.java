package io.github.llavao1.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llavao1.engine.config.MllamaConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Model shapes for benchmarks with random weights: the real LLaVA-o1 (Llama 3.2 11B Vision) config, and scaled-down
 * variants that keep its structure (head dims, tile size, vocabulary, interleaved cross-attention layers) so that
 * CPU runs finish on a small machine.
 */
final class BenchConfigs {

    static final String PRESETS = "11b | deep | mid | small";
    private static final ObjectMapper JSON = new ObjectMapper();

    private BenchConfigs() {
    }

    /** A preset name or a config.json path. */
    static MllamaConfig resolve(String presetOrFile) {
        ObjectNode root = switch (presetOrFile) {
            case "11b" -> real();
            // the real 40-layer text structure (32 self- and 8 cross-attention layers, GQA 4:1, 128k vocabulary, 4 × 1,601
            // image positions) at small widths, with a one-layer vision tower: a decoder benchmark
            case "deep" -> scaled(real(), 512, 1536, 40, new int[] {3, 8, 13, 18, 23, 28, 33, 38}, 8, 2, 256, 1024, 1, 1, 4,
                    new int[] {0});
            case "mid" -> scaled(real(), 2048, 5632, 8, new int[] {3, 7}, 16, 4, 640, 2560, 8, 2, 8, new int[] {1, 3, 5, 6, 7});
            case "small" -> scaled(real(), 512, 1536, 4, new int[] {1, 3}, 8, 2, 256, 1024, 4, 1, 4, new int[] {1, 3});
            default -> null;
        };
        if (root == null) {
            return MllamaConfig.load(Path.of(presetOrFile));
        }
        return MllamaConfig.parse(root, "preset " + presetOrFile);
    }

    /** The same shape with the tiny test tokenizer's vocabulary (431 tokens, {@code <|image|>} = 431). */
    static MllamaConfig withTinyVocabulary(MllamaConfig config) {
        ObjectNode root = config.toJson();
        ObjectNode text = (ObjectNode) root.get("text_config");
        text.put("vocab_size", 431);
        text.put("bos_token_id", 420);
        text.put("pad_token_id", 424);
        ArrayNode eos = text.putArray("eos_token_id");
        eos.add(421).add(428).add(429);
        root.put("image_token_index", 431);
        return MllamaConfig.parse(root, "tiny-vocabulary variant");
    }

    private static ObjectNode real() {
        try (InputStream in = BenchConfigs.class.getResourceAsStream("llava-o1-11b.config.json")) {
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode scaled(ObjectNode root, int hidden, int ffn, int layers, int[] crossLayers, int heads, int kvHeads,
            int visionHidden, int visionFfn, int visionLayers, int globalLayers, int visionHeads, int[] intermediate) {
        ObjectNode text = (ObjectNode) root.get("text_config");
        text.put("hidden_size", hidden);
        text.put("intermediate_size", ffn);
        text.put("num_hidden_layers", layers);
        text.put("num_attention_heads", heads);
        text.put("num_key_value_heads", kvHeads);
        ArrayNode cross = text.putArray("cross_attention_layers");
        for (int layer : crossLayers) {
            cross.add(layer);
        }
        ObjectNode vision = (ObjectNode) root.get("vision_config");
        vision.put("hidden_size", visionHidden);
        vision.put("intermediate_size", visionFfn);
        vision.put("num_hidden_layers", visionLayers);
        vision.put("num_global_layers", globalLayers);
        vision.put("attention_heads", visionHeads);
        ArrayNode indices = vision.putArray("intermediate_layers_indices");
        for (int index : intermediate) {
            indices.add(index);
        }
        vision.put("vision_output_dim", visionHidden * (1 + intermediate.length));
        return root;
    }
}
