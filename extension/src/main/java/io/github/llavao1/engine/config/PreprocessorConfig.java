package io.github.llavao1.engine.config;

import static io.github.llavao1.engine.config.ConfigChecks.positive;
import static io.github.llavao1.engine.config.ConfigChecks.require;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A checkpoint's {@code preprocessor_config.json} (the options of transformers' {@code MllamaImageProcessor});
 * absent keys take that processor's defaults, except the tile size, mean and std, which must be given.
 *
 * @param imageMean per-channel mean (R, G, B) subtracted after rescaling
 * @param imageStd per-channel standard deviation (R, G, B) divided by after subtracting the mean
 * @param tileHeight {@code size.height}, the tile height in pixels
 * @param tileWidth {@code size.width}, the tile width in pixels
 * @param resample PIL resampling filter id (2 = bilinear)
 */
public record PreprocessorConfig(boolean doConvertRgb, boolean doResize, boolean doRescale, boolean doNormalize, boolean doPad,
        float[] imageMean, float[] imageStd, double rescaleFactor, int maxImageTiles, int tileHeight, int tileWidth, int resample) {

    /** PIL's BILINEAR, the MllamaImageProcessor default. */
    public static final int BILINEAR = 2;

    public PreprocessorConfig {
        require(imageMean != null && imageMean.length == 3, "image_mean must hold 3 values (R, G, B), got "
                + (imageMean == null ? "none" : Arrays.toString(imageMean)));
        require(imageStd != null && imageStd.length == 3, "image_std must hold 3 values (R, G, B), got "
                + (imageStd == null ? "none" : Arrays.toString(imageStd)));
        for (int c = 0; c < 3; c++) {
            require(Float.isFinite(imageMean[c]), "image_mean[" + c + "] must be finite, got " + imageMean[c]);
            positive("image_std[" + c + "]", imageStd[c]);
        }
        imageMean = imageMean.clone();
        imageStd = imageStd.clone();
        positive("rescale_factor", rescaleFactor);
        positive("max_image_tiles", maxImageTiles);
        positive("size.height", tileHeight);
        positive("size.width", tileWidth);
        require(resample >= 0 && resample <= 5, "resample (" + resample + ") is not a PIL filter id 0..5");
    }

    /** Reads and validates {@code file}; problems are CheckpointExceptions naming the file and key. */
    public static PreprocessorConfig load(Path file) {
        JsonNode root = JsonFields.readObject(file);
        return JsonFields.inFile(file.toString(), () -> parse(root));
    }

    static PreprocessorConfig parse(JsonNode root) {
        JsonNode size = JsonFields.requiredObject(root, "", "size");
        return new PreprocessorConfig(
                JsonFields.optionalBoolean(root, "", "do_convert_rgb", true),
                JsonFields.optionalBoolean(root, "", "do_resize", true),
                JsonFields.optionalBoolean(root, "", "do_rescale", true),
                JsonFields.optionalBoolean(root, "", "do_normalize", true),
                JsonFields.optionalBoolean(root, "", "do_pad", true),
                JsonFields.floatArray(root, "", "image_mean"),
                JsonFields.floatArray(root, "", "image_std"),
                JsonFields.optionalDouble(root, "", "rescale_factor", 1 / 255.0),
                JsonFields.optionalInt(root, "", "max_image_tiles", 4),
                JsonFields.requiredInt(size, "size", "height"),
                JsonFields.requiredInt(size, "size", "width"),
                JsonFields.optionalInt(root, "", "resample", BILINEAR));
    }

    /** CLIP normalisation and the given square tile size, as the published Llama 3.2 Vision processor uses. */
    public static PreprocessorConfig clip(int tileSize, int maxImageTiles) {
        return new PreprocessorConfig(true, true, true, true, true,
                new float[] {0.48145466f, 0.4578275f, 0.40821073f}, new float[] {0.26862954f, 0.26130258f, 0.27577711f},
                1 / 255.0, maxImageTiles, tileSize, tileSize, BILINEAR);
    }

    /** A preprocessor_config.json tree for this config. */
    public ObjectNode toJson() {
        ObjectNode root = JsonFields.JSON.createObjectNode();
        root.put("image_processor_type", "MllamaImageProcessor");
        root.put("do_convert_rgb", doConvertRgb);
        root.put("do_resize", doResize);
        root.put("do_rescale", doRescale);
        root.put("do_normalize", doNormalize);
        root.put("do_pad", doPad);
        ArrayNode mean = root.putArray("image_mean");
        ArrayNode std = root.putArray("image_std");
        for (int c = 0; c < 3; c++) {
            mean.add(imageMean[c]);
            std.add(imageStd[c]);
        }
        root.put("rescale_factor", rescaleFactor);
        root.put("max_image_tiles", maxImageTiles);
        root.put("resample", resample);
        root.putObject("size").put("height", tileHeight).put("width", tileWidth);
        return root;
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
                && p.tileHeight == tileHeight && p.tileWidth == tileWidth && p.resample == resample;
    }

    @Override
    public int hashCode() {
        return ((Arrays.hashCode(imageMean) * 31 + Arrays.hashCode(imageStd)) * 31 + tileHeight) * 31 + tileWidth;
    }

    @Override
    public String toString() {
        return "PreprocessorConfig[tile " + tileHeight + "x" + tileWidth + ", maxImageTiles " + maxImageTiles
                + ", mean " + Arrays.toString(imageMean) + ", std " + Arrays.toString(imageStd) + ", rescale " + rescaleFactor
                + ", resample " + resample + ", convertRgb " + doConvertRgb + ", resize " + doResize + ", rescale " + doRescale
                + ", normalize " + doNormalize + ", pad " + doPad + "]";
    }
}
