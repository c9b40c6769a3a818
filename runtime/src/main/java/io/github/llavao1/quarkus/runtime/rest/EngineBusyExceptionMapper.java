package io.github.llavao1.quarkus.runtime.rest;

import io.github.llavao1.engine.EngineBusyException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/** Every request slot taken and the waiting line full: 503, retry in a few seconds. */
public class EngineBusyExceptionMapper implements ExceptionMapper<EngineBusyException> {

    /** Seconds a client is asked to wait before retrying. */
    static final int RETRY_AFTER_SECONDS = 5;

    @Override
    public Response toResponse(EngineBusyException e) {
        return Response.status(Response.Status.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .type(MediaType.TEXT_PLAIN_TYPE).entity(e.getMessage()).build();
    }
}
