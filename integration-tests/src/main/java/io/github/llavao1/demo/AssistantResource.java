package io.github.llavao1.demo;

import dev.langchain4j.data.image.Image;
import io.github.llavao1.langchain4j.Cancellation;
import io.vertx.core.http.HttpServerResponse;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

/** {@code POST /assistant}: the same upload answered through an AI service ({@link VisualAssistant}). */
@Path("/assistant")
public class AssistantResource {

    @Inject
    VisualAssistant assistant;

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.TEXT_PLAIN)
    public String answer(ReasonRequest request, @Context HttpServerResponse response) {
        String question = ImageUploads.question(request);
        Image image = ImageUploads.image(request);
        // the AI service calls the model on this thread, so a client that goes away cancels it here too
        return Cancellation.call(response::closed, () -> assistant.answer(question, image));
    }
}
