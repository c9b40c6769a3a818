package io.github.llavao1.engine.config;

import static io.github.llavao1.engine.config.ConfigChecks.positive;
import static io.github.llavao1.engine.config.ConfigChecks.require;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A checkpoint's {@code preprocessor_config.json} (the options of transformers' {@code MllamaImageProcessor});
 * absent keys take that processor's defaults, except the tile size, mean and std, which must be given.
 *
 * @param imageMean per-channel mean (R, G, B) subtracted after rescaling
 * @param imageStd per-channel standard deviation (R, G, B) divided by after subtracting the mean
 * @param size the tile size in pixels
 * @param resample PIL resampling filter id (2 = bilinear)
 */
public record PreprocessorConfig(
        @JsonProperty(value = "do_convert_rgb", defaultValue = "true") boolean doConvertRgb,
        @JsonProperty(value = "do_resize", defaultValue = "true") boolean doResize,
        @JsonProperty(value = "do_rescale", defaultValue = "true") boolean doRescale,
        @JsonProperty(value = "do_normalize", defaultValue = "true") boolean doNormalize,
        @JsonProperty(value = "do_pad", defaultValue = "true") boolean doPad,
        @JsonProperty("image_mean") float[] imageMean,
        @JsonProperty("image_std") float[] imageStd,
        @JsonProperty(value = "rescale_factor", defaultValue = "0.00392156862745098") double rescaleFactor,
        @JsonProperty(value = "max_image_tiles", defaultValue = "4") int maxImageTiles,
        @JsonProperty("size") TileSize size,
        @JsonProperty(value = "resample", defaultValue = "2") int resample) {

    /** PIL's BILINEAR, the MllamaImageProcessor default. */
    public static final int BILINEAR = 2;

    /** {@code size}: one tile's height and width in pixels. */
    public record TileSize(@JsonProperty("height") int height, @JsonProperty("width") int width) {

        public TileSize {
            positive("height", height);
            positive("width", width);
        }
    }

    public PreprocessorConfig {
        require(imageMean != null && imageMean.length == 3, "image_mean", " must hold 3 values (R, G, B), got "
                + (imageMean == null ? "none" : Arrays.toString(imageMean)));
        require(imageStd != null && imageStd.length == 3, "image_std", " must hold 3 values (R, G, B), got "
                + (imageStd == null ? "none" : Arrays.toString(imageStd)));
        for (int c = 0; c < 3; c++) {
            require(Float.isFinite(imageMean[c]), "image_mean[" + c + "]", " must be finite, got " + imageMean[c]);
            positive("image_std[" + c + "]", imageStd[c]);
        }
        imageMean = imageMean.clone();
        imageStd = imageStd.clone();
        positive("rescale_factor", rescaleFactor);
        positive("max_image_tiles", maxImageTiles);
        require(size != null, "size", " is missing");
        require(resample >= 0 && resample <= 5, "resample", " (" + resample + ") is not a PIL filter id 0..5");
    }

    /** Reads and validates {@code file}; problems are ConfigExceptions naming the file and key. */
    public static PreprocessorConfig load(Path file) {
        return JsonRecords.load(file, root -> JsonRecords.read(PreprocessorConfig.class, root, ""));
    }

    /** {@code size.height}, the tile height in pixels. */
    public int tileHeight() {
        return size.height();
    }

    /** {@code size.width}, the tile width in pixels. */
    public int tileWidth() {
        return size.width();
    }

    /** CLIP normalisation and the given square tile size, as the published Llama 3.2 Vision processor uses. */
    public static PreprocessorConfig clip(int tileSize, int maxImageTiles) {
        return new PreprocessorConfig(true, true, true, true, true,
                new float[] {0.48145466f, 0.4578275f, 0.40821073f}, new float[] {0.26862954f, 0.26130258f, 0.27577711f},
                1 / 255.0, maxImageTiles, new TileSize(tileSize, tileSize), BILINEAR);
    }

    /** A preprocessor_config.json tree for this config. */
    public ObjectNode toJson() {
        ObjectNode root = JsonRecords.JSON.createObjectNode().put("image_processor_type", "MllamaImageProcessor");
        return root.setAll(JsonRecords.writeObject(this));
    }

    @Override
    public float[] imageMean() {
        return imageMean.clone();
    }

    @Override
    public float[] imageStd() {
        return imageStd.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PreprocessorConfig p && p.doConvertRgb == doConvertRgb && p.doResize == doResize
                && p.doRescale == doRescale && p.doNormalize == doNormalize && p.doPad == doPad
                && Arrays.equals(p.imageMean, imageMean) && Arrays.equals(p.imageStd, imageStd)
                && Double.compare(p.rescaleFactor, rescaleFactor) == 0 && p.maxImageTiles == maxImageTiles
                && p.size.equals(size) && p.resample == resample;
    }

    @Override
    public int hashCode() {
        return ((Arrays.hashCode(imageMean) * 31 + Arrays.hashCode(imageStd)) * 31 + size.hashCode());
    }

    @Override
    public String toString() {
        return "PreprocessorConfig[tile " + size.height() + "x" + size.width() + ", maxImageTiles " + maxImageTiles
                + ", mean " + Arrays.toString(imageMean) + ", std " + Arrays.toString(imageStd) + ", rescale " + rescaleFactor
                + ", resample " + resample + ", convertRgb " + doConvertRgb + ", resize " + doResize + ", rescale " + doRescale
                + ", normalize " + doNormalize + ", pad " + doPad + "]";
    }
}
