package io.github.llavao1.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llavao1.testing.HeadlessChromium;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page at {@code /} in a real headless browser ({@link HeadlessChromium}): a person uploads an image, asks, and
 * watches the stages arrive.
 */
@QuarkusTest
class WebPageTest {

    @TestHTTPResource("/")
    URL page;

    private HeadlessChromium chromium;
    private WebDriver browser;

    @BeforeEach
    void startBrowser() throws Exception {
        chromium = HeadlessChromium.start();
        browser = chromium.driver();
    }

    @AfterEach
    void stopBrowser() {
        if (chromium != null) {
            chromium.close();
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
