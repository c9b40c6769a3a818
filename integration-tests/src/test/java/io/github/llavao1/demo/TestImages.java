package io.github.llavao1.demo;

import io.github.llavao1.engine.testing.Fixtures;
import java.io.File;

/** The engine fixtures' test images (from the extension's test-jar). */
final class TestImages {

    static final File SQUARE = Fixtures.tinyCheckpoint().resolve("square.png").toFile();
    static final File WIDE = Fixtures.tinyCheckpoint().resolve("wide.png").toFile();

    private TestImages() {
    }
}
