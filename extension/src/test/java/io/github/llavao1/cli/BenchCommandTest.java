package io.github.llavao1.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llavao1.engine.config.MllamaConfig;
import io.github.llavao1.engine.model.Quantization;
import io.github.llavao1.engine.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench's decode floor: the bytes a step reads, and the new report keys on the tiny fixture's shape. */
class BenchCommandTest {

    /**
     * The tiny fixture's shape (D 64, 4 heads of 16, 2 KV heads, 5 layers of which 1 and 3 cross-attention, vocabulary
     * 431, 4 tiles of 4×4 + 1 patches) with an MLP width of 120, so that down_proj's K (120) is no multiple of 16 and
     * stays float32 under int8.
     */
    private static MllamaConfig config() {
        ObjectNode root = MllamaConfig.load(Fixtures.goldenCheckpoint().resolve("config.json")).toJson();
        ((ObjectNode) root.get("text_config")).put("intermediate_size", 120);
        return MllamaConfig.parse(root, "test");
    }

    // by hand, per map N × K: self q|k|v 128 × 64, o 64 × 64, gate|up 240 × 64, down 64 × 120; cross q 64 × 64, o,
    // gate|up, down as self; LM head 431 × 64; norms 64 (two a layer, the final one) and the cross q_norm 16
    private static final long IMAGE_KV = 2 * 2 * 2 * (4 * 17) * 16 * 4; // cross layers · k,v · KV heads · positions · hd · 4 B
    private static final long KV_CACHE = 3 * 2 * 2 * 10 * 16 * 4; // self layers · k,v · KV heads · 10 positions · hd · 4 B

    @Test
    void float32StepReadsEveryStepWeightInFloat32() {
        long self = (128 * 64 + 64 * 64 + 240 * 64 + 64 * 120) * 4 + 2 * 64 * 4;
        long cross = (64 * 64 + 64 * 64 + 240 * 64 + 64 * 120) * 4 + (2 * 64 + 16) * 4;
        long expected = 3 * self + 2 * cross + 64 * 4 + 431 * 64 * 4 + IMAGE_KV + KV_CACHE;
        assertEquals(829_568, expected);
        assertEquals(expected, BenchCommand.decodeBytesReadPerStep(config(), Quantization.NONE, 4, 10));
    }

    @Test
    void int8StepReadsBytesAndRowScalesWhereKIsAMultipleOf16() {
        // N·K bytes + 4·N of scales; down_proj (K 120) stays float32
        long self = (128 * 64 + 4 * 128) + (64 * 64 + 4 * 64) + (240 * 64 + 4 * 240) + 64 * 120 * 4 + 2 * 64 * 4;
        long cross = (64 * 64 + 4 * 64) + (64 * 64 + 4 * 64) + (240 * 64 + 4 * 240) + 64 * 120 * 4 + (2 * 64 + 16) * 4;
        long expected = 3 * self + 2 * cross + 64 * 4 + (431 * 64 + 4 * 431) + IMAGE_KV + KV_CACHE;
        assertEquals(366_524, expected);
        assertEquals(expected, BenchCommand.decodeBytesReadPerStep(config(), Quantization.INT8, 4, 10));
    }

    @Test
    void jsonReportsTheDecodeFloorAndThePeakAnonymousMemory(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"bench", "--config", Fixtures.goldenCheckpoint().resolve("config.json").toString(),
                "--dir", dir.resolve("weights").toString(), "--device", "cpu", "--prompt-tokens", "8", "--decode-steps", "4",
                "--repeat", "1", "--batches", "1", "--json"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        JsonNode report = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        List<String> keys = List.of("decode_bytes_read_per_step_batch_1", "memory_read_gb_per_s",
                "decode_floor_ms_per_step_batch_1", "decode_vs_floor_batch_1", "peak_rss_gb");
        for (String key : keys) {
            assertTrue(report.has(key) && report.get(key).asDouble() > 0, key + " in " + report);
        }
        if (System.getProperty("os.name").toLowerCase().contains("linux")) {
            assertTrue(report.get("peak_anon_rss_gb").asDouble() > 0, report.toString());
        } else {
            assertTrue(report.has("peak_anon_rss_gb_note"), report.toString());
        }
    }
}
