package io.github.llavao1.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The files of a repository that the engine reads (see {@code Checkpoint} and {@code LlavaEngine.load}): the
 * configs, the tokenizer and the weights, one {@code model.safetensors} or the shards that
 * {@code model.safetensors.index.json} lists. Nothing else is downloaded (no README, no {@code .bin} copies, no
 * images).
 */
final class CheckpointFiles {

    static final String INDEX = "model.safetensors.index.json";
    static final String SINGLE = "model.safetensors";
    static final List<String> REQUIRED = List.of("config.json", "tokenizer.json", "preprocessor_config.json");
    /** Used when the repository has it. */
    static final String OPTIONAL = "generation_config.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointFiles() {
    }

    /** The shard names an index lists, in order of first appearance. */
    static List<String> shards(Path index) throws IOException {
        JsonNode weightMap = JSON.readTree(index.toFile()).path("weight_map");
        if (!weightMap.isObject() || weightMap.isEmpty()) {
            throw new HubException(index + ": no weight_map in the safetensors index");
        }
        Set<String> shards = new LinkedHashSet<>();
        weightMap.forEach(file -> shards.add(checkName(file.asText(), index.toString())));
        return List.copyOf(shards);
    }

    /**
     * What a snapshot folder lacks to be loaded; empty when complete.
     *
     * @param optionalKnown whether the optional file counts as there (present, or known not to exist)
     */
    static List<String> missing(Path snapshot, boolean optionalKnown) throws IOException {
        List<String> missing = new ArrayList<>();
        for (String file : REQUIRED) {
            if (!Files.isRegularFile(snapshot.resolve(file))) {
                missing.add(file);
            }
        }
        if (Files.isRegularFile(snapshot.resolve(INDEX))) {
            for (String shard : shards(snapshot.resolve(INDEX))) {
                if (!Files.isRegularFile(snapshot.resolve(shard))) {
                    missing.add(shard);
                }
            }
        } else if (!Files.isRegularFile(snapshot.resolve(SINGLE))) {
            missing.add(SINGLE + " (or " + INDEX + " and its shards)");
        }
        if (!optionalKnown && !Files.isRegularFile(snapshot.resolve(OPTIONAL))) {
            missing.add(OPTIONAL);
        }
        return missing;
    }

    /** The needed names the repository lacks (its file list is {@code available}), for one error message. */
    static List<String> absent(Collection<String> available) {
        List<String> absent = new ArrayList<>();
        for (String file : REQUIRED) {
            if (!available.contains(file)) {
                absent.add(file);
            }
        }
        if (!available.contains(INDEX) && !available.contains(SINGLE)) {
            absent.add(SINGLE + " or " + INDEX);
        }
        return absent;
    }

    /** A repository path that stays inside the snapshot folder. */
    static String checkName(String name, String source) {
        if (name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.contains("\0")
                || List.of(name.split("/")).contains("..")) {
            throw new HubException(source + ": file name '" + name + "' would leave the model's folder");
        }
        return name;
    }
}
