package io.github.llavao1.demo;

import dev.langchain4j.data.image.Image;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import jakarta.ws.rs.BadRequestException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Base64;

/** Turns the upload form into LangChain4j content; a missing part is the client's error (400). */
final class ImageUploads {

    private ImageUploads() {
    }

    static UserMessage userMessage(ReasonRequest request) {
        return UserMessage.from(ImageContent.from(base64(request), mimeType(request)), TextContent.from(question(request)));
    }

    static Image image(ReasonRequest request) {
        return Image.builder().base64Data(base64(request)).mimeType(mimeType(request)).build();
    }

    static String question(ReasonRequest request) {
        if (request.question == null || request.question.isBlank()) {
            throw new BadRequestException("form field 'question' is missing or blank");
        }
        return request.question;
    }

    private static String base64(ReasonRequest request) {
        if (request.image == null) {
            throw new BadRequestException("form field 'image' (an image file) is missing");
        }
        try {
            return Base64.getEncoder().encodeToString(Files.readAllBytes(request.image.uploadedFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("reading the uploaded image " + request.image.fileName(), e);
        }
    }

    private static String mimeType(ReasonRequest request) {
        String type = request.image.contentType();
        return type == null || type.isBlank() || type.equals("application/octet-stream") ? "image/png" : type;
    }
}
