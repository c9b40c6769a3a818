package io.github.llavao1.engine.config;

import static io.github.llavao1.engine.config.ConfigChecks.positive;

import com.fasterxml.jackson.annotation.JsonFormat;

/**
 * One entry of {@code vision_config.supported_aspect_ratios}: a tile grid {@code [rows, cols]}, rows counting
 * tiles down the image's height and cols across its width (transformers' {@code (num_tiles_height, num_tiles_width)}).
 */
@JsonFormat(shape = JsonFormat.Shape.ARRAY)
public record AspectRatio(int rows, int cols) {

    public AspectRatio {
        positive("rows", rows);
        positive("cols", cols);
    }

    public int tiles() {
        return rows * cols;
    }
}
