package io.github.llavao1.quarkus.runtime.rest;

import io.github.llavao1.engine.image.InvalidImageException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/** An image the decoder or the image policy refuses: 400 with the reason. */
public class InvalidImageExceptionMapper implements ExceptionMapper<InvalidImageException> {

    @Override
    public Response toResponse(InvalidImageException e) {
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.TEXT_PLAIN_TYPE).entity(e.getMessage()).build();
    }
}
