package io.github.llavao1.langchain4j;

import dev.langchain4j.model.chat.listener.ChatModelListener;
import io.github.llavao1.reasoning.ReasoningSettings;
import java.time.Duration;
import java.util.List;

/**
 * What a built model holds: the builder's values with defaults applied (see {@link LlavaO1ModelBuilder}).
 *
 * @param timeout            the time limit of one search, or null for none
 * @param ignoreOfferedTools whether requests offering tools are answered without them instead of refused
 */
record ModelConfig(LlavaEngineHandle engine, ReasoningSettings reasoning, LlavaO1ChatRequestParameters defaults,
                   boolean includeStagesInText, ImagePolicy imagePolicy, List<ChatModelListener> listeners,
                   boolean logRequests, boolean logResponses, Duration timeout,
                   boolean ignoreOfferedTools) {
}
