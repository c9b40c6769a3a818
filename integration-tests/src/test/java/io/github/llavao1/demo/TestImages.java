package io.github.llavao1.demo;

import java.io.File;
import java.nio.file.Path;

/** The engine fixtures' test images. */
final class TestImages {

    static final File SQUARE = Path.of("../extension/src/test/resources/tiny-mllama-a/square.png")
            .toAbsolutePath().normalize().toFile();

    private TestImages() {
    }
}
