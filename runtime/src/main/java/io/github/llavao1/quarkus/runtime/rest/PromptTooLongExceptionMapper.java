package io.github.llavao1.quarkus.runtime.rest;

import io.github.llavao1.engine.PromptTooLongException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/** A prompt that, with its answer budget, does not fit the model's context: 413 with the counts. */
public class PromptTooLongExceptionMapper implements ExceptionMapper<PromptTooLongException> {

    @Override
    public Response toResponse(PromptTooLongException e) {
        return Response.status(Response.Status.REQUEST_ENTITY_TOO_LARGE).type(MediaType.TEXT_PLAIN_TYPE)
                .entity(e.getMessage()).build();
    }
}
