package io.github.llavao1.engine.config;

import static io.github.llavao1.engine.config.ConfigChecks.indicesWithin;
import static io.github.llavao1.engine.config.ConfigChecks.nonNullList;
import static io.github.llavao1.engine.config.ConfigChecks.positive;
import static io.github.llavao1.engine.config.ConfigChecks.require;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llavao1.engine.checkpoint.CheckpointException;
import java.util.ArrayList;
import java.util.List;

/**
 * The tiled ViT image encoder's {@code vision_config} (ports transformers' {@code MllamaVisionConfig}): a local
 * transformer of {@code numHiddenLayers} layers, then a gated global transformer of {@code numGlobalLayers}; the
 * hidden states at {@code intermediateLayersIndices} are concatenated to the final output, which makes
 * {@code visionOutputDim = hiddenSize * (1 + intermediateLayersIndices.size())}.
 *
 * @param imageSize the side of one square tile in pixels
 * @param supportedAspectRatios tile grids an image may be split into; aspect ratio id {@code i + 1} is entry {@code i}
 */
public record VisionConfig(int hiddenSize, int intermediateSize, int numHiddenLayers, int numGlobalLayers, int attentionHeads,
        int imageSize, int patchSize, int numChannels, int maxNumTiles, List<Integer> intermediateLayersIndices,
        List<AspectRatio> supportedAspectRatios, int visionOutputDim, double normEps) {

    private static final String P = "vision_config";

    public VisionConfig {
        positive(P + ".hidden_size", hiddenSize);
        positive(P + ".intermediate_size", intermediateSize);
        positive(P + ".num_hidden_layers", numHiddenLayers);
        require(numGlobalLayers >= 0, P + ".num_global_layers must not be negative, got " + numGlobalLayers);
        positive(P + ".attention_heads", attentionHeads);
        require(hiddenSize % attentionHeads == 0, P + ".attention_heads (" + attentionHeads
                + ") must divide hidden_size (" + hiddenSize + ")");
        positive(P + ".image_size", imageSize);
        positive(P + ".patch_size", patchSize);
        require(imageSize % patchSize == 0, P + ".patch_size (" + patchSize + ") must divide image_size (" + imageSize + ")");
        positive(P + ".num_channels", numChannels);
        positive(P + ".max_num_tiles", maxNumTiles);
        intermediateLayersIndices = nonNullList(P + ".intermediate_layers_indices", intermediateLayersIndices);
        indicesWithin(P + ".intermediate_layers_indices", intermediateLayersIndices, numHiddenLayers, "num_hidden_layers");
        supportedAspectRatios = nonNullList(P + ".supported_aspect_ratios", supportedAspectRatios);
        require(!supportedAspectRatios.isEmpty(), P + ".supported_aspect_ratios is empty");
        for (int i = 0; i < supportedAspectRatios.size(); i++) {
            AspectRatio ratio = supportedAspectRatios.get(i);
            require(ratio.tiles() <= maxNumTiles, P + ".supported_aspect_ratios[" + i + "] " + ratio.rows() + "x" + ratio.cols()
                    + " needs " + ratio.tiles() + " tiles, more than max_num_tiles (" + maxNumTiles + ")");
        }
        int expectedOutput = hiddenSize * (1 + intermediateLayersIndices.size());
        require(visionOutputDim == expectedOutput, P + ".vision_output_dim (" + visionOutputDim + ") must be hidden_size ("
                + hiddenSize + ") x (1 + " + intermediateLayersIndices.size() + " intermediate_layers_indices) = " + expectedOutput);
        positive(P + ".norm_eps", normEps);
    }

    public int headDim() {
        return hiddenSize / attentionHeads;
    }

    public int patchesPerSide() {
        return imageSize / patchSize;
    }

    /** Positions per tile: the patches plus the class token. */
    public int numPatches() {
        return patchesPerSide() * patchesPerSide() + 1;
    }

    /** {@link #numPatches()} rounded up to a multiple of 8, the sequence length the encoder pads each tile to. */
    public int paddedPatches() {
        return (numPatches() + 7) / 8 * 8;
    }

    /** The largest aspect ratio id; id 0 is the padding entry of the tile embeddings, so they have this + 1 rows. */
    public int maxAspectRatioId() {
        return supportedAspectRatios.size();
    }

    static VisionConfig parse(JsonNode vision) {
        Integer heads = JsonFields.optionalInt(vision, P, "attention_heads");
        if (heads == null) {
            heads = JsonFields.optionalInt(vision, P, "num_attention_heads");
        }
        if (heads == null) {
            throw new CheckpointException(P + ".attention_heads is missing");
        }
        return new VisionConfig(
                JsonFields.requiredInt(vision, P, "hidden_size"),
                JsonFields.requiredInt(vision, P, "intermediate_size"),
                JsonFields.requiredInt(vision, P, "num_hidden_layers"),
                JsonFields.requiredInt(vision, P, "num_global_layers"),
                heads,
                JsonFields.requiredInt(vision, P, "image_size"),
                JsonFields.requiredInt(vision, P, "patch_size"),
                JsonFields.optionalInt(vision, P, "num_channels", 3),
                JsonFields.requiredInt(vision, P, "max_num_tiles"),
                JsonFields.requiredIntList(vision, P, "intermediate_layers_indices"),
                aspectRatios(vision),
                JsonFields.requiredInt(vision, P, "vision_output_dim"),
                JsonFields.requiredDouble(vision, P, "norm_eps"));
    }

    private static List<AspectRatio> aspectRatios(JsonNode vision) {
        String key = P + ".supported_aspect_ratios";
        JsonNode list = vision.get("supported_aspect_ratios");
        if (list == null || list.isNull()) {
            throw new CheckpointException(key + " is missing");
        }
        if (!list.isArray()) {
            throw new CheckpointException(key + " must be a list of [rows, cols] pairs, got " + list);
        }
        List<AspectRatio> ratios = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            JsonNode pair = list.get(i);
            if (!pair.isArray() || pair.size() != 2 || !pair.get(0).canConvertToInt() || !pair.get(1).canConvertToInt()) {
                throw new CheckpointException(key + "[" + i + "] must be a [rows, cols] pair of integers, got " + pair);
            }
            ratios.add(new AspectRatio(pair.get(0).intValue(), pair.get(1).intValue()));
        }
        return ratios;
    }

    /** This config as a transformers 4.45 {@code vision_config} object. */
    ObjectNode toJson() {
        ObjectNode vision = JsonFields.JSON.createObjectNode();
        vision.put("model_type", "mllama_vision_model");
        vision.put("hidden_size", hiddenSize);
        vision.put("intermediate_size", intermediateSize);
        vision.put("num_hidden_layers", numHiddenLayers);
        vision.put("num_global_layers", numGlobalLayers);
        vision.put("attention_heads", attentionHeads);
        vision.put("hidden_act", "gelu");
        vision.put("image_size", imageSize);
        vision.put("patch_size", patchSize);
        vision.put("num_channels", numChannels);
        vision.put("max_num_tiles", maxNumTiles);
        ArrayNode indices = vision.putArray("intermediate_layers_indices");
        intermediateLayersIndices.forEach(indices::add);
        ArrayNode ratios = vision.putArray("supported_aspect_ratios");
        for (AspectRatio ratio : supportedAspectRatios) {
            ratios.addArray().add(ratio.rows()).add(ratio.cols());
        }
        vision.put("vision_output_dim", visionOutputDim);
        vision.put("norm_eps", normEps);
        return vision;
    }
}
