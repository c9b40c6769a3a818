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
 * watches the search and the stages arrive. The checkpoint's weights are random, so what is checked holds for any
 * weights: each step's candidates appear as they are sampled, something decided between them, one winner is marked.
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

    @Test
    void theSearchShowsEachStepsCandidatesAndWhatDecidedBetweenThem() {
        browser.get(page.toString());
        // a WebP, which the TwelveMonkeys plugin reads
        browser.findElement(By.id("image")).sendKeys(TestImages.WEBP.getAbsolutePath());
        browser.findElement(By.id("submit")).click();
        new WebDriverWait(browser, Duration.ofMinutes(3))
                .until(ExpectedConditions.attributeToBe(By.id("answer"), "data-done", "true"));
        assertEquals("", browser.findElement(By.id("error")).getText());

        WebElement search = browser.findElement(By.id("search"));
        List<WebElement> steps = search.findElements(By.cssSelector(".step"));
        assertEquals(search.getAttribute("data-steps"), String.valueOf(steps.size()), "a box per search step");
        assertFalse(steps.isEmpty(), "the search took at least one step");
        // the search stops early when a stage's winner ends the answer, so which stages ran depends on the weights
        List<String> names = steps.stream().map(step -> step.getAttribute("data-step")).toList();
        assertEquals(List.of("SUMMARY", "CAPTION", "REASONING", "CONCLUSION").subList(0, names.size()), names);
        for (WebElement step : steps) {
            String name = step.getAttribute("data-step");
            assertEquals("true", step.getAttribute("data-decided"), name);
            List<WebElement> candidates = step.findElements(By.cssSelector(".candidates > .candidate"));
            assertEquals(2, candidates.size(), name + ": the demo samples two candidates per stage");
            for (WebElement candidate : candidates) {
                // filled from the token events, which the server sends before the step's decision
                assertTrue(Integer.parseInt(candidate.getAttribute("data-tokens")) >= 1,
                        name + " candidate " + candidate.getAttribute("data-candidate") + " got its tokens as sampled");
                assertTrue(candidate.getText().startsWith("Candidate "), candidate.getText());
            }
            assertEquals(1, step.findElements(By.cssSelector(".candidate.winner")).size(), name + ": one winner");
            assertTrue(step.findElement(By.cssSelector(".candidate.winner")).getText().contains("winner"), name);
            List<WebElement> judgements = step.findElements(By.cssSelector(".decision .judgement"));
            assertEquals(1, judgements.size(), name + ": one pairing decided");
            String decidedBy = judgements.get(0).getAttribute("data-decided-by");
            assertTrue(List.of("JUDGE", "PRECHECK", "FORMAT", "STRATEGY").contains(decidedBy), name + ": " + decidedBy);
            assertTrue(judgements.get(0).getText().contains(" wins; "), judgements.get(0).getText());
            if (decidedBy.equals("JUDGE")) {
                assertEquals(1, judgements.get(0).findElements(By.cssSelector(".judge-output")).size(), name);
            }
        }
    }
}
