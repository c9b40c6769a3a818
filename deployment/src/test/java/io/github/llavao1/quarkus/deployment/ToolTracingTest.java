package io.github.llavao1.quarkus.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Traces with OpenTelemetry (quarkus-opentelemetry, spans exported to an in-memory exporter): a planner model calls
 * the reasoning tool from an AI service, and the tool's staged search appears as a completion span of the llava-o1
 * model, under its {@code model-name}, inside the tool execution's span, in the AI service call's trace.
 */
class ToolTracingTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(TinyCheckpoint.class, ToolInAiServiceTest.Planner.class,
                            ToolInAiServiceTest.PlannerSupplier.class, ToolInAiServiceTest.Assistant.class, Exporter.class)
                    .addAsResource(new StringAsset(TinyCheckpoint.PROPERTIES + """
                            quarkus.langchain4j.llava-o1.model-name=tiny-llava
                            quarkus.langchain4j.llava-o1.image.allowed-roots=%s
                            quarkus.otel.traces.exporter=cdi
                            quarkus.otel.bsp.schedule.delay=50ms
                            quarkus.otel.metrics.enabled=false
                            quarkus.otel.logs.enabled=false
                            """.formatted(TinyCheckpoint.DIR)), "application.properties"));

    /** The span exporter quarkus-opentelemetry uses with {@code quarkus.otel.traces.exporter=cdi}. */
    static class Exporter {
        @Produces
        @Singleton
        InMemorySpanExporter exporter() {
            return InMemorySpanExporter.create();
        }
    }

    @Inject
    ToolInAiServiceTest.Assistant assistant;

    @Inject
    InMemorySpanExporter spans;

    @Test
    @ActivateRequestContext
    void theToolsSearchIsACompletionSpanUnderTheToolExecution() throws InterruptedException {
        String answer = assistant.ask("Look at square.png and tell me its shape");
        assertTrue(answer.contains("STAGE_BEAM"), answer);

        // spans are exported in batches as they end: each is awaited
        SpanData completion = await(span -> span.getName().equals("completion tiny-llava"), "the llava-o1 completion");
        SpanData tool = await(span -> span.getSpanId().equals(completion.getParentSpanId()), "the completion's parent");
        assertEquals("langchain4j.tools.reasonAboutImage", tool.getName(), "the completion runs inside the tool execution");
        // the tool execution's own parent, the AI service call, ends after the answer returns
        SpanData service = await(span -> span.getSpanId().equals(tool.getParentSpanId()), "the tool execution's parent");
        assertTrue(service.getName().contains("Assistant") && service.getName().contains("ask"),
                "the tool runs inside the AI service call's span: " + describe(spans.getFinishedSpanItems()));
        assertEquals(completion.getTraceId(), tool.getTraceId());
        assertEquals(tool.getTraceId(), service.getTraceId());
    }

    private SpanData await(Predicate<SpanData> wanted, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            for (SpanData span : spans.getFinishedSpanItems()) {
                if (wanted.test(span)) {
                    return span;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError(what + " was not exported within 30 s: " + describe(spans.getFinishedSpanItems()));
    }

    private static String describe(List<SpanData> spans) {
        return spans.stream().map(s -> s.getName() + " [" + s.getSpanId() + " <- " + s.getParentSpanId() + "]").toList()
                .toString();
    }
}
