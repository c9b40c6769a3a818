package io.github.llavao1.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llavao1.engine.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MllamaConfigTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void legacyAndTransformers5LayoutsOfThe11bModelAgree() {
        MllamaConfig legacy = MllamaConfig.load(Fixtures.config("llava-o1-11b.legacy.config.json"));
        MllamaConfig v5 = MllamaConfig.load(Fixtures.config("llama-3.2-11b-vision.transformers-5.config.json"));
        assertEquals(legacy.text(), v5.text());
        assertEquals(legacy.vision(), v5.vision());
        assertEquals(legacy.imageTokenIndex(), v5.imageTokenIndex());
        assertEquals("bfloat16", legacy.checkpointDtype());
        assertNull(v5.checkpointDtype());

        TextConfig text = legacy.text();
        assertEquals(128, text.headDim());
        assertEquals(4, text.numKeyValueGroups());
        assertEquals(128264, text.embeddingRows());
        assertEquals(List.of(3, 8, 13, 18, 23, 28, 33, 38), text.crossAttentionLayers());
        assertTrue(text.isCrossAttentionLayer(3));
        assertFalse(text.isCrossAttentionLayer(4));
        assertEquals(List.of(128001, 128008, 128009), text.eosTokenIds());
        assertEquals(new RopeScaling("llama3", 500000, 8, 1, 4, 8192), text.rope());

        VisionConfig vision = legacy.vision();
        assertEquals(80, vision.headDim());
        assertEquals(40, vision.patchesPerSide());
        assertEquals(1601, vision.numPatches());
        assertEquals(1608, vision.paddedPatches());
        assertEquals(8, vision.maxAspectRatioId());
        assertEquals(new AspectRatio(1, 4), vision.supportedAspectRatios().get(3));
        assertEquals(7680, vision.visionOutputDim());
    }

    @Test
    void tinyFixtureConfig() {
        MllamaConfig config = MllamaConfig.load(Fixtures.tinyCheckpoint().resolve("config.json"));
        assertEquals(431, config.imageTokenIndex());
        assertEquals("float32", config.checkpointDtype());
        assertEquals(16, config.text().headDim());
        assertEquals(2, config.text().numKeyValueGroups());
        assertEquals(List.of(1, 3), config.text().crossAttentionLayers());
        assertEquals(424, config.text().padTokenId());
        assertEquals(17, config.vision().numPatches());
        assertEquals(24, config.vision().paddedPatches());
        assertEquals(96, config.vision().visionOutputDim());
    }

    @Test
    void toJsonRoundTrips() {
        for (Path file : List.of(Fixtures.tinyCheckpoint().resolve("config.json"), Fixtures.config("llava-o1-11b.legacy.config.json"))) {
            MllamaConfig config = MllamaConfig.load(file);
            assertEquals(config, MllamaConfig.parse(config.toJson(), "round trip of " + file));
        }
        MllamaConfig plainRope = parse(root -> {
            ObjectNode text = (ObjectNode) root.get("text_config");
            text.remove("rope_parameters");
            text.put("rope_theta", 10000.0);
        });
        assertEquals(RopeScaling.plain(10000), plainRope.text().rope());
        assertEquals(plainRope, MllamaConfig.parse(plainRope.toJson(), "round trip"));
    }

    @Test
    void llama3InverseFrequenciesCoverAllThreeBands() {
        // numpy float32 following transformers' _compute_llama3_parameters for head_dim 16, theta 5e5:
        // indices 0-3 above the high-frequency cutoff (kept), 4 in the smoothed band, 5-7 divided by 8
        float[] expected = {1.0f, 0.193922758102417f, 0.03760603070259094f, 0.00729266507551074f,
            0.0005248460220173001f, 3.428102354519069e-05f, 6.647870577580761e-06f, 1.289173155782919e-06f};
        float[] actual = new RopeScaling("llama3", 500000, 8, 1, 4, 8192).inverseFrequencies(16);
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], expected[i] * 1e-6, "inv_freq[" + i + "]");
        }
        float[] plain = RopeScaling.plain(500000).inverseFrequencies(16);
        assertEquals(1.0313385e-05f, plain[7], 1e-11);
        assertEquals(plain[7] / 8, actual[7], 1e-12);
    }

    @Test
    void legacyRopeScalingMayUseTypeInsteadOfRopeType() {
        MllamaConfig config = parse(root -> {
            ObjectNode text = (ObjectNode) root.get("text_config");
            ObjectNode parameters = (ObjectNode) text.remove("rope_parameters");
            text.set("rope_theta", parameters.remove("rope_theta"));
            parameters.set("type", parameters.remove("rope_type"));
            text.set("rope_scaling", parameters);
        });
        assertEquals(new RopeScaling("llama3", 500000, 8, 1, 4, 8192), config.text().rope());
    }

    @Test
    void eosMayBeASingleIntAndVisionHeadsMayBeNumAttentionHeads() {
        MllamaConfig config = parse(root -> {
            ((ObjectNode) root.get("text_config")).put("eos_token_id", 421);
            ObjectNode vision = (ObjectNode) root.get("vision_config");
            vision.set("num_attention_heads", vision.remove("attention_heads"));
        });
        assertEquals(List.of(421), config.text().eosTokenIds());
        assertEquals(2, config.vision().attentionHeads());
    }

    @Test
    void invalidConfigsNameTheFileAndKey() {
        assertProblem(root -> ((ObjectNode) root.get("text_config")).put("num_key_value_heads", 3),
                "config.json: text_config.num_key_value_heads (3) must divide num_attention_heads (4)");
        assertProblem(root -> ((ObjectNode) root.get("text_config")).put("num_attention_heads", 5),
                "config.json: text_config.num_attention_heads (5) must divide hidden_size (64)");
        assertProblem(root -> ((ObjectNode) root.get("text_config")).put("hidden_size", 0),
                "config.json: text_config.hidden_size must be positive, got 0");
        assertProblem(root -> ((ObjectNode) root.get("text_config")).putArray("cross_attention_layers").add(1).add(5),
                "config.json: text_config.cross_attention_layers[1] = 5 is outside [0, num_hidden_layers = 5)");
        assertProblem(root -> ((ObjectNode) root.get("text_config")).remove("vocab_size"),
                "config.json: text_config.vocab_size is missing");
        assertProblem(root -> ((ObjectNode) root.get("text_config")).put("rms_norm_eps", "small"),
                "config.json: text_config.rms_norm_eps must be a number");
        assertProblem(root -> ((ObjectNode) root.get("text_config").get("rope_parameters")).put("rope_type", "yarn"),
                "config.json: text_config.rope_parameters.rope_type \"yarn\" is not supported");
        assertProblem(root -> ((ObjectNode) root.get("vision_config")).putArray("intermediate_layers_indices").add(1).add(3),
                "config.json: vision_config.intermediate_layers_indices[1] = 3 is outside [0, num_hidden_layers = 3)");
        assertProblem(root -> ((ObjectNode) root.get("vision_config")).put("vision_output_dim", 64),
                "config.json: vision_config.vision_output_dim (64) must be hidden_size (32) x (1 + 2 intermediate_layers_indices) = 96");
        assertProblem(root -> ((ObjectNode) root.get("vision_config")).put("patch_size", 15),
                "config.json: vision_config.patch_size (15) must divide image_size (56)");
        assertProblem(root -> ((ObjectNode) root.get("vision_config")).remove("attention_heads"),
                "config.json: vision_config.attention_heads is missing");
        assertProblem(root -> ((ObjectNode) root.get("vision_config")).put("max_num_tiles", 2),
                "config.json: vision_config.supported_aspect_ratios[2] 1x3 needs 3 tiles, more than max_num_tiles (2)");
        assertProblem(root -> root.put("image_token_index", 439), "config.json: image_token_index (439) is outside");
        assertProblem(root -> root.remove("vision_config"), "config.json: vision_config is missing");
    }

    @Test
    void legacyLayoutProblemsNameTheKeysTheFileUses() throws IOException {
        ObjectNode legacy = (ObjectNode) JSON.readTree(Fixtures.config("llava-o1-11b.legacy.config.json").toFile());
        ObjectNode text = (ObjectNode) legacy.get("text_config");
        ((ObjectNode) text.get("rope_scaling")).remove("factor");
        ConfigException e = assertThrows(ConfigException.class, () -> MllamaConfig.parse(legacy, "config.json"));
        assertEquals("config.json: text_config.rope_scaling.factor is missing", e.getMessage());
        assertEquals("text_config.rope_scaling.factor", e.key());
        text.remove("rope_theta");
        e = assertThrows(ConfigException.class, () -> MllamaConfig.parse(legacy, "config.json"));
        assertEquals("config.json: text_config.rope_theta is missing", e.getMessage());
    }

    @Test
    void problemsCarryTheirKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> parse(root -> ((ObjectNode) root.get("text_config")).put("num_key_value_heads", 3)));
        assertEquals("text_config.num_key_value_heads", e.key());
        e = assertThrows(ConfigException.class,
                () -> parse(root -> ((ObjectNode) root.get("vision_config")).putArray("supported_aspect_ratios").add(2)));
        assertEquals("config.json: vision_config.supported_aspect_ratios[0] must be a [rows, cols] pair of integers, got 2",
                e.getMessage());
    }

    @Test
    void modelTypeMustBeMllama() {
        assertProblem(root -> root.put("model_type", "llava"), "config.json: model_type \"llava\" is not supported; expected \"mllama\"");
        assertProblem(root -> root.remove("model_type"), "config.json: model_type is missing");
    }

    @Test
    void missingOrMalformedFileIsNamed() throws IOException {
        Path missing = dir.resolve("config.json");
        ConfigException e = assertThrows(ConfigException.class, () -> MllamaConfig.load(missing));
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("not found"), e.getMessage());
        java.nio.file.Files.writeString(missing, "{not json");
        e = assertThrows(ConfigException.class, () -> MllamaConfig.load(missing));
        assertTrue(e.getMessage().startsWith(missing + ": cannot read JSON"), e.getMessage());
    }

    @Test
    void preprocessorConfigs() throws IOException {
        PreprocessorConfig tiny = PreprocessorConfig.load(Fixtures.tinyCheckpoint().resolve("preprocessor_config.json"));
        assertEquals(56, tiny.tileHeight());
        assertEquals(56, tiny.tileWidth());
        assertEquals(4, tiny.maxImageTiles());
        assertEquals(PreprocessorConfig.clip(56, 4), tiny);
        PreprocessorConfig big = PreprocessorConfig.load(Fixtures.config("llava-o1-11b.preprocessor_config.json"));
        assertEquals(PreprocessorConfig.clip(560, 4), big);

        Path broken = dir.resolve("preprocessor_config.json");
        ObjectNode root = (ObjectNode) JSON.readTree(Fixtures.tinyCheckpoint().resolve("preprocessor_config.json").toFile());
        root.putArray("image_std").add(0.5).add(0.5);
        JSON.writeValue(broken.toFile(), root);
        ConfigException e = assertThrows(ConfigException.class, () -> PreprocessorConfig.load(broken));
        assertTrue(e.getMessage().startsWith(broken + ": image_std must hold 3 values"), e.getMessage());
    }

    @Test
    void generationConfigs() {
        GenerationConfig tiny = GenerationConfig.load(Fixtures.tinyCheckpoint().resolve("generation_config.json"));
        assertEquals(new GenerationConfig(420, List.of(421, 428, 429), 424, 0.6, 0.9, null), tiny);
        GenerationConfig big = GenerationConfig.load(Fixtures.config("llava-o1-11b.generation_config.json"));
        assertEquals(128000, big.bosTokenId());
        assertNull(big.temperature());
        assertEquals(List.of(), GenerationConfig.empty().eosTokenIds());
    }

    private static JsonNode tinyRoot() {
        try {
            return JSON.readTree(Fixtures.tinyCheckpoint().resolve("config.json").toFile());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static MllamaConfig parse(Consumer<ObjectNode> edit) {
        ObjectNode root = (ObjectNode) tinyRoot();
        edit.accept(root);
        return MllamaConfig.parse(root, "config.json");
    }

    private static void assertProblem(Consumer<ObjectNode> edit, String expectedMessageStart) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(edit));
        assertTrue(e.getMessage().startsWith(expectedMessageStart), () -> "expected \"" + expectedMessageStart + "\" but got \"" + e.getMessage() + "\"");
    }
}
