package io.github.llavao1.demo;

import io.github.llavao1.engine.testing.Fixtures;
import java.io.File;

/** The engine fixtures' test images (from the extension's test-jar). */
final class TestImages {

    static final File SQUARE = Fixtures.tinyCheckpoint().resolve("square.png").toFile();
    static final File WIDE = Fixtures.tinyCheckpoint().resolve("wide.png").toFile();
    /** Formats the TwelveMonkeys ImageIO plugins read (the extension's images/, made with ImageMagick and cwebp). */
    static final File WEBP = Fixtures.resource("images/lossless.webp").toFile();
    static final File CMYK_JPEG = Fixtures.resource("images/ycck.jpg").toFile();
    static final File TIFF = Fixtures.resource("images/cmyk.tiff").toFile();

    private TestImages() {
    }
}
