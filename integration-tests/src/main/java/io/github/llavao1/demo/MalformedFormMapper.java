package io.github.llavao1.demo;

import io.quarkus.runtime.configuration.MemorySize;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.logging.Logger;

/**
 * Forms Quarkus refuses while parsing them, which left alone would be 500s with an error id: a form it cannot parse
 * (wrong boundary, body cut off) surfaces as an {@link IOException} from the multipart parser, one with more parts
 * than {@code quarkus.http.limits.max-parameters} as a plain {@link RuntimeException} ("Param limit of N was
 * exceeded"). Both are the client's error, answered 400 and 413 naming it. The application's own reading of an
 * upload wraps its I/O errors ({@code UncheckedIOException}), so nothing of the server's lands in the first. A form
 * field longer than {@code quarkus.http.limits.max-form-attribute-size} (a question of megabytes) the parser refuses
 * with a bare 413 ({@code WebApplicationException}, no body); it gets a body naming that limit.
 */
public class MalformedFormMapper {

    private static final Logger LOG = Logger.getLogger(MalformedFormMapper.class);

    @ConfigProperty(name = "quarkus.http.limits.max-form-attribute-size")
    MemorySize maxFormAttributeSize;

    @ServerExceptionMapper
    public Response malformedForm(IOException e) {
        LOG.debugf("malformed request body: %s", e.getMessage());
        String message = "malformed multipart/form-data request: " + e.getMessage();
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.TEXT_PLAIN_TYPE).entity(message).build();
    }

    /** Only the parser's part limit is handled here; any other exception keeps Quarkus' own handling. */
    @ServerExceptionMapper
    public Response tooManyParts(RuntimeException e) {
        if (e.getClass() == RuntimeException.class && e.getMessage() != null && e.getMessage().startsWith("Param limit of")) {
            String message = "the form has too many parts (" + e.getMessage() + "); it takes 'image' and 'question'";
            return Response.status(Response.Status.REQUEST_ENTITY_TOO_LARGE).type(MediaType.TEXT_PLAIN_TYPE)
                    .entity(message).build();
        }
        if (e instanceof WebApplicationException web) {
            if (web.getResponse().getStatus() == Response.Status.REQUEST_ENTITY_TOO_LARGE.getStatusCode()
                    && !web.getResponse().hasEntity()) {
                String message = "a form field is over the limit of " + maxFormAttributeSize.asLongValue()
                        + " bytes (quarkus.http.limits.max-form-attribute-size); 'question' takes at most "
                        + ImageUploads.MAX_QUESTION_CHARS + " characters";
                return Response.status(Response.Status.REQUEST_ENTITY_TOO_LARGE).type(MediaType.TEXT_PLAIN_TYPE)
                        .entity(message).build();
            }
            return web.getResponse();
        }
        throw e;
    }
}
