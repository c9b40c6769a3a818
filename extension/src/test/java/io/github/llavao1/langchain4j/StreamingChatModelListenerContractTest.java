package io.github.llavao1.langchain4j;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.common.AbstractStreamingChatModelListenerIT;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import io.github.llavao1.engine.checkpoint.CheckpointException;
import java.util.List;

/**
 * LangChain4j's listener contract ({@code AbstractStreamingChatModelListenerIT}) for the streaming model on the tiny
 * checkpoint; the failing model is one whose checkpoint does not exist, so its first request fails to load it.
 */
class StreamingChatModelListenerContractTest extends AbstractStreamingChatModelListenerIT {

    @Override
    protected StreamingChatModel createModel(ChatModelListener listener) {
        return ContractSuites.streamingModel().temperature(temperature()).topP(topP()).maxTokens(maxTokens())
                .listeners(List.of(listener)).build();
    }

    @Override
    protected String modelName() {
        return ContractSuites.MODEL_NAME;
    }

    @Override
    protected StreamingChatModel createFailingModel(ChatModelListener listener) {
        return LlavaO1StreamingChatModel.builder().modelPath(ContractSuites.missingCheckpoint()).device("cpu")
                .listeners(List.of(listener)).build();
    }

    @Override
    protected Class<? extends Exception> expectedExceptionClass() {
        return CheckpointException.class;
    }

    @Override
    protected boolean supportsTools() {
        return false;
    }
}
