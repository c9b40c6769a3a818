package io.github.llavao1.engine.checkpoint;

import static io.github.llavao1.engine.checkpoint.CheckpointFixtures.SHARD_1;
import static io.github.llavao1.engine.checkpoint.CheckpointFixtures.SHARD_2;
import static io.github.llavao1.engine.checkpoint.CheckpointFixtures.copyTiny;
import static io.github.llavao1.engine.checkpoint.CheckpointFixtures.editHeader;
import static io.github.llavao1.engine.checkpoint.CheckpointFixtures.editJson;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llavao1.engine.config.GenerationConfig;
import io.github.llavao1.engine.config.MllamaConfig;
import io.github.llavao1.engine.testing.Fixtures;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

    @TempDir
    Path dir;

    @Test
    void opensTheTinyFixture() {
        try (Checkpoint checkpoint = Checkpoint.open(Fixtures.tinyCheckpoint())) {
            MllamaConfig config = checkpoint.config();
            assertEquals(64, config.text().hiddenSize());
            assertEquals(56, checkpoint.preprocessor().tileHeight());
            assertEquals(List.of(421, 428, 429), checkpoint.generation().eosTokenIds());
            assertEquals(Fixtures.tinyCheckpoint().resolve("tokenizer.json"), checkpoint.tokenizerFile().orElseThrow());
            assertEquals(List.of(Fixtures.tinyCheckpoint().resolve(SHARD_1), Fixtures.tinyCheckpoint().resolve(SHARD_2)),
                    checkpoint.shards());
            assertEquals(1321900, checkpoint.totalBytes()); // the index's metadata.total_size
            Map<String, long[]> expected = WeightNames.expectedShapes(config);
            assertEquals(expected.keySet(), checkpoint.tensors().keySet(), "the fixture holds exactly the needed tensors");

            TensorInfo embed = checkpoint.tensor(WeightNames.embedTokens());
            assertArrayEquals(new long[] {439, 64}, embed.shape());
            try (SafetensorsFile shard = SafetensorsFile.open(Fixtures.tinyCheckpoint().resolve(SHARD_1))) {
                float[] direct = shard.readFloats(WeightNames.embedTokens());
                FloatBuffer row = FloatBuffer.allocate(64);
                checkpoint.readFloats(embed, 64L * 420, 64, row);
                assertArrayEquals(Arrays.copyOfRange(direct, 64 * 420, 64 * 421), row.array());
            }
            assertSame(checkpoint.file(embed), checkpoint.file(checkpoint.tensor(WeightNames.lmHead())));
            assertEquals(1, checkpoint.readFloats(WeightNames.VisionEncoder.GLOBAL_TRANSFORMER.layer(1) + "gate_attn").length);

            CheckpointException e = assertThrows(CheckpointException.class, () -> checkpoint.tensor("vision_model.nope"));
            assertTrue(e.getMessage().contains("vision_model.nope") && e.getMessage().contains(Fixtures.tinyCheckpoint().toString()),
                    e.getMessage());
        }
    }

    @Test
    void optionalFilesMayBeAbsent() throws IOException {
        copyTiny(dir);
        Files.delete(dir.resolve("preprocessor_config.json"));
        Files.delete(dir.resolve("generation_config.json"));
        Files.delete(dir.resolve("tokenizer.json"));
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            assertNull(checkpoint.preprocessor());
            assertEquals(GenerationConfig.empty(), checkpoint.generation());
            assertTrue(checkpoint.tokenizerFile().isEmpty());
        }
    }

    @Test
    void aSingleModelSafetensorsFileIsEnough() {
        copyTiny(dir);
        SafetensorsWriter writer = new SafetensorsWriter();
        for (String shard : List.of(SHARD_1, SHARD_2)) {
            try (SafetensorsFile file = SafetensorsFile.open(dir.resolve(shard))) {
                file.tensors().values().forEach(t -> writer.add(t.name(), TensorDType.F32, t.shape(), file.readFloats(t)));
            }
        }
        writer.write(dir.resolve("model.safetensors"));
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            assertEquals(List.of(dir.resolve("model.safetensors")), checkpoint.shards());
        }
    }

    @Test
    void missingConfigJsonIsNamed() throws IOException {
        copyTiny(dir);
        Files.delete(dir.resolve("config.json"));
        assertProblems(dir.resolve("config.json") + ": required file not found");
    }

    @Test
    void missingDirectoryIsNamed() {
        Path missing = dir.resolve("nowhere");
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.open(missing));
        assertEquals(missing + ": checkpoint directory not found", e.getMessage());
    }

    @Test
    void unknownModelTypeIsRejected() {
        copyTiny(dir);
        editJson(dir.resolve("config.json"), root -> root.put("model_type", "llava_next"));
        assertProblems(dir.resolve("config.json") + ": model_type \"llava_next\" is not supported; expected \"mllama\"");
    }

    @Test
    void indexReferencingAMissingShardIsReported() throws IOException {
        copyTiny(dir);
        Files.delete(dir.resolve(SHARD_2));
        CheckpointException e = assertProblems(dir.resolve(ShardSet.INDEX_FILE) + ": references shard " + SHARD_2 + ", which does not exist");
        assertTrue(e.getMessage().startsWith(dir + ": checkpoint is not usable (1 problem):"), e.getMessage());
    }

    @Test
    void tensorListedInTheIndexButAbsentFromItsShardIsReported() {
        copyTiny(dir);
        editJson(dir.resolve(ShardSet.INDEX_FILE),
                root -> ((ObjectNode) root.get("weight_map")).put(WeightNames.multiModalProjectorBias(), SHARD_2));
        assertProblems(dir.resolve(ShardSet.INDEX_FILE) + ": lists tensor 'multi_modal_projector.bias' in " + SHARD_2
                + ", but that shard has no such tensor",
                "tensor 'multi_modal_projector.bias' is missing from the checkpoint");
    }

    @Test
    void neededTensorAbsentFromTheCheckpointIsReported() {
        copyTiny(dir);
        editJson(dir.resolve(ShardSet.INDEX_FILE),
                root -> ((ObjectNode) root.get("weight_map")).remove(WeightNames.textLayer(3) + "cross_attn.k_norm.weight"));
        assertProblems("tensor 'language_model.model.layers.3.cross_attn.k_norm.weight' is missing from the checkpoint");
    }

    @Test
    void shapeContradictingTheConfigIsReported() {
        copyTiny(dir);
        editJson(dir.resolve("config.json"), root -> ((ObjectNode) root.get("text_config")).put("vocab_size", 432));
        assertProblems(dir.resolve(SHARD_1) + ": tensor 'language_model.model.embed_tokens.weight' has shape [439, 64]"
                        + " but config.json implies [440, 64]",
                dir.resolve(SHARD_1) + ": tensor 'language_model.lm_head.weight' has shape [431, 64] but config.json implies [432, 64]");
    }

    @Test
    void aConfigForABiggerModelListsAFewMissingTensorsAndCountsTheRest() {
        copyTiny(dir);
        editJson(dir.resolve("config.json"), root -> ((ObjectNode) root.get("text_config")).put("num_hidden_layers", 40));
        // layers 5..39 are self-attention layers of 9 tensors each: 315 missing, 20 listed
        CheckpointException e = assertProblems("tensor 'language_model.model.layers.5.input_layernorm.weight' is missing",
                "... and 295 more missing tensors");
        assertTrue(e.getMessage().startsWith(dir + ": checkpoint is not usable (21 problems):"), e.getMessage());
    }

    @Test
    void truncatedShardIsReportedByName() throws IOException {
        copyTiny(dir);
        try (FileChannel channel = FileChannel.open(dir.resolve(SHARD_2), StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 100);
        }
        assertProblems(dir.resolve(SHARD_2) + ": tensor '", "(truncated shard?)");
    }

    @Test
    void headerSizeMismatchIsReportedByName() {
        copyTiny(dir);
        // the header claims 4 bytes more than [32, 32] F32 needs
        editHeader(dir.resolve(SHARD_2), header -> header.replace(
                "\"vision_model.transformer.layers.0.self_attn.q_proj.weight\":{\"dtype\":\"F32\",\"shape\":[32,32]",
                "\"vision_model.transformer.layers.0.self_attn.q_proj.weight\":{\"dtype\":\"F32\",\"shape\":[32,31]"));
        assertProblems(dir.resolve(SHARD_2) + ": tensor 'vision_model.transformer.layers.0.self_attn.q_proj.weight': header says 4096"
                + " bytes but shape [32,31] of F32 needs 3968");
    }

    @Test
    void integerDtypeForAWeightIsReported() {
        copyTiny(dir);
        editHeader(dir.resolve(SHARD_1), header -> header.replace(
                "\"multi_modal_projector.bias\":{\"dtype\":\"F32\"", "\"multi_modal_projector.bias\":{\"dtype\":\"I32\""));
        assertProblems(dir.resolve(SHARD_1) + ": tensor 'multi_modal_projector.bias' has dtype I32; weights must be F32, BF16 or F16");
    }

    @Test
    void allProblemsAreReportedTogether() throws IOException {
        copyTiny(dir);
        editJson(dir.resolve("config.json"), root -> ((ObjectNode) root.get("text_config")).put("vocab_size", 432));
        editJson(dir.resolve("generation_config.json"), root -> root.put("top_p", 2.0));
        Files.delete(dir.resolve(SHARD_2));
        editJson(dir.resolve(ShardSet.INDEX_FILE), root -> ((ObjectNode) root.get("weight_map")).remove(WeightNames.textNorm()));
        CheckpointException e = assertProblems(
                "embed_tokens.weight' has shape [439, 64] but config.json implies [440, 64]",
                dir.resolve("generation_config.json") + ": top_p must be in (0, 1], got 2.0",
                "references shard " + SHARD_2 + ", which does not exist",
                "tensor 'language_model.model.norm.weight' is missing from the checkpoint");
        assertTrue(e.getMessage().startsWith(dir + ": checkpoint is not usable ("), e.getMessage());
    }

    @Test
    void transformers5KeyLayoutMapsToCanonicalNames() {
        copyTiny(dir);
        CheckpointFixtures.rewriteShards(dir, TensorDType.F32, CheckpointTest::transformers5Name);
        try (Checkpoint renamed = Checkpoint.open(dir); Checkpoint original = Checkpoint.open(Fixtures.tinyCheckpoint())) {
            assertEquals("lm_head.weight", renamed.tensor(WeightNames.lmHead()).name());
            assertEquals("model.language_model.layers.1.cross_attn_attn_gate", renamed.tensor(WeightNames.textLayer(1) + "cross_attn_attn_gate").name());
            for (String name : WeightNames.expectedShapes(original.config()).keySet()) {
                assertArrayEquals(original.readFloats(name), renamed.readFloats(name), name);
            }
        }
    }

    @Test
    void bfloat16CopyReadsAsRoundedOriginals() {
        copyTiny(dir);
        CheckpointFixtures.rewriteShards(dir, TensorDType.BF16, name -> name);
        try (Checkpoint bf16 = Checkpoint.open(dir); Checkpoint original = Checkpoint.open(Fixtures.tinyCheckpoint())) {
            assertEquals(original.totalBytes() / 2, bf16.totalBytes());
            for (String name : WeightNames.expectedShapes(original.config()).keySet()) {
                assertEquals(TensorDType.BF16, bf16.tensor(name).dtype());
                float[] exact = original.readFloats(name);
                float[] rounded = bf16.readFloats(name);
                for (int i = 0; i < exact.length; i++) {
                    // a bfloat16 keeps the top 16 bits of a float32 and is within half its unit in the last place
                    assertEquals(0, Float.floatToRawIntBits(rounded[i]) & 0xFFFF, name);
                    assertTrue(Math.abs(rounded[i] - exact[i]) <= Math.ulp(exact[i]) * 32768, name + "[" + i + "]");
                }
            }
        }
    }

    static String transformers5Name(String legacy) {
        if (legacy.startsWith("language_model.model.")) {
            return "model.language_model." + legacy.substring("language_model.model.".length());
        }
        if (legacy.equals("language_model.lm_head.weight")) {
            return "lm_head.weight";
        }
        return "model." + legacy;
    }

    private CheckpointException assertProblems(String... fragments) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.open(dir));
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), () -> "expected \"" + fragment + "\" in:\n" + e.getMessage());
        }
        return e;
    }
}
