package io.github.llavao1.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifest that quarkus-kubernetes generates when the demo is packaged (hence a failsafe test, run
 * after {@code package}): replicas, a GPU per replica, readiness on the health endpoint that carries the
 * "LLaVA-o1 models" check (ReasonResourceTest), and a start-up probe long enough to load the 42.7 GB checkpoint.
 */
class KubernetesManifestIT {

    private static JsonNode container;
    private static JsonNode deployment;

    @BeforeAll
    static void readManifest() throws IOException {
        Path manifest = Path.of("target/kubernetes/kubernetes.json");
        assertTrue(Files.isRegularFile(manifest), manifest + " is generated at package time");
        for (JsonNode resource : new ObjectMapper().readTree(manifest.toFile())) {
            if (resource.path("kind").asText().equals("Deployment")) {
                deployment = resource;
            }
        }
        assertEquals("llava-o1", deployment.path("metadata").path("name").asText(), "one Deployment, llava-o1");
        JsonNode containers = deployment.path("spec").path("template").path("spec").path("containers");
        assertEquals(1, containers.size(), "the generated container and src/main/kubernetes/ merged into one");
        container = containers.get(0);
    }

    @Test
    void scalesWithReplicasOneGpuEach() {
        assertEquals(2, deployment.path("spec").path("replicas").asInt());
        assertEquals("1", container.path("resources").path("limits").path("nvidia.com/gpu").asText());
    }

    @Test
    void readinessIsTheHealthEndpointWithTheModelsCheck() {
        assertEquals("/q/health/ready", container.path("readinessProbe").path("httpGet").path("path").asText());
    }

    @Test
    void startUpProbeWaitsLongEnoughToLoadTheRealCheckpoint() {
        JsonNode probe = container.path("startupProbe");
        assertEquals("/q/health/started", probe.path("httpGet").path("path").asText());
        Duration patience = Duration.ofSeconds(probe.path("initialDelaySeconds").asLong()
                + probe.path("periodSeconds").asLong() * probe.path("failureThreshold").asLong());
        // 42.7 GB at a conservative 100 MB/s from a network volume is about 7 minutes.
        assertTrue(patience.compareTo(Duration.ofMinutes(10)) >= 0, "start-up probe gives up after " + patience);
    }

    @Test
    void weightsComeFromAReadOnlyVolumeNamedInTheModelPath() {
        JsonNode mount = container.path("volumeMounts").get(0);
        assertEquals("/models", mount.path("mountPath").asText());
        assertTrue(mount.path("readOnly").asBoolean());
        JsonNode env = container.path("env").get(0);
        assertEquals("QUARKUS_LANGCHAIN4J_LLAVA_O1_MODEL_PATH", env.path("name").asText());
        assertTrue(env.path("value").asText().startsWith("/models/"), env.toString());
    }
}
