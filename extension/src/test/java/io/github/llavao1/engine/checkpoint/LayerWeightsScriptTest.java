package io.github.llavao1.engine.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The TorchScript programs reach a layer's tensors through indices they declare at their top ({@code SELF_QKV_PROJ :
 * int}), which Java sets from LayerWeights (the order the model loads the entries in): each list entry there must be
 * named in the script, in the same order, and the script must name nothing else.
 */
class LayerWeightsScriptTest {

    private static final Pattern INDEX = Pattern.compile("(?m)^  ([A-Z0-9_]+) : int$");

    @Test
    void textDecoderNamesEachDecoderLayerEntry() throws IOException {
        List<String> indices = indices("TextDecoder.py");
        assertEquals(LayerWeights.listEntryNames(LayerWeights.SelfAttentionDecoderLayer.values()), withPrefix(indices, "SELF_"));
        assertEquals(LayerWeights.listEntryNames(LayerWeights.CrossAttentionDecoderLayer.values()), withPrefix(indices, "CROSS_"));
    }

    @Test
    void visionEncoderNamesEachLayerEntry() throws IOException {
        assertEquals(LayerWeights.listEntryNames(LayerWeights.VisionEncoderLayer.values()),
                withPrefix(indices("VisionEncoder.py"), "LAYER_"));
    }

    @Test
    void gatesAreNoListEntries() {
        assertEquals(List.of("INPUT_LAYERNORM", "Q_PROJ", "K_PROJ", "V_PROJ", "O_PROJ", "Q_NORM", "K_NORM",
                "POST_ATTENTION_LAYERNORM", "GATE_UP_PROJ", "DOWN_PROJ"),
                LayerWeights.listEntryNames(LayerWeights.CrossAttentionDecoderLayer.values()));
    }

    private static List<String> withPrefix(List<String> names, String prefix) {
        List<String> entries = new ArrayList<>();
        for (String name : names) {
            if (name.startsWith(prefix)) {
                entries.add(name.substring(prefix.length()));
            }
        }
        return entries;
    }

    /** The upper-case {@code NAME : int} declarations of the script {@code name}, in order. */
    private static List<String> indices(String name) throws IOException {
        String source;
        try (InputStream in = LayerWeightsScriptTest.class.getResourceAsStream("/io/github/llavao1/engine/model/" + name)) {
            source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> indices = new ArrayList<>();
        Matcher m = INDEX.matcher(source);
        while (m.find()) {
            indices.add(m.group(1));
        }
        return indices;
    }
}
