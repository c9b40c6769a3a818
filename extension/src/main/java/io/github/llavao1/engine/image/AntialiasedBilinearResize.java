package io.github.llavao1.engine.image;

import java.util.Arrays;

/**
 * Antialiased bilinear resize of 8-bit RGB, bit-exact with PyTorch's uint8 CPU kernel behind
 * {@code torch.nn.functional.interpolate(mode="bilinear", antialias=True, align_corners=False)} (ATen
 * {@code UpSampleKernel.cpp} / {@code UpSampleKernelAVXAntialias.h}, derived from Pillow's resampler), which
 * transformers' Mllama image processor uses through torchvision.
 *
 * <p>Separable: a horizontal pass, its result rounded to 8 bits, then a vertical pass. Each output pixel is a
 * triangle-filter average over {@code support = max(in/out, 1)} source pixels on either side of its centre; the
 * double weights are normalised to sum 1 and quantised to integers at one precision per axis, the largest
 * (≤ 22 bits) at which the largest weight still stays below 2^15.
 */
final class AntialiasedBilinearResize {

    private static final int MAX_PRECISION_BITS = 22;

    private AntialiasedBilinearResize() {
    }

    /** {@code image} resized to {@code width × height}; an axis whose size does not change is left untouched. */
    static RgbImage resize(RgbImage image, int width, int height) {
        RgbImage result = image;
        if (width != image.width()) {
            result = horizontal(result, AxisWeights.compute(image.width(), width));
        }
        if (height != image.height()) {
            result = vertical(result, AxisWeights.compute(image.height(), height));
        }
        return result;
    }

    private static RgbImage horizontal(RgbImage in, AxisWeights weights) {
        byte[] src = in.rgb();
        int outWidth = weights.outputSize;
        byte[] dst = new byte[outWidth * in.height() * 3];
        int half = 1 << (weights.precision - 1);
        for (int y = 0; y < in.height(); y++) {
            int rowStart = y * in.width();
            int outPixel = y * outWidth * 3;
            for (int x = 0; x < outWidth; x++) {
                int r = half;
                int g = half;
                int b = half;
                int p = (rowStart + weights.first[x]) * 3;
                int w = x * weights.taps;
                for (int j = 0; j < weights.count[x]; j++, p += 3, w++) {
                    int k = weights.values[w];
                    r += (src[p] & 0xFF) * k;
                    g += (src[p + 1] & 0xFF) * k;
                    b += (src[p + 2] & 0xFF) * k;
                }
                dst[outPixel++] = clampToByte(r >> weights.precision);
                dst[outPixel++] = clampToByte(g >> weights.precision);
                dst[outPixel++] = clampToByte(b >> weights.precision);
            }
        }
        return new RgbImage(outWidth, in.height(), dst);
    }

    private static RgbImage vertical(RgbImage in, AxisWeights weights) {
        byte[] src = in.rgb();
        int rowBytes = in.width() * 3;
        int outHeight = weights.outputSize;
        byte[] dst = new byte[rowBytes * outHeight];
        int half = 1 << (weights.precision - 1);
        int[] sums = new int[rowBytes];
        for (int y = 0; y < outHeight; y++) {
            Arrays.fill(sums, half);
            int w = y * weights.taps;
            // row by row over the source window keeps the reads sequential
            for (int j = 0; j < weights.count[y]; j++) {
                int k = weights.values[w + j];
                int rowStart = (weights.first[y] + j) * rowBytes;
                for (int i = 0; i < rowBytes; i++) {
                    sums[i] += (src[rowStart + i] & 0xFF) * k;
                }
            }
            int outRow = y * rowBytes;
            for (int i = 0; i < rowBytes; i++) {
                dst[outRow + i] = clampToByte(sums[i] >> weights.precision);
            }
        }
        return new RgbImage(in.width(), outHeight, dst);
    }

    private static byte clampToByte(int value) {
        return (byte) Math.max(0, Math.min(value, 255));
    }

    /**
     * Per output index along one axis: the first source index, how many source pixels contribute, and their
     * quantised weights ({@code taps} slots per output index), with the axis's fixed-point precision.
     */
    private static final class AxisWeights {
        final int outputSize;
        final int taps;
        final int[] first;
        final int[] count;
        final int[] values;
        final int precision;

        private AxisWeights(int outputSize, int taps, int[] first, int[] count, int[] values, int precision) {
            this.outputSize = outputSize;
            this.taps = taps;
            this.first = first;
            this.count = count;
            this.values = values;
            this.precision = precision;
        }

        static AxisWeights compute(int inputSize, int outputSize) {
            // ATen: area_pixel_compute_scale without align_corners or a given scale factor
            double scale = (double) inputSize / outputSize;
            double support = scale >= 1.0 ? scale : 1.0;
            int taps = (int) Math.ceil(support) * 2 + 1;
            double inverseScale = scale >= 1.0 ? 1.0 / scale : 1.0;

            int[] first = new int[outputSize];
            int[] count = new int[outputSize];
            double[] weights = new double[outputSize * taps];
            double maxWeight = 0.0;
            for (int i = 0; i < outputSize; i++) {
                double center = scale * (i + 0.5);
                // the casts truncate toward zero like C's static_cast<int64_t>
                int xmin = Math.max((int) (center - support + 0.5), 0);
                int xsize = Math.min((int) (center + support + 0.5), inputSize) - xmin;
                xsize = Math.max(0, Math.min(xsize, taps));
                double total = 0.0;
                for (int j = 0; j < xsize; j++) {
                    double w = triangle((j + xmin - center + 0.5) * inverseScale);
                    weights[i * taps + j] = w;
                    total += w;
                }
                if (total != 0.0) {
                    for (int j = 0; j < xsize; j++) {
                        weights[i * taps + j] /= total;
                        maxWeight = Math.max(maxWeight, weights[i * taps + j]);
                    }
                }
                first[i] = xmin;
                count[i] = xsize;
            }

            int precision = 0;
            while (precision < MAX_PRECISION_BITS
                    && (int) (0.5 + maxWeight * (1 << (precision + 1))) < (1 << 15)) {
                precision++;
            }
            int[] values = new int[weights.length];
            for (int i = 0; i < weights.length; i++) {
                double v = weights[i] * (1 << precision);
                values[i] = v < 0 ? (int) (-0.5 + v) : (int) (0.5 + v);
            }
            return new AxisWeights(outputSize, taps, first, count, values, precision);
        }

        private static double triangle(double x) {
            double distance = Math.abs(x);
            return distance < 1.0 ? 1.0 - distance : 0.0;
        }
    }
}
