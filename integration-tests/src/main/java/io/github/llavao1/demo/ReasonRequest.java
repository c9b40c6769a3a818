package io.github.llavao1.demo;

import org.jboss.resteasy.reactive.PartType;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import jakarta.ws.rs.core.MediaType;

/** The upload form of {@code POST /reason}: an image file and a question about it. */
public class ReasonRequest {

    @RestForm("image")
    public FileUpload image;

    @RestForm("question")
    @PartType(MediaType.TEXT_PLAIN)
    public String question;
}
