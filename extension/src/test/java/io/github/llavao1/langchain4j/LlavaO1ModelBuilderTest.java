package io.github.llavao1.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.llavao1.engine.EngineOptions;
import io.github.llavao1.validation.InvalidSettingException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** With a shared engine handle, no setter of the builder is silently ignored. */
class LlavaO1ModelBuilderTest {

    private static final LlavaEngineHandle HANDLE = LlavaEngineHandle.lazy(Path.of("/no/such/checkpoint"), EngineOptions.defaults());

    @Test
    void aSharedHandleTakesChatSettings() {
        LlavaO1ChatModel model = LlavaO1ChatModel.builder().engine(HANDLE).temperature(0.3).maxTokens(8).build();
        assertSame(HANDLE, model.engine());
        assertFalse(HANDLE.isLoaded());
    }

    @Test
    void engineSettingsBesideASharedHandleAreRejectedByName() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> LlavaO1ChatModel.builder().engine(HANDLE).device("cpu").build());
        assertEquals("device", e.field());
        assertEquals("device cannot be set together with engine(handle): the shared handle's engine options decide it",
                e.getMessage());
        assertEquals("modelPath", assertThrows(InvalidSettingException.class,
                () -> LlavaO1StreamingChatModel.builder().engine(HANDLE).modelPath(Path.of("x")).build()).field());
        assertEquals("maxQueuedRequests", assertThrows(InvalidSettingException.class,
                () -> LlavaO1ChatModel.builder().engine(HANDLE).maxQueuedRequests(3).build()).field());
        assertEquals("quantization", assertThrows(InvalidSettingException.class,
                () -> LlavaO1ChatModel.builder().engine(HANDLE).quantization("int8").build()).field());
    }

    @Test
    void quantizationIsAnEngineOptionAndAnUnknownOneIsRejectedByName() {
        assertFalse(LlavaO1ChatModel.builder().modelPath(Path.of("x")).quantization("INT8").build().engine().isLoaded());
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> LlavaO1ChatModel.builder().modelPath(Path.of("x")).quantization("int4").build());
        assertEquals("quantization", e.field());
        assertEquals("quantization must be none or int8, got 'int4'", e.getMessage());
    }
}
