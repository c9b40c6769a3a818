package io.github.llavao1.quarkus.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llavao1.testing.HeadlessChromium;
import io.quarkus.test.QuarkusDevModeTest;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Dev UI of a dev-mode application ({@code quarkus:dev}) in a real headless browser ({@link HeadlessChromium}). A developer opens the
 * extensions page, finds this extension's card, opens its Models page (the model, loaded, on the CPU in float32),
 * asks a staged question about an uploaded image on its Ask page and sees the search (every stage's candidates,
 * judgements and winner), then chats with the same model on quarkus-langchain4j's own Chat page. Dev UI is built
 * of web components, so elements are looked up through their shadow roots.
 */
class DevUiBrowserTest {

    /** Fixed (dev mode serves on quarkus.http.port); loopback only; not DevModeReloadTest's. */
    private static final int PORT = 18473;
    private static final Duration ANSWER_WAIT = Duration.ofMinutes(4);

    /** Every element matching a CSS selector, in the document and in every shadow root below it. */
    private static final String DEEP_QUERY = """
            const selector = arguments[0];
            const out = [];
            const walk = root => {
                for (const element of root.querySelectorAll('*')) {
                    if (element.matches(selector)) out.push(element);
                    if (element.shadowRoot) walk(element.shadowRoot);
                }
            };
            walk(document);
            return out;""";

    /** The text of the document and of every shadow root, styles left out. */
    private static final String DEEP_TEXT = """
            const parts = [];
            const walk = root => {
                for (const node of root.childNodes) {
                    if (node.nodeType === Node.TEXT_NODE) parts.push(node.textContent);
                    else if (node.nodeType === Node.ELEMENT_NODE && node.tagName !== 'STYLE' && node.tagName !== 'SCRIPT') {
                        if (node.shadowRoot) walk(node.shadowRoot);
                        walk(node);
                    }
                }
            };
            walk(document.body);
            return parts.join(' ').replace(/\\s+/g, ' ').substring(0, 4000);""";

