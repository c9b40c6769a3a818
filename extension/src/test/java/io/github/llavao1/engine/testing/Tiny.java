package io.github.llavao1.engine.testing;

import io.github.llavao1.engine.EngineOptions;
import io.github.llavao1.engine.LlavaEngine;
import io.github.llavao1.engine.text.LlamaTokenizer;

/**
 * The tiny checkpoint's engine (on the CPU, default options) and tokenizer, each loaded once per JVM for the tests that
 * need none of their own, and never closed: they live as long as the tests sharing them. Tests of other options, of
 * loading or of closing load their own.
 */
public final class Tiny {

    private static LlavaEngine engine;
    private static LlavaEngine constructed;
    private static LlavaEngine golden;
    private static LlamaTokenizer tokenizer;

    private Tiny() {
    }

    public static synchronized LlavaEngine engine() {
        if (engine == null) {
            engine = LlavaEngine.load(Fixtures.tinyCheckpoint(), EngineOptions.builder().device("cpu").build());
        }
        return engine;
    }

    /**
     * The engine of {@link Fixtures#goldenCheckpoint()}, never perturbed: for the tests that compare with transformers'
     * golden data. The same engine as {@link #engine()} unless {@code -Pperturbed} is on.
     */
    public static synchronized LlavaEngine goldenEngine() {
        if (Fixtures.goldenCheckpoint().equals(Fixtures.tinyCheckpoint())) {
            return engine();
        }
        if (golden == null) {
            golden = LlavaEngine.load(Fixtures.goldenCheckpoint(), EngineOptions.builder().device("cpu").build());
        }
        return golden;
    }

    /** The engine of {@link Fixtures#constructedCheckpoint()}, whose text is fixed by construction. */
    public static synchronized LlavaEngine constructedEngine() {
        if (constructed == null) {
            constructed = LlavaEngine.load(Fixtures.constructedCheckpoint(), EngineOptions.builder().device("cpu").build());
        }
        return constructed;
    }

    public static synchronized LlamaTokenizer tokenizer() {
        if (tokenizer == null) {
            tokenizer = LlamaTokenizer.load(Fixtures.tinyCheckpoint().resolve("tokenizer.json"));
        }
        return tokenizer;
    }
}
