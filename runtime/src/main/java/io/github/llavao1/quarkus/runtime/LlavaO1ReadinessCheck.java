package io.github.llavao1.quarkus.runtime;

import io.github.llavao1.langchain4j.LlavaEngineHandle;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: up when every eagerly loaded {@code llava-o1} model is loaded; a model still downloading from the Hub
 * reports its progress ({@code downloading 1.20/42.70 GB (3%), …}) and keeps readiness down. A lazily loaded model
 * is reported (as {@code lazy, not loaded yet}) but does not hold readiness down, since only a request loads it; once
 * a load has failed, the model is down with the reason until a later request loads it. Registered by the
 * deployment module when {@code quarkus-smallrye-health} is present.
 */
@Readiness
@ApplicationScoped
public class LlavaO1ReadinessCheck implements HealthCheck {

    static final String NAME = "LLaVA-o1 models";

    @Inject
    LlavaO1Engines engines;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).up();
        for (Map.Entry<String, LlavaO1Engines.Entry> entry : engines.entries().entrySet()) {
            response.withData(entry.getKey(), engines.state(entry.getKey()));
            LlavaEngineHandle handle = entry.getValue().handle();
            if (!handle.isLoaded() && (entry.getValue().eager() || handle.loadFailure() != null)) {
                response.down();
            }
        }
        return response.build();
    }
}
