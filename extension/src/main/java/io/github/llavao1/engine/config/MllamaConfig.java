package io.github.llavao1.engine.config;

import static io.github.llavao1.engine.config.ConfigChecks.require;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Set;

/**
 * A checkpoint's {@code config.json} (ports transformers' {@code MllamaConfig}): the text and vision configs, the
 * {@code <|image|>} token id and the dtype the weights were saved in. Accepts the transformers 4.45 layout the
 * published checkpoints use and the transformers 5 layout ({@code rope_parameters}, {@code dtype}).
 *
 * @param checkpointDtype "float32", "bfloat16" or "float16" from {@code dtype} or {@code torch_dtype} (older files
 *     set it only in {@code text_config}); null when absent
 */
public record MllamaConfig(
        @JsonProperty(TEXT_CONFIG) TextConfig text,
        @JsonProperty("vision_config") VisionConfig vision,
        @JsonProperty("image_token_index") int imageTokenIndex,
        @JsonProperty(DTYPE) @JsonAlias(TORCH_DTYPE) String checkpointDtype) {

    public static final String MODEL_TYPE = "mllama";
    private static final String TEXT_CONFIG = "text_config";
    private static final String DTYPE = "dtype";
    private static final String TORCH_DTYPE = "torch_dtype";
    private static final Set<String> DTYPES = Set.of("float32", "bfloat16", "float16");

    public MllamaConfig {
        require(text != null, TEXT_CONFIG, " is missing");
        require(vision != null, "vision_config", " is missing");
        require(imageTokenIndex >= 0 && imageTokenIndex < text.embeddingRows(), "image_token_index", " (" + imageTokenIndex
                + ") is outside the embedding rows [0, vocab_size + " + TextConfig.EXTRA_EMBEDDING_ROWS + " = " + text.embeddingRows() + ")");
        require(checkpointDtype == null || DTYPES.contains(checkpointDtype), DTYPE,
                " \"" + checkpointDtype + "\" is not one of " + DTYPES);
    }

    /** Reads and validates {@code configJson}; every problem is a ConfigException naming the file and key. */
    public static MllamaConfig load(Path configJson) {
        return JsonRecords.load(configJson, MllamaConfig::parse);
    }

    /** Parses a config.json tree; {@code source} names it in error messages. */
    public static MllamaConfig parse(JsonNode root, String source) {
        return JsonRecords.in(source, () -> parse(root));
    }

    private static MllamaConfig parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new ConfigException("", "expected a JSON object");
        }
        JsonNode modelType = root.get("model_type");
        String expected = "; expected \"" + MODEL_TYPE + "\" (a Llama 3.2 Vision checkpoint)";
        require(modelType != null && !modelType.isNull(), "model_type", " is missing" + expected);
        require(MODEL_TYPE.equals(modelType.asText()), "model_type", " " + modelType + " is not supported" + expected);
        ObjectNode tree = ((ObjectNode) root).deepCopy();
        if (!(tree.get(TEXT_CONFIG) instanceof ObjectNode text)) {
            return JsonRecords.read(MllamaConfig.class, tree, ""); // reports text_config as missing or no object
        }
        if (!tree.hasNonNull(DTYPE) && !tree.hasNonNull(TORCH_DTYPE) && text.hasNonNull(TORCH_DTYPE)) {
            tree.set(DTYPE, text.get(TORCH_DTYPE));
        }
        boolean legacy;
        try {
            legacy = TextConfig.nestLegacyRope(text);
        } catch (ConfigException e) {
            throw e.under(TEXT_CONFIG);
        }
        try {
            return JsonRecords.read(MllamaConfig.class, tree, "");
        } catch (ConfigException e) {
            throw legacy ? TextConfig.legacyRopeKey(e, TEXT_CONFIG) : e;
        }
    }

    /** This config as a config.json tree in the transformers 4.45 layout; {@link #parse} of it gives an equal config. */
    public ObjectNode toJson() {
        ObjectNode root = JsonRecords.JSON.createObjectNode();
        root.putArray("architectures").add("MllamaForConditionalGeneration");
        root.put("model_type", MODEL_TYPE);
        root.setAll(JsonRecords.writeObject(this));
        root.set(TEXT_CONFIG, text.toJson());
        root.set("vision_config", vision.toJson());
        if (root.has(DTYPE)) {
            root.set(TORCH_DTYPE, root.remove(DTYPE)); // the name 4.45 reads
        }
        return root;
    }

    /** The same model with weights declared as {@code dtype} ("float32", "bfloat16", "float16"). */
    public MllamaConfig withCheckpointDtype(String dtype) {
        return new MllamaConfig(text, vision, imageTokenIndex, dtype);
    }
}
