package io.github.llavao1.engine.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Canvas and resized-size choices of transformers' get_optimal_tiled_canvas / get_image_size_fit_to_canvas. */
class TileLayoutTest {

    /** The tiny checkpoint's (and Llama 3.2 Vision's) arrangements for 4 tiles, as [rows, cols]. */
    static final List<int[]> RATIOS = List.of(new int[]{1, 1}, new int[]{1, 2}, new int[]{1, 3}, new int[]{1, 4},
            new int[]{2, 1}, new int[]{2, 2}, new int[]{3, 1}, new int[]{4, 1});

    @Test
    void fixtureImages() {
        // square 80×72: 2×2 is the smallest upscale (1.4); it already fits, so no resize
        assertEquals(new TileLayout(2, 2, 80, 72), TileLayout.choose(80, 72, 56, RATIOS));
        // wide 230×70: no upscale possible; 1×4 downscales least (0.8), the height sets the scale → 184×56
        assertEquals(new TileLayout(1, 4, 184, 56), TileLayout.choose(230, 70, 56, RATIOS));
        // tall 50×160: 3×1 upscales least (1.05); width is clipped up to 56 but height sets the scale (1.0)
        assertEquals(new TileLayout(3, 1, 50, 160), TileLayout.choose(50, 160, 56, RATIOS));
    }

    @Test
    void smallImageIsUpscaledOntoTheSmallestCanvasAmongEqualScales() {
        // 20×30: 1×1, 1×2, 1×3 and 1×4 all allow 56/30; the smallest area wins; height 30 → 56 sets the scale,
        // width floor(20 · 56/30) = 37
        assertEquals(new TileLayout(1, 1, 37, 56), TileLayout.choose(20, 30, 56, RATIOS));
    }

    @Test
    void largePhotoIsDownscaledOntoTheLeastShrinkingCanvas() {
        // 4000×3000: 2×2 shrinks least (112/4000); width sets the scale, height floor(3000 · 0.028) = 84
        assertEquals(new TileLayout(2, 2, 112, 84), TileLayout.choose(4000, 3000, 56, RATIOS));
        assertEquals(new TileLayout(2, 2, 1120, 840), TileLayout.choose(4000, 3000, 560, RATIOS));
    }

    @Test
    void extremeAspectRatiosKeepAtLeastOnePixel() {
        // transformers would compute a 0-pixel side here (floor(1 · 224/10000)) and fail in torch
        assertEquals(new TileLayout(1, 4, 224, 1), TileLayout.choose(10_000, 1, 56, RATIOS));
        assertEquals(new TileLayout(4, 1, 1, 224), TileLayout.choose(1, 10_000, 56, RATIOS));
        assertEquals(new TileLayout(1, 4, 224, 2), TileLayout.choose(3000, 30, 56, RATIOS));
    }

    @Test
    void onlyTheGivenArrangementsAreCandidates() {
        assertEquals(new TileLayout(1, 1, 56, 17), TileLayout.choose(230, 70, 56, List.<int[]>of(new int[]{1, 1})));
    }
}
