package io.github.llavao1.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The environment is read as huggingface_hub's constants.py reads it. */
class HubSettingsTest {

    @TempDir
    Path home;

    @Test
    void defaultsFollowHuggingfaceHub() {
        HubSettings s = HubSettings.builder().build(Map.of(), home);
        assertEquals(URI.create("https://huggingface.co"), s.endpoint());
        assertEquals(home.resolve(".cache/huggingface/hub"), s.cacheDir());
        assertNull(s.token());
        assertFalse(s.offline());
    }

    @Test
    void environmentVariablesAreHonouredInHuggingfaceHubsOrder() throws IOException {
        assertEquals(Path.of("/x/huggingface/hub"), HubSettings.builder().build(Map.of("XDG_CACHE_HOME", "/x"), home).cacheDir());
        assertEquals(Path.of("/h/hub"), HubSettings.builder().build(Map.of("HF_HOME", "/h", "XDG_CACHE_HOME", "/x"), home).cacheDir());
        assertEquals(Path.of("/c"), HubSettings.builder().build(Map.of("HF_HOME", "/h", "HF_HUB_CACHE", "/c"), home).cacheDir());
        assertEquals(Path.of("/mine"), HubSettings.builder().cacheDir(Path.of("/mine"))
                .build(Map.of("HF_HUB_CACHE", "/c"), home).cacheDir());
        assertEquals(URI.create("http://127.0.0.1:9"), HubSettings.builder()
                .build(Map.of("HF_ENDPOINT", "http://127.0.0.1:9/"), home).endpoint());
        for (String on : new String[] {"1", "true", "YES", "on"}) {
            assertTrue(HubSettings.builder().build(Map.of("HF_HUB_OFFLINE", on), home).offline(), on);
        }
        assertFalse(HubSettings.builder().build(Map.of("HF_HUB_OFFLINE", "0"), home).offline());
        assertTrue(HubSettings.builder().offline(true).build(Map.of(), home).offline());
        assertEquals(URI.create("https://hf-mirror.example"),
                HubSettings.builder().endpoint(URI.create("https://hf-mirror.example/")).build(Map.of(), home).endpoint());

        Files.createDirectories(home.resolve("hf"));
        Files.writeString(home.resolve("hf/token"), "hf_from_file\n");
        assertEquals("hf_from_file", HubSettings.builder().build(Map.of("HF_HOME", home.resolve("hf").toString()), home).token());
        assertEquals("hf_env", HubSettings.builder()
                .build(Map.of("HF_HOME", home.resolve("hf").toString(), "HF_TOKEN", "hf_env"), home).token());
        assertFalse(HubSettings.builder().token("hf_secret").build(Map.of(), home).toString().contains("hf_secret"));
    }

    @Test
    void badValuesAreRefusedNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HubSettings.builder().endpoint(URI.create("ftp://example.org")).build(Map.of(), home));
        assertTrue(e.getMessage().startsWith("endpoint must be an http(s) URL"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new HubModel("../etc", "main")).getMessage()
                .startsWith("modelId must look like owner/name"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new HubModel("a/b", "../../x")).getMessage()
                .startsWith("revision must be"));
        assertEquals("main", new HubModel("a/b", null).revision());
    }
}
