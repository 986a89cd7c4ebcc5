package io.tollgate.node.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console as a user drives it in the tests' browser: signing in, opening pages, reading what they show. It
 * owns the browser, and a node on a fresh schema with the upstream simulator behind it.
 */
final class Console implements AutoCloseable {
  final ChromeDriver browser;
  final TestNode node;
  private final UpstreamSimulator simulator;

  private Console(ChromeDriver browser, UpstreamSimulator simulator, TestNode node) {
    this.browser = browser;
    this.simulator = simulator;
    this.node = node;
  }

  /** A browser (saving downloads in {@code downloads}, null: its default) and a node to sign in to. */
  static Console start(Path downloads) {
    ChromeDriver browser = Browser.start(downloads);
    UpstreamSimulator simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults());
    TestNode node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), Clock.systemUTC()));
    return new Console(browser, simulator, node);
  }

  @Override
  public void close() {
    browser.quit();
    node.close();
    simulator.close();
  }

  /** A token of {@code role} for {@code org} (null: every org), issued with the node's own. */
  String token(String role, String org) {
    var issued = node.admin().call("POST", "/admin/tokens", "{\"role\": \"" + role + "\", \"org\": "
        + (org == null ? "null" : "\"" + org + "\"") + ", \"name\": \"" + role + " of the console test\"}");
    assertEquals(201, issued.status(), issued.toString());
    return issued.json().get("token").asText();
  }

  /** Signs in with {@code token} from a fresh tab's state, and waits for the first page. */
  void signIn(String token) {
    browser.get(node.baseUrl() + "/console");
    browser.executeScript("sessionStorage.clear()"); // signed out of any test before
    browser.get(node.baseUrl() + "/console");
    wait(Duration.ofSeconds(10)).until(d -> d.findElement(By.id("token"))).sendKeys(token);
    browser.findElement(By.cssSelector("#signin-form button[type=submit]")).click();
    wait(Duration.ofSeconds(10)).until(d -> d.findElement(By.id("nav")).isDisplayed());
  }

  /** Opens a page by its link in the navigation, and waits until it shows. */
  void open(String page) {
    browser.findElement(By.cssSelector("#nav a[data-page=" + page + "]")).click();
    wait(Duration.ofSeconds(10)).until(d -> d.findElement(By.id(page)).isDisplayed());
  }

  /** The pages the navigation offers, in order. */
  List<String> pages() {
    return browser.findElements(By.cssSelector("#nav a")).stream().map(a -> a.getAttribute("data-page")).toList();
  }

  /** A wait that looks again when the page replaced what it was reading (it refreshes its figures by itself). */
  WebDriverWait wait(Duration timeout) {
    WebDriverWait wait = new WebDriverWait(browser, timeout);
    wait.ignoring(StaleElementReferenceException.class);
    return wait;
  }

  String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  List<WebElement> rows(String table) {
    return browser.findElements(By.cssSelector("#" + table + " tbody tr"));
  }

  /** The buttons, fields and choices a user can see now, by id or text. */
  List<String> controls() {
    return browser.findElements(By.cssSelector("button, input, select")).stream().filter(WebElement::isDisplayed)
        .map(e -> e.getAttribute("id").isEmpty() ? e.getText() : e.getAttribute("id")).toList();
  }

  /**
   * Reloads the page until {@code shown} holds, for what the read models show a moment after it happened: each poll
   * that finds it not yet there reloads, and the next looks again (30 s at most).
   */
  void reloadUntil(BooleanSupplier shown) {
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofSeconds(2));
    wait.ignoring(StaleElementReferenceException.class);
    wait.until(d -> {
      if (shown.getAsBoolean()) {
        return true;
      }
      browser.navigate().refresh();
      return false;
    });
  }

  /** With {@code -Dtollgate.console.screenshots=<dir>}, the page as {@code <dir>/<name>.png}. */
  void screenshot(String name) {
    String dir = System.getProperty("tollgate.console.screenshots");
    if (dir == null) {
      return;
    }
    try {
      Files.createDirectories(Path.of(dir));
      Files.write(Path.of(dir, name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What axe-core (from Deque's jar, run in the page) finds wrong with the page as it is: rule, impact, where. */
  @SuppressWarnings("unchecked")
  List<String> accessibilityViolations() {
    String axe;
    try (InputStream in = Console.class.getResourceAsStream("/axe.min.js")) {
      axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    browser.executeScript(axe);
    Object found = browser.executeAsyncScript("const done = arguments[arguments.length - 1];"
        + "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations.map(v => v.id + ' ('"
        + " + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).join(', '))), e => done(['axe failed: ' + e]));");
    return (List<String>) found;
  }

  /** Whether the page is wider than the window: something a phone would have to scroll sideways for. */
  boolean overflowsSideways() {
    Map<String, Object> widths = castMap(browser.executeScript(
        "return {page: document.documentElement.scrollWidth, window: window.innerWidth};"));
    return ((Number) widths.get("page")).longValue() > ((Number) widths.get("window")).longValue();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object o) {
    return (Map<String, Object>) o;
  }
}
