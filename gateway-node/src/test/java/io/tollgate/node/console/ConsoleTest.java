package io.tollgate.node.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser against a real node: signing in with a token, the overview's figures agreeing
 * with the API to the nano-USD as requests are sent, an org viewer seeing its org only, and the page's security
 * headers.
 */
class ConsoleTest {
  private static UpstreamSimulator simulator;
  private static TestNode node;
  private static ChromeDriver browser;

  @BeforeAll
  static void start() {
    browser = Browser.start();
    simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults());
    node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), Clock.systemUTC()));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (node != null) {
      node.close();
      simulator.close();
    }
  }

  private static String viewerToken(String org) {
    var issued = node.admin().call("POST", "/admin/tokens", "{\"role\": \"org_viewer\", \"org\": \"" + org
        + "\", \"name\": \"console test\"}");
    assertEquals(201, issued.status(), issued.toString());
    return issued.json().get("token").asText();
  }

  private static void signIn(String token) {
    browser.get(node.baseUrl() + "/console");
    browser.executeScript("sessionStorage.clear()"); // signed out of any test before
    browser.get(node.baseUrl() + "/console");
    WebElement field = wait(Duration.ofSeconds(10)).until(d -> d.findElement(By.id("token")));
    field.sendKeys(token);
    browser.findElement(By.cssSelector("#signin-form button[type=submit]")).click();
    wait(Duration.ofSeconds(10)).until(d -> d.findElement(By.id("overview")).isDisplayed());
  }

  /** A wait that looks again when the page replaced what it was reading (it refreshes its figures by itself). */
  private static WebDriverWait wait(Duration timeout) {
    WebDriverWait wait = new WebDriverWait(browser, timeout);
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    return wait;
  }

  private static String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  @Test
  void theOverviewShowsTheOrgsSpendAsTheApiDoesAndFollowsNewRequests() {
    node.admin().createOrg("shop", "{\"monthly_budget_usd\": \"10\"}");
    node.admin().createOrg("elsewhere", null);
    String key = node.admin().issueKey("shop");
    // A soft budget a request overruns (soft: never refused), and one far from half spent.
    assertEquals(200, node.admin().call("PUT", "/admin/orgs/shop/limits/team/research",
        "{\"monthly_budget_usd\": \"0.000005\", \"enforcement\": \"soft\"}").status());
    assertEquals(200, node.admin().call("PUT", "/admin/orgs/shop/limits/team/support",
        "{\"monthly_budget_usd\": \"1000\"}").status());
    for (String team : List.of("research", "support")) {
      assertEquals(200, ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key,
          ProxyClient.chat("gpt-4o-mini", "Hello", 20, false), Map.of("X-Team-ID", team)).statusCode());
    }
    signIn(viewerToken("shop"));

    assertTrue(text("who").contains("org viewer of shop"), text("who"));
    assertFalse(browser.findElement(By.id("org-choice")).isDisplayed(), "an org viewer has no other org to choose");
    assertTrue(browser.findElements(By.cssSelector("#org-select option")).stream()
        .noneMatch(o -> o.getAttribute("value").equals("elsewhere")));
    assertTrue(browser.findElements(By.cssSelector("button, input, select")).stream().filter(WebElement::isDisplayed)
        .allMatch(e -> e.getAttribute("id").equals("sign-out") || e.getAttribute("id").equals("org-select")),
        "no edit control for a viewer");
    agreesWithTheApi("shop");

    for (int i = 0; i < 3; i++) {
      assertEquals(200, ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key,
          ProxyClient.chat("gpt-4o-mini", "Hello again " + i, 20, false)).statusCode());
    }
    agreesWithTheApi("shop"); // refreshed by the page itself
    String budgets = wait(Duration.ofSeconds(10)).until(d -> text("budgets").contains("of $10") ? text("budgets") : null);
    assertTrue(budgets.contains("team research"), "a scope past half its budget: " + budgets);
    assertFalse(budgets.contains("team support"), "one far from half is not shown: " + budgets);
    assertEquals(1, browser.findElements(By.cssSelector("#spend-chart canvas")).size(), "the chart is drawn");
    screenshot("overview");
  }

  /** With {@code -Dtollgate.console.screenshots=docs/console} (from the module: ../docs/console), the page as a PNG. */
  private static void screenshot(String page) {
    String dir = System.getProperty("tollgate.console.screenshots");
    if (dir == null) {
      return;
    }
    try {
      java.nio.file.Files.createDirectories(java.nio.file.Path.of(dir));
      java.nio.file.Files.write(java.nio.file.Path.of(dir, page + ".png"),
          browser.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void theRequestsPageListsTheRequestLogWithFiltersAndTheRefusals() {
    node.admin().createOrg("bench", null);
    String key = node.admin().issueKey("bench");
    assertEquals(200, node.admin().call("PUT", "/admin/orgs/bench/limits/agent/greedy", "{\"requests_per_minute\": 1}")
        .status());
    String last = null;
    for (String agent : List.of("planner", "coder", "greedy", "greedy")) {
      var answer = ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key,
          ProxyClient.chat("gpt-4o-mini", "Hi from " + agent, 20, false), Map.of("X-Agent-ID", agent));
      if (answer.statusCode() == 200) {
        last = answer.headers().firstValue("X-Request-ID").orElseThrow();
      } else {
        assertEquals(429, answer.statusCode(), "the greedy agent's second request is over its limit");
      }
    }
    signIn(viewerToken("bench"));
    browser.get(node.baseUrl() + "/console#requests");
    String newest = last;
    reloadUntil(() -> rows("request-table").size() == 3 && rows("request-table").get(0).getText().contains(newest));
    String cost = "$" + node.admin().logged("bench", newest).get("cost_usd").asText();
    wait(Duration.ofSeconds(10)).until(d -> rows("request-table").get(0).getText().contains(cost)); // as the API gives it
    wait(Duration.ofSeconds(10)).until(d -> rows("denial-table").size() == 1
        && rows("denial-table").get(0).getText().contains("agent:greedy")
        && rows("denial-table").get(0).getText().contains("429"));

    browser.findElement(By.id("f-agent")).sendKeys("planner");
    browser.findElement(By.cssSelector("#request-filters button[type=submit]")).click();
    wait(Duration.ofSeconds(10)).until(d -> rows("request-table").size() == 1
        && rows("request-table").get(0).getText().contains("planner"));
    screenshot("requests");
  }

  @Test
  void theAuditTrailShowsWhoChangedWhat() {
    node.admin().createOrg("governed", null);
    var issued = node.admin().call("POST", "/admin/tokens", "{\"role\": \"org_admin\", \"org\": \"governed\","
        + " \"name\": \"Dana (finance lead)\"}");
    io.tollgate.node.testkit.AdminClient dana = new io.tollgate.node.testkit.AdminClient(node.baseUrl(),
        issued.json().get("token").asText());
    assertEquals(200, dana.call("PUT", "/admin/orgs/governed/limits/team/research", "{\"monthly_budget_usd\": \"250\"}")
        .status());
    signIn(viewerToken("governed"));
    browser.get(node.baseUrl() + "/console#audit");
    reloadUntil(() -> browser.findElements(By.cssSelector("#audit-list li")).size() == 1);
    String change = wait(Duration.ofSeconds(10)).until(d -> d.findElement(By.cssSelector("#audit-list li")).getText());
    assertTrue(change.contains("Dana (finance lead) (org admin)"), change);
    assertTrue(change.contains("PUT /admin/orgs/governed/limits/team/research"), change);
    String details = wait(Duration.ofSeconds(10)).until(d -> d.findElement(By.cssSelector("#audit-list details"))
        .getAttribute("textContent"));
    assertTrue(details.contains("\"250"), "the after shows the new budget: " + details);
    browser.findElement(By.cssSelector("#audit-list summary")).click();
    screenshot("audit");
  }

  /**
   * Reloads the page until {@code shown} holds, for what the read models show a moment after it happened: each poll
   * that finds it not yet there reloads, and the next looks again (30 s at most).
   */
  private static void reloadUntil(java.util.function.BooleanSupplier shown) {
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofSeconds(2));
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    wait.until(d -> {
      if (shown.getAsBoolean()) {
        return true;
      }
      browser.navigate().refresh();
      return false;
    });
  }

  private static List<WebElement> rows(String table) {
    return browser.findElements(By.cssSelector("#" + table + " tbody tr"));
  }

  /** The month's spend and requests on the page equal the quota view's, to the nano-USD. */
  private static void agreesWithTheApi(String org) {
    wait(Duration.ofSeconds(30)).until(d -> {
      JsonNode quota = node.admin().quota(org);
      return text("spend-month").equals("$" + quota.get("usage").get("monthly_cost_usd").asText())
          && text("requests-month").equals(quota.get("usage").get("monthly_requests").asText());
    });
  }

  @Test
  void aWrongTokenIsToldSoAndTheTokenIsNeverInTheUrl() {
    browser.get(node.baseUrl() + "/console");
    browser.executeScript("sessionStorage.clear()");
    browser.get(node.baseUrl() + "/console");
    wait(Duration.ofSeconds(10)).until(d -> d.findElement(By.id("token"))).sendKeys("tga_nosuchtoken1_" + "x".repeat(40));
    browser.findElement(By.cssSelector("#signin-form button[type=submit]")).click();
    wait(Duration.ofSeconds(10)).until(d -> !text("signin-error").isEmpty());
    assertTrue(text("signin-error").contains("unknown"), text("signin-error"));
    assertFalse(browser.getCurrentUrl().contains("tga_"), browser.getCurrentUrl());
  }

  @Test
  void theConsoleIsServedWithItsSecurityHeaders() {
    for (String path : List.of("/console", "/console/console.js")) {
      var answer = ProxyClient.send("GET", node.baseUrl() + path, Map.of());
      assertEquals(200, answer.statusCode(), path);
      assertEquals("DENY", answer.headers().firstValue("X-Frame-Options").orElse(null));
      assertEquals("nosniff", answer.headers().firstValue("X-Content-Type-Options").orElse(null));
      assertEquals("no-referrer", answer.headers().firstValue("Referrer-Policy").orElse(null));
      assertTrue(answer.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"));
    }
    assertEquals(200, ProxyClient.send("GET", node.baseUrl() + "/console/webjars/echarts/5.3.1/dist/echarts.min.js",
        Map.of()).statusCode(), "the chart library from its WebJar");
  }
}
