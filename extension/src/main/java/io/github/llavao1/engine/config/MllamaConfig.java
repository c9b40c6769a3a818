package io.github.llavao1.engine.config;

import static io.github.llavao1.engine.config.ConfigChecks.require;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llavao1.engine.checkpoint.CheckpointException;
import java.nio.file.Path;
import java.util.Set;

/**
 * A checkpoint's {@code config.json} (ports transformers' {@code MllamaConfig}): the text and vision configs, the
 * {@code <|image|>} token id and the dtype the weights were saved in. Accepts the transformers 4.45 layout the
 * published checkpoints use and the transformers 5 layout ({@code rope_parameters}, {@code dtype}).
 *
 * @param checkpointDtype "float32", "bfloat16" or "float16" from {@code dtype} or {@code torch_dtype}; null when absent
 */
public record MllamaConfig(TextConfig text, VisionConfig vision, int imageTokenIndex, String checkpointDtype) {

    public static final String MODEL_TYPE = "mllama";
    private static final Set<String> DTYPES = Set.of("float32", "bfloat16", "float16");

    public MllamaConfig {
        require(text != null, "text_config is missing");
        require(vision != null, "vision_config is missing");
        require(imageTokenIndex >= 0 && imageTokenIndex < text.embeddingRows(), "image_token_index (" + imageTokenIndex
                + ") is outside the embedding rows [0, vocab_size + " + TextConfig.EXTRA_EMBEDDING_ROWS + " = " + text.embeddingRows() + ")");
        require(checkpointDtype == null || DTYPES.contains(checkpointDtype),
                "dtype \"" + checkpointDtype + "\" is not one of " + DTYPES);
    }

    /** Reads and validates {@code configJson}; every problem is a CheckpointException naming the file and key. */
    public static MllamaConfig load(Path configJson) {
        return parse(JsonFields.readObject(configJson), configJson.toString());
    }

    /** Parses a config.json tree; {@code source} names it in error messages. */
    public static MllamaConfig parse(JsonNode root, String source) {
        return JsonFields.inFile(source, () -> parse(root));
    }

    private static MllamaConfig parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new CheckpointException("expected a JSON object");
        }
        String modelType = JsonFields.optionalText(root, "", "model_type");
        if (modelType == null) {
            throw new CheckpointException("model_type is missing; expected \"" + MODEL_TYPE + "\" (a Llama 3.2 Vision checkpoint)");
        }
        if (!MODEL_TYPE.equals(modelType)) {
            throw new CheckpointException("model_type \"" + modelType + "\" is not supported; expected \"" + MODEL_TYPE
                    + "\" (a Llama 3.2 Vision checkpoint)");
        }
        TextConfig text = TextConfig.parse(JsonFields.requiredObject(root, "", "text_config"));
        VisionConfig vision = VisionConfig.parse(JsonFields.requiredObject(root, "", "vision_config"));
        return new MllamaConfig(text, vision, JsonFields.requiredInt(root, "", "image_token_index"), dtype(root));
    }

    /** transformers 5 writes {@code dtype}, 4.45 {@code torch_dtype}; older files only set it in text_config. */
    private static String dtype(JsonNode root) {
        String dtype = JsonFields.optionalText(root, "", "dtype");
        if (dtype == null) {
            dtype = JsonFields.optionalText(root, "", "torch_dtype");
        }
        JsonNode text = root.get("text_config");
        if (dtype == null) {
            dtype = JsonFields.optionalText(text, "text_config", "torch_dtype");
        }
        return dtype;
    }

    /** This config as a config.json tree in the transformers 4.45 layout; {@link #parse} of it gives an equal config. */
    public ObjectNode toJson() {
        ObjectNode root = JsonFields.JSON.createObjectNode();
        root.putArray("architectures").add("MllamaForConditionalGeneration");
        root.put("model_type", MODEL_TYPE);
        root.put("image_token_index", imageTokenIndex);
        if (checkpointDtype != null) {
            root.put("torch_dtype", checkpointDtype);
        }
        root.set("text_config", text.toJson());
        root.set("vision_config", vision.toJson());
        return root;
    }

    /** The same model with weights declared as {@code dtype} ("float32", "bfloat16", "float16"). */
    public MllamaConfig withCheckpointDtype(String dtype) {
        return new MllamaConfig(text, vision, imageTokenIndex, dtype);
    }
}
