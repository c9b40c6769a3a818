package io.github.llavao1.engine.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llavao1.engine.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/** Copies of the tiny fixture checkpoint in a temporary directory, and ways to break them. */
public final class CheckpointFixtures {

    static final String SHARD_1 = "model-00001-of-00002.safetensors";
    static final String SHARD_2 = "model-00002-of-00002.safetensors";
    private static final List<String> FILES = List.of("config.json", "preprocessor_config.json", "generation_config.json",
            "tokenizer.json", ShardSet.INDEX_FILE, SHARD_1, SHARD_2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointFixtures() {
    }

    /** The tiny checkpoint's files copied into {@code dir}. */
    public static Path copyTiny(Path dir) {
        try {
            for (String name : FILES) {
                Files.copy(Fixtures.tinyCheckpoint().resolve(name), dir.resolve(name));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    public static void editJson(Path file, Consumer<ObjectNode> edit) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
            edit.accept(root);
            JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rewrites a shard's JSON header text, keeping its data bytes. */
    static void editHeader(Path shard, UnaryOperator<String> edit) {
        try {
            byte[] bytes = Files.readAllBytes(shard);
            ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            int headerLength = (int) in.getLong(0);
            String header = new String(bytes, 8, headerLength, StandardCharsets.UTF_8);
            byte[] newHeader = edit.apply(header).getBytes(StandardCharsets.UTF_8);
            byte[] data = Arrays.copyOfRange(bytes, 8 + headerLength, bytes.length);
            ByteBuffer out = ByteBuffer.allocate(8 + newHeader.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
            out.putLong(newHeader.length).put(newHeader).put(data);
            Files.write(shard, out.array());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rewrites every tensor of the tiny checkpoint into {@code dir} with {@code rename} applied and in {@code dtype}. */
    public static void rewriteShards(Path dir, TensorDType dtype, UnaryOperator<String> rename) {
        for (String name : List.of(SHARD_1, SHARD_2)) {
            SafetensorsWriter writer = new SafetensorsWriter();
            try (SafetensorsFile original = SafetensorsFile.open(Fixtures.tinyCheckpoint().resolve(name))) {
                for (TensorInfo tensor : original.tensors().values()) {
                    writer.add(rename.apply(tensor.name()), dtype, tensor.shape(), original.readFloats(tensor));
                }
            }
            writer.write(dir.resolve(name));
        }
        editJson(dir.resolve(ShardSet.INDEX_FILE), root -> {
            ObjectNode renamed = JSON.createObjectNode();
            root.get("weight_map").fields().forEachRemaining(e -> renamed.set(rename.apply(e.getKey()), e.getValue()));
            root.set("weight_map", renamed);
        });
    }
}
