package io.github.llavao1.engine.config;

import static io.github.llavao1.engine.config.ConfigChecks.indicesWithin;
import static io.github.llavao1.engine.config.ConfigChecks.nonNullList;
import static io.github.llavao1.engine.config.ConfigChecks.positive;
import static io.github.llavao1.engine.config.ConfigChecks.require;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
public record VisionConfig(
        @JsonProperty("hidden_size") int hiddenSize,
        @JsonProperty("intermediate_size") int intermediateSize,
        @JsonProperty("num_hidden_layers") int numHiddenLayers,
        @JsonProperty("num_global_layers") int numGlobalLayers,
        @JsonProperty("attention_heads") @JsonAlias("num_attention_heads") int attentionHeads,
        @JsonProperty("image_size") int imageSize,
        @JsonProperty("patch_size") int patchSize,
        @JsonProperty(value = "num_channels", defaultValue = "3") int numChannels,
        @JsonProperty("max_num_tiles") int maxNumTiles,
        @JsonProperty("intermediate_layers_indices") List<Integer> intermediateLayersIndices,
        @JsonProperty("supported_aspect_ratios") List<AspectRatio> supportedAspectRatios,
        @JsonProperty("vision_output_dim") int visionOutputDim,
        @JsonProperty("norm_eps") double normEps) {

    public VisionConfig {
        positive("hidden_size", hiddenSize);
        positive("intermediate_size", intermediateSize);
        positive("num_hidden_layers", numHiddenLayers);
        require(numGlobalLayers >= 0, "num_global_layers", " must not be negative, got " + numGlobalLayers);
        positive("attention_heads", attentionHeads);
        require(hiddenSize % attentionHeads == 0, "attention_heads", " (" + attentionHeads
                + ") must divide hidden_size (" + hiddenSize + ")");
        positive("image_size", imageSize);
        positive("patch_size", patchSize);
        require(imageSize % patchSize == 0, "patch_size", " (" + patchSize + ") must divide image_size (" + imageSize + ")");
        positive("num_channels", numChannels);
        positive("max_num_tiles", maxNumTiles);
        intermediateLayersIndices = nonNullList("intermediate_layers_indices", intermediateLayersIndices);
        indicesWithin("intermediate_layers_indices", intermediateLayersIndices, numHiddenLayers, "num_hidden_layers");
        supportedAspectRatios = nonNullList("supported_aspect_ratios", supportedAspectRatios);
        require(!supportedAspectRatios.isEmpty(), "supported_aspect_ratios", " is empty");
        for (int i = 0; i < supportedAspectRatios.size(); i++) {
            AspectRatio ratio = supportedAspectRatios.get(i);
            require(ratio.tiles() <= maxNumTiles, "supported_aspect_ratios[" + i + "]", " " + ratio.rows() + "x" + ratio.cols()
                    + " needs " + ratio.tiles() + " tiles, more than max_num_tiles (" + maxNumTiles + ")");
        }
        int expectedOutput = hiddenSize * (1 + intermediateLayersIndices.size());
        require(visionOutputDim == expectedOutput, "vision_output_dim", " (" + visionOutputDim + ") must be hidden_size ("
                + hiddenSize + ") x (1 + " + intermediateLayersIndices.size() + " intermediate_layers_indices) = " + expectedOutput);
        positive("norm_eps", normEps);
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

    /** This config as a transformers 4.45 {@code vision_config} object. */
    ObjectNode toJson() {
        ObjectNode vision = JsonRecords.JSON.createObjectNode().put("model_type", "mllama_vision_model").put("hidden_act", "gelu");
        return vision.setAll(JsonRecords.writeObject(this));
    }
}
