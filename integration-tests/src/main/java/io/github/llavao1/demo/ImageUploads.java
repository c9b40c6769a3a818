package io.github.llavao1.demo;

import dev.langchain4j.data.image.Image;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * Turns the upload form into LangChain4j content. A missing, blank, empty or oversized part is the client's error,
 * answered 400 or 413 with a message naming the field. The upload's temporary file is read once and deleted at
 * once, so no file outlives the request, whatever the client does afterwards.
 */
final class ImageUploads {

    /** Longest question accepted, in characters (the form attribute limit in application.properties is above it). */
    static final int MAX_QUESTION_CHARS = 4000;

    private ImageUploads() {
    }

    /** The form as one user message: the image, then the question. Deletes the upload's temporary file. */
    static UserMessage userMessage(ReasonRequest request) {
        String question = question(request);
        return UserMessage.from(ImageContent.from(base64(request), mimeType(request)), TextContent.from(question));
    }

    /** The form's image as a LangChain4j image. Deletes the upload's temporary file. */
    static Image image(ReasonRequest request) {
        return Image.builder().base64Data(base64(request)).mimeType(mimeType(request)).build();
    }

    static String question(ReasonRequest request) {
        if (request.question == null || request.question.isBlank()) {
            deleteUpload(request);
            throw clientError(Response.Status.BAD_REQUEST, "form field 'question' is missing or blank");
        }
        if (request.question.length() > MAX_QUESTION_CHARS) {
            deleteUpload(request);
            throw clientError(Response.Status.REQUEST_ENTITY_TOO_LARGE, "form field 'question' has "
                    + request.question.length() + " characters, over the limit of " + MAX_QUESTION_CHARS);
        }
        return request.question;
    }

    /** Deletes the upload's temporary file (Quarkus deletes it at the end of the request too, but not always). */
    static void deleteUpload(ReasonRequest request) {
        if (request.image != null && request.image.uploadedFile() != null) {
            try {
                Files.deleteIfExists(request.image.uploadedFile());
            } catch (IOException e) {
                // it stays for Quarkus' own clean-up at the end of the request
            }
        }
    }

    private static String base64(ReasonRequest request) {
        FileUpload image = request.image;
        if (image == null || image.uploadedFile() == null) {
            throw clientError(Response.Status.BAD_REQUEST, "form field 'image' (an image file) is missing");
        }
        Path file = image.uploadedFile();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the uploaded image " + image.fileName(), e);
        } finally {
            deleteUpload(request);
        }
        if (bytes.length == 0) {
            throw clientError(Response.Status.BAD_REQUEST, "form field 'image' is an empty file"
                    + (image.fileName() == null || image.fileName().isBlank() ? "" : " (" + image.fileName() + ")"));
        }
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static String mimeType(ReasonRequest request) {
        String type = request.image.contentType();
        return type == null || type.isBlank() || type.equals("application/octet-stream") ? "image/png" : type;
    }

    private static WebApplicationException clientError(Response.Status status, String message) {
        return new WebApplicationException(message,
                Response.status(status).type(MediaType.TEXT_PLAIN_TYPE).entity(message).build());
    }
}
