package io.github.llavao1.langchain4j;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.common.AbstractChatModelListenerIT;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import io.github.llavao1.engine.checkpoint.CheckpointException;
import java.util.List;

/**
 * LangChain4j's listener contract ({@code AbstractChatModelListenerIT}) for the blocking model on the tiny
 * checkpoint; the failing model is one whose checkpoint does not exist, so its first request fails to load it.
 */
class ChatModelListenerContractTest extends AbstractChatModelListenerIT {

    @Override
    protected ChatModel createModel(ChatModelListener listener) {
        return ContractSuites.chatModel().temperature(temperature()).topP(topP()).maxTokens(maxTokens())
                .listeners(List.of(listener)).build();
    }

    @Override
    protected String modelName() {
        return ContractSuites.MODEL_NAME;
    }

    @Override
    protected ChatModel createFailingModel(ChatModelListener listener) {
        return LlavaO1ChatModel.builder().modelPath(ContractSuites.missingCheckpoint()).device("cpu")
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