    @RegisterExtension
    static final QuarkusDevModeTest app = new QuarkusDevModeTest()
            // UsesChatModel: an injection point of the default ChatModel, as every application that uses the model
            // has; quarkus-langchain4j adds its Chat page only for a chat model that is selected that way
            .withApplicationRoot(jar -> jar.addClasses(TinyCheckpoint.class, ConfigErrors.UsesChatModel.class)
                    .addAsResource(new StringAsset(TinyCheckpoint.PROPERTIES
                            // as docs/QUARKUS.md tells users to, for the Chat page that offers every @Tool
                            + "%dev.quarkus.langchain4j.llava-o1.chat-model.ignore-offered-tools=true\n"
                            + "quarkus.http.host=127.0.0.1\nquarkus.http.port=" + PORT + "\n"), "application.properties"));

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
    void theCardsPagesShowTheModelAndTheSearchAndTheChatPageAnswers() {
        browser.get("http://127.0.0.1:" + PORT + "/q/dev-ui/extensions");
        waitForText("LangChain4j LLaVA-o1", Duration.ofMinutes(2));

        // Models: the default model, loaded, with its device and dtype
        open("Models");
        WebElement model = waitFor("tr.llava-o1-model", Duration.ofMinutes(2)).get(0);
        String row = model.getText();
        assertEquals("<default>", model.getAttribute("data-name"), row);
        assertTrue(row.contains("loaded") && row.contains("cpu") && row.contains("float32"), row);
        assertTrue(row.contains(TinyCheckpoint.DIR.toString()), row);

        // Ask about an image: upload, ask, and see every stage's step of the search
        browser.get("http://127.0.0.1:" + PORT + "/q/dev-ui/extensions");
        waitForText("LangChain4j LLaVA-o1", Duration.ofMinutes(1));
        open("Ask about an image");
        WebElement file = waitFor("#llava-o1-image", Duration.ofMinutes(1)).get(0);
        file.sendKeys(TinyCheckpoint.DIR.resolve("square.png").toString());
        WebElement question = deep("#llava-o1-question").get(0);
        question.clear();
        question.sendKeys("What shape is this?");
        click(deep("#llava-o1-ask").get(0));
        waitFor("#llava-o1-answer", ANSWER_WAIT);
        assertTrue(deep("#llava-o1-error").isEmpty(), this::text);
        List<String> steps = deep(".step").stream().map(step -> step.getAttribute("data-step")).toList();
        assertEquals(List.of("SUMMARY", "CAPTION", "REASONING", "CONCLUSION"), steps, "one step of the search per stage");
        assertEquals(4, deep(".candidate.winner").size(), "each step marks its one winner");
        assertTrue(deep(".candidate").size() > 4, "several candidates per stage: " + text());
        assertFalse(deep(".judgement").isEmpty(), "the judge's comparisons are shown: " + text());

        // quarkus-langchain4j's Chat page, talking to the default (llava-o1) model
        browser.get("http://127.0.0.1:" + PORT + "/q/dev-ui/extensions");
        waitForText("LangChain4j LLaVA-o1", Duration.ofMinutes(1));
        open("Chat");
        WebElement input = waitFor("vaadin-message-input textarea, vaadin-message-input vaadin-text-area textarea",
                Duration.ofMinutes(1)).get(0);
        input.sendKeys("Describe a red square.");
        input.sendKeys(Keys.ENTER);
        // the page streams: an "AI" message grows token by token; a failure shows as an "Error" message instead
        new WebDriverWait(browser, ANSWER_WAIT).until(driver -> {
            for (WebElement message : deep("vaadin-message")) {
                String from = String.valueOf(((JavascriptExecutor) browser).executeScript("return arguments[0].userName;", message));
                if (from.equals("Error")) {
                    throw new AssertionError("the Chat page shows an error: " + message.getText());
                }
                if (from.equals("AI") && !message.getText().isBlank()) {
                    return true;
                }
            }
            return false;
        });
    }

    /** Opens the page of a card link on the extensions page whose text is {@code title}, as a click on it does. */
    private void open(String title) {
        Function<WebDriver, String> find = driver -> deep("a[href]").stream()
                .filter(a -> a.getText().trim().equals(title))
                .map(a -> a.getAttribute("href")).findFirst().orElse(null);
        String href;
        try {
            href = new WebDriverWait(browser, Duration.ofMinutes(1)).until(find);
        } catch (RuntimeException e) {
            throw new AssertionError("no link '" + title + "' on the extensions page; its links: "
                    + deep("a[href]").stream().map(a -> a.getText().trim() + " -> " + a.getAttribute("href")).toList(), e);
        }
        browser.get(href);
    }

    private void click(WebElement element) {
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView(); arguments[0].click();", element);
    }

    @SuppressWarnings("unchecked")
    private List<WebElement> deep(String selector) {
        return (List<WebElement>) ((JavascriptExecutor) browser).executeScript(DEEP_QUERY, selector);
    }

    private String text() {
        return (String) ((JavascriptExecutor) browser).executeScript(DEEP_TEXT);
    }

    private List<WebElement> waitFor(String selector, Duration timeout) {
        try {
            return new WebDriverWait(browser, timeout).until(driver -> {
                List<WebElement> found = deep(selector);
                return found.isEmpty() ? null : found;
            });
        } catch (RuntimeException e) {
            throw new AssertionError("no '" + selector + "' appeared within " + timeout + "; the page shows: " + text(), e);
        }
    }

    private String waitForText(String wanted, Duration timeout) {
        try {
            return new WebDriverWait(browser, timeout).until(driver -> {
                String text = text();
                return text.contains(wanted) ? text : null;
            });
        } catch (RuntimeException e) {
            throw new AssertionError("'" + wanted + "' did not appear within " + timeout + "; the page shows: " + text(), e);
        }
    }
}
