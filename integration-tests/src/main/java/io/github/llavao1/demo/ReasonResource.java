package io.github.llavao1.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.github.llavao1.langchain4j.LlavaO1ChatResponseMetadata;
import io.github.llavao1.reasoning.ReasoningResult;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.Map;

/**
 * The staged answer over HTTP: {@code POST /reason} returns the whole staged result as JSON, {@code POST
 * /reason/stream} sends it as server-sent events, one {@code stage} event per stage as the search decides it, the
 * conclusion's text as {@code conclusion} events, and the whole result as a final {@code result} event.
 */
@Path("/reason")
public class ReasonResource {

    @Inject
    ChatModel chatModel;

    @Inject
    StreamingChatModel streamingChatModel;

    @Inject
    ObjectMapper json;

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    public ReasoningResult reason(ReasonRequest request) {
        ChatResponse response = chatModel.chat(ChatRequest.builder().messages(ImageUploads.userMessage(request)).build());
        return reasoning(response);
    }

    @POST
    @Path("/stream")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void stream(ReasonRequest request, @Context SseEventSink sink, @Context Sse sse) {
        ChatRequest chatRequest = ChatRequest.builder().messages(ImageUploads.userMessage(request)).build();
        streamingChatModel.chat(chatRequest, new StreamingChatResponseHandler() {
            private int stage;

            @Override
            public void onPartialThinking(PartialThinking thinking) {
                // The thinking stream delivers each stage's winning text when the search decides it.
                send("stage", Map.of("index", stage++, "text", thinking.text()));
            }

            @Override
            public void onPartialResponse(String text) {
                send("conclusion", Map.of("text", text));
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                send("result", reasoning(response));
                sink.close();
            }

            @Override
            public void onError(Throwable error) {
                send("error", Map.of("message", String.valueOf(error.getMessage())));
                sink.close();
            }

            private void send(String name, Object data) {
                if (sink.isClosed()) {
                    return;
                }
                try {
                    sink.send(sse.newEventBuilder().name(name).data(json.writeValueAsString(data)).build());
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("writing the " + name + " event", e);
                }
            }
        });
    }

    private static ReasoningResult reasoning(ChatResponse response) {
        if (response.metadata() instanceof LlavaO1ChatResponseMetadata metadata) {
            return metadata.reasoning();
        }
        throw new IllegalStateException("the chat model is not llava-o1: " + response.metadata().getClass().getName());
    }
}
