package io.github.llavao1.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.github.llavao1.engine.image.ImageDecoder;
import io.github.llavao1.engine.image.RgbImage;
import io.github.llavao1.engine.testing.Fixtures;
import io.github.llavao1.reasoning.ReasoningResult;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * WebP, YCCK JPEG and TIFF images through the LangChain4j model (base64 image content) and the tool (a file path):
 * each is answered, and its pixels are what the model sees, as the same request with the decoded pixels re-encoded
 * as PNG gives the same result under the same seed.
 */
class PluginFormatsChatTest {

    private static final String QUESTION = "What colours are there?";

    @TempDir
    Path images;

    @ParameterizedTest
    @CsvSource({"lossless.webp, image/webp", "ycck.jpg, image/jpeg", "cmyk.tiff, image/tiff"})
    void chatModelAnswersAndSeesThePixels(String file, String mimeType) throws IOException {
        LlavaO1ChatModel model = TinyModel.chatModel(TinyModel.small()).build();
        byte[] data = Files.readAllBytes(Fixtures.resource("images/" + file));

        ReasoningResult result = reason(model, data, mimeType);
        assertFalse(result.steps().isEmpty(), "the search took a step");
        ReasoningResult asPng = reason(model, png(new ImageDecoder().decode(data, file)), "image/png");
        assertEquals(TinyModel.withoutTimings(asPng), TinyModel.withoutTimings(result));
    }

    @ParameterizedTest
    @CsvSource({"lossless.webp", "ycck.jpg", "cmyk.tiff"})
    void toolAnswersAboutAFile(String file) throws IOException {
        Files.copy(Fixtures.resource("images/" + file), images.resolve(file));
        LlavaO1ChatModel model = TinyModel.chatModel(TinyModel.small())
                .imagePolicy(ImagePolicy.builder().allowedRoots(List.of(images)).build()).build();
        JsonNode answer = new ObjectMapper().readTree(
                new LlavaO1ReasoningTool(model).reasonAboutImage(images.resolve(file).toString(), QUESTION));
        assertEquals("STAGE_BEAM", answer.get("mode").asText(), answer.toString());
        assertTrue(answer.has("conclusion"), answer.toString());
    }

    private static ReasoningResult reason(LlavaO1ChatModel model, byte[] image, String mimeType) {
        ChatResponse response = model.chat(ChatRequest.builder().messages(UserMessage.from(
                ImageContent.from(Base64.getEncoder().encodeToString(image), mimeType),
                TextContent.from(QUESTION))).build());
        return ((LlavaO1ChatResponseMetadata) response.metadata()).reasoning();
    }

    private static byte[] png(RgbImage image) throws IOException {
        BufferedImage picture = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                picture.setRGB(x, y, image.sample(x, y, 0) << 16 | image.sample(x, y, 1) << 8 | image.sample(x, y, 2));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(picture, "png", out);
        return out.toByteArray();
    }
}
