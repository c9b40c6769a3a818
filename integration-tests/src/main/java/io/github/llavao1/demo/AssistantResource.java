package io.github.llavao1.demo;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code POST /assistant}: the same upload answered through an AI service ({@link VisualAssistant}). */
@Path("/assistant")
public class AssistantResource {

    @Inject
    VisualAssistant assistant;

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.TEXT_PLAIN)
    public String answer(ReasonRequest request) {
        return assistant.answer(ImageUploads.question(request), ImageUploads.image(request));
    }
}
