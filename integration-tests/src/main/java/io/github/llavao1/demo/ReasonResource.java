package io.github.llavao1.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.github.llavao1.langchain4j.Cancellation;
import io.github.llavao1.langchain4j.LlavaO1ChatResponseMetadata;
import io.github.llavao1.langchain4j.SearchProgress;
import io.github.llavao1.reasoning.ReasoningListener;
import io.github.llavao1.reasoning.ReasoningResult;
import io.github.llavao1.reasoning.StageTrace;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.http.HttpServerResponse;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.Map;

/**
 * The staged answer over HTTP: {@code POST /reason} returns the whole staged result as JSON, {@code POST
 * /reason/stream} sends it as server-sent events: the search as it runs, a {@code candidate} event per sampled
 * candidate token ({@code step}, {@code candidate}, {@code text}, possibly empty) and a {@code step} event per decided
 * step (its {@code StageTrace}: candidates, judgements with their pre-checks, winner), through {@link SearchProgress};
 * one {@code stage} event per stage as the search decides it, the conclusion's text as {@code conclusion} events, and
 * the whole result as a final {@code result} event (or an {@code error} event; the stream always ends).
 *
 * <p>Input is checked before any work starts (400 or 413 naming the field). A client that goes away cancels its
 * request: {@link Cancellation} polls the connection (or the stream's subscription) after every generated token.
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
    public ReasoningResult reason(ReasonRequest request, @Context HttpServerResponse response) {
        ChatRequest chatRequest = ChatRequest.builder().messages(ImageUploads.userMessage(request)).build();
        return reasoning(Cancellation.call(response::closed, () -> chatModel.chat(chatRequest)));
    }

    @POST
    @Path("/stream")
    @Blocking
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> stream(ReasonRequest request, @Context Sse sse) {
        // read and checked here, so a bad form is a 400 before the stream opens
        UserMessage message = ImageUploads.userMessage(request);
        ChatRequest chatRequest = ChatRequest.builder().messages(message).build();
        return Multi.createFrom().emitter(emitter -> {
            EventHandler events = new EventHandler(emitter, sse);
            Cancellation.run(emitter::isCancelled, () -> SearchProgress.run(events.searchObserver(),
                    () -> streamingChatModel.chat(chatRequest, events)));
        });
    }

    /** Turns the model's callbacks into events; the emitter serialises them, whatever thread they come from. */
    private final class EventHandler implements StreamingChatResponseHandler {
        private final MultiEmitter<? super OutboundSseEvent> emitter;
        private final Sse sse;
        private int stage;

        EventHandler(MultiEmitter<? super OutboundSseEvent> emitter, Sse sse) {
            this.emitter = emitter;
            this.sse = sse;
        }

        /** The search as it runs: candidates' tokens, then each step's decision. */
        ReasoningListener searchObserver() {
            return new ReasoningListener() {
                @Override
                public void onCandidateToken(String step, int candidate, String textDelta) {
                    send("candidate", Map.of("step", step, "candidate", candidate, "text", textDelta));
                }

                @Override
                public void onStepDecided(StageTrace trace) {
                    send("step", trace);
                }
            };
        }

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
            try {
                send("result", reasoning(response));
            } finally {
                emitter.complete();
            }
        }

        @Override
        public void onError(Throwable error) {
            // the head is sent already: the error is an event, and the stream still ends
            try {
                send("error", Map.of("type", error.getClass().getSimpleName(), "message", String.valueOf(error.getMessage())));
            } finally {
                emitter.complete();
            }
        }

        private void send(String name, Object data) {
            if (emitter.isCancelled()) {
                return;
            }
            String text;
            try {
                text = json.writeValueAsString(data);
            } catch (JsonProcessingException e) {
                text = "{\"message\":\"cannot write the " + name + " event\"}";
                name = "error";
            }
            emitter.emit(sse.newEventBuilder().name(name).data(text).build());
        }
    }

    private static ReasoningResult reasoning(ChatResponse response) {
        if (response.metadata() instanceof LlavaO1ChatResponseMetadata metadata) {
            return metadata.reasoning();
        }
        throw new IllegalStateException("the chat model is not llava-o1: " + response.metadata().getClass().getName());
    }
}
