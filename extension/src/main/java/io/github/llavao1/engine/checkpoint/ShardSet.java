package io.github.llavao1.engine.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The open safetensors files of a checkpoint directory: {@code model.safetensors}, or the shards that
 * {@code model.safetensors.index.json} lists (transformers looks for the single file first, so do we). Tensors are
 * keyed by canonical name ({@link WeightNames#canonical}). Problems are collected, not thrown, so that the
 * checkpoint can report all of them at once.
 */
final class ShardSet implements AutoCloseable {

    static final String SINGLE_FILE = "model.safetensors";
    static final String INDEX_FILE = "model.safetensors.index.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<Path, SafetensorsFile> files = new LinkedHashMap<>();
    private final Map<String, TensorInfo> tensors = new LinkedHashMap<>();
    private final Set<String> unavailable = new HashSet<>();

    private ShardSet() {
    }

    /** Opens what {@code dir} holds, adding every problem found to {@code problems}. */
    static ShardSet open(Path dir, List<String> problems) {
        ShardSet set = new ShardSet();
        Path single = dir.resolve(SINGLE_FILE);
        Path index = dir.resolve(INDEX_FILE);
        if (Files.isRegularFile(single)) {
            SafetensorsFile file = set.openShard(single, problems);
            if (file != null) {
                file.tensors().values().forEach(t -> set.add(t, problems));
            }
        } else if (Files.isRegularFile(index)) {
            set.openIndexed(dir, index, problems);
        } else {
            problems.add(dir + ": no weights (neither " + SINGLE_FILE + " nor " + INDEX_FILE + ")");
        }
        return set;
    }

    private void openIndexed(Path dir, Path index, List<String> problems) {
        Map<String, String> weightMap = readWeightMap(index, problems);
        Map<String, SafetensorsFile> shardsByName = new LinkedHashMap<>();
        for (String shardName : new LinkedHashSet<>(weightMap.values())) {
            Path shard = dir.resolve(shardName).normalize();
            if (!shard.startsWith(dir.normalize())) {
                problems.add(index + ": shard \"" + shardName + "\" lies outside the checkpoint directory");
            } else if (!Files.isRegularFile(shard)) {
                problems.add(index + ": references shard " + shardName + ", which does not exist (" + shard + ")");
            } else {
                SafetensorsFile file = openShard(shard, problems);
                if (file != null) {
                    shardsByName.put(shardName, file);
                }
            }
        }
        for (Map.Entry<String, String> entry : weightMap.entrySet()) {
            SafetensorsFile file = shardsByName.get(entry.getValue());
            if (file == null) {
                // the shard's own problem is reported; its tensors need not be reported missing one by one
                unavailable.add(WeightNames.canonical(entry.getKey()));
                continue;
            }
            TensorInfo tensor = file.tensors().get(entry.getKey());
            if (tensor == null) {
                problems.add(index + ": lists tensor '" + entry.getKey() + "' in " + entry.getValue()
                        + ", but that shard has no such tensor");
            } else {
                add(tensor, problems);
            }
        }
    }

    private static Map<String, String> readWeightMap(Path index, List<String> problems) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(index));
        } catch (IOException e) {
            problems.add(index + ": cannot read JSON: " + e.getMessage());
            return Map.of();
        }
        JsonNode weightMap = root == null ? null : root.get("weight_map");
        if (weightMap == null || !weightMap.isObject()) {
            problems.add(index + ": weight_map is missing or not a JSON object");
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = weightMap.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getValue().isTextual()) {
                problems.add(index + ": weight_map." + entry.getKey() + " must be a shard file name, got " + entry.getValue());
            } else {
                out.put(entry.getKey(), entry.getValue().textValue());
            }
        }
        return out;
    }

    private SafetensorsFile openShard(Path shard, List<String> problems) {
        try {
            SafetensorsFile file = SafetensorsFile.open(shard);
            files.put(shard, file);
            return file;
        } catch (CheckpointException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    private void add(TensorInfo tensor, List<String> problems) {
        String canonical = WeightNames.canonical(tensor.name());
        TensorInfo previous = tensors.putIfAbsent(canonical, tensor);
        if (previous != null) {
            problems.add(tensor.file() + ": tensor '" + tensor.name() + "' duplicates '" + previous.name() + "' in "
                    + previous.file().getFileName() + " (both are " + canonical + ")");
        }
    }

    Map<String, TensorInfo> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    /** Canonical names the index assigns to shards that could not be opened. */
    Set<String> unavailable() {
        return Collections.unmodifiableSet(unavailable);
    }

    SafetensorsFile file(Path path) {
        return files.get(path);
    }

    List<Path> paths() {
        return List.copyOf(files.keySet());
    }

    @Override
    public void close() {
        files.values().forEach(SafetensorsFile::close);
    }
}
