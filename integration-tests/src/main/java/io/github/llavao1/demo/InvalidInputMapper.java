package io.github.llavao1.demo;

import io.github.llavao1.engine.image.InvalidImageException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** An image the decoder or the image policy refuses is the client's error, reported with the engine's message. */
public class InvalidInputMapper {

    @ServerExceptionMapper
    public Response invalidImage(InvalidImageException e) {
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.TEXT_PLAIN).entity(e.getMessage()).build();
    }
}
