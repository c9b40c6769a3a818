package io.github.llavao1.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page at {@code /} in a real headless browser: Debian's Chromium, driven by its own chromedriver (both named
 * explicitly, so Selenium Manager downloads nothing). A person uploads an image, asks, and watches the stages arrive.
 * Needs {@code integration-tests/install-browser.sh}.
 */
@QuarkusTest
class WebPageTest {

    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

    @TestHTTPResource("/")
    URL page;

    private WebDriver browser;
    private Path profile;

    @BeforeEach
    void startBrowser() throws Exception {
        assertTrue(CHROMIUM.canExecute() && CHROMEDRIVER.canExecute(),
                "the browser test needs /usr/bin/chromium and /usr/bin/chromedriver: run integration-tests/install-browser.sh");
        profile = Files.createTempDirectory("chromium-profile");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER)
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void stopBrowser() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void uploadAskAndWatchTheStagesArrive() {
        browser.get(page.toString());
        assertEquals("LLaVA-o1 staged reasoning", browser.getTitle());
        browser.findElement(By.id("image")).sendKeys(TestImages.SQUARE.getAbsolutePath());
        WebElement question = browser.findElement(By.id("question"));
        question.clear();
        question.sendKeys("What shape is this?");
        browser.findElement(By.id("submit")).click();

        // Generous: two CPU cores shared with the rest of the build; the wait ends as soon as the answer is in.
        new WebDriverWait(browser, Duration.ofMinutes(3))
                .until(ExpectedConditions.attributeToBe(By.id("answer"), "data-done", "true"));

        assertEquals("", browser.findElement(By.id("error")).getText());
        List<WebElement> stages = browser.findElements(By.cssSelector("#stages .stage"));
        assertFalse(stages.isEmpty(), "stage cards arrived while the search ran");
        for (String name : List.of("summary", "caption", "reasoning", "conclusion")) {
            WebElement stage = browser.findElement(By.id("final-" + name));
            assertEquals(name.toUpperCase(), stage.findElement(By.tagName("h3")).getText());
        }
        assertTrue(browser.findElement(By.id("answer")).getText().startsWith("Answer:"));
        assertTrue(browser.findElement(By.id("status")).getText().startsWith("Done in"));
    }
}
