package io.github.llavao1.engine.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.llavao1.engine.checkpoint.SafetensorsFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** The golden data from HuggingFace transformers copied into test resources (see FIXTURES.md there). */
public final class Fixtures {

    public static final String[] CASES = {"text", "square", "wide", "two_images", "rgba"};
    public static final String[] IMAGE_CASES = {"square", "wide", "two_images", "rgba"};

    private static JsonNode reference;

    private Fixtures() {
    }

    public static Path resource(String name) {
        try {
            return Path.of(Fixtures.class.getClassLoader().getResource(name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource missing: " + name, e);
        }
    }

    /** The tiny random Mllama checkpoint in the published file layout. */
    public static Path tinyCheckpoint() {
        return resource("tiny-mllama-a");
    }

    public static Path config(String name) {
        return resource("configs/" + name);
    }

    /** reference.safetensors: per case input ids, pixel values, masks, vision output, cross-attention states, logits. */
    public static SafetensorsFile referenceTensors() {
        return SafetensorsFile.open(tinyCheckpoint().resolve("reference.safetensors"));
    }

    /** reference.json: per case the prompt, images, input ids and the 24 greedy ids. */
    public static synchronized JsonNode referenceJson() {
        if (reference == null) {
            try {
                reference = new ObjectMapper().readTree(tinyCheckpoint().resolve("reference.json").toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return reference;
    }

    public static JsonNode referenceCase(String name) {
        return referenceJson().get("cases").get(name);
    }

    public static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    /** Largest absolute difference between two equally long arrays. */
    public static float maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("length " + a.length + " != " + b.length);
        }
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
