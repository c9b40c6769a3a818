package io.github.llavao1.engine.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.llavao1.engine.checkpoint.WeightNames.VisionEncoder;
import io.github.llavao1.engine.config.MllamaConfig;
import io.github.llavao1.engine.testing.Fixtures;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WeightNamesTest {

    @Test
    void the11bModelHasItsPublishedParameterCount() {
        MllamaConfig config = MllamaConfig.load(Fixtures.config("llava-o1-11b.legacy.config.json"));
        long params = 0;
        for (WeightSpec spec : WeightNames.expectedTensors(config)) {
            params += spec.elementCount();
        }
        // Llama-3.2-11B-Vision's model.safetensors.index.json: total_size 21,340,441,670 bytes of bfloat16
        assertEquals(21_340_441_670L / 2, params);
        // text 3 + 32 self layers x 9 + 8 cross layers x 13; vision 13 + 32 x 12 + 8 global x 14; projector 2
        assertEquals(906, WeightNames.expectedTensors(config).size());

        Map<String, long[]> shapes = WeightNames.expectedShapes(config);
        assertArrayEquals(new long[] {128264, 4096}, shapes.get(WeightNames.embedTokens()));
        assertArrayEquals(new long[] {1024, 4096}, shapes.get(WeightNames.textLayer(3) + "cross_attn.k_proj.weight"));
        assertArrayEquals(new long[] {9, 4 * 1601 * 1280}, shapes.get(WeightNames.gatedPositionalTileEmbedding()));
        assertArrayEquals(new long[] {4096, 7680}, shapes.get(WeightNames.multiModalProjectorWeight()));
    }

    @Test
    void namesFollowThePublishedLayout() {
        assertEquals("language_model.model.layers.3.cross_attn_mlp_gate",
                LayerWeights.CrossAttentionDecoderLayer.CROSS_ATTN_MLP_GATE.tensors().get(0).name(WeightNames.textLayer(3)));
        assertEquals("vision_model.global_transformer.layers.7.mlp.fc2.bias",
                LayerWeights.VisionEncoderLayer.FC2_BIAS.tensors().get(0).name(VisionEncoder.GLOBAL_TRANSFORMER.layer(7)));
        assertEquals("vision_model.transformer.layers.0.self_attn.o_proj.weight",
                LayerWeights.VisionEncoderLayer.O_PROJ.tensors().get(0).name(VisionEncoder.TRANSFORMER.layer(0)));
    }

    @Test
    void transformers5KeysMapToCanonicalNames() {
        assertEquals(WeightNames.lmHead(), WeightNames.canonical("lm_head.weight"));
        assertEquals(WeightNames.textLayer(2) + "mlp.up_proj.weight", WeightNames.canonical("model.language_model.layers.2.mlp.up_proj.weight"));
        assertEquals(WeightNames.classEmbedding(), WeightNames.canonical("model.vision_model.class_embedding"));
        assertEquals(WeightNames.multiModalProjectorBias(), WeightNames.canonical("model.multi_modal_projector.bias"));
        assertEquals(WeightNames.textNorm(), WeightNames.canonical(WeightNames.textNorm()));
    }
}
