package io.tollgate.node.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testkit.AdminClient;
import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The console in a real browser against a real node: signing in with a token, the overview's figures agreeing
 * with the API to the nano-USD as requests are sent, the request log and the audit trail, and the page's security
 * headers.
 */
class ConsoleTest {
  private static TestNode node;
  private static ChromeDriver browser;
  private static Console console;

  @BeforeAll
  static void start() {
    console = Console.start(null);
    browser = console.browser;
    node = console.node;
  }

  @AfterAll
  static void stop() {
    if (console != null) {
      console.close();
    }
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
          ProxyClient.chat("gpt-4o-mini", "Hello", 20, false), Map.of("X-Team-ID", team, "X-Agent-ID", "writer"))
          .statusCode());
    }
    console.signIn(console.token("org_viewer", "shop"));

    assertTrue(console.text("who").contains("org viewer of shop"), console.text("who"));
    assertFalse(browser.findElement(By.id("org-choice")).isDisplayed(), "an org viewer has no other org to choose");
    assertTrue(browser.findElements(By.cssSelector("#org-select option")).stream()
        .noneMatch(o -> o.getAttribute("value").equals("elsewhere")));
    agreesWithTheApi("shop");

    for (int i = 0; i < 3; i++) {
      assertEquals(200, ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key,
          ProxyClient.chat("gpt-4o-mini", "Hello again " + i, 20, false)).statusCode());
    }
    agreesWithTheApi("shop"); // refreshed by the page itself
    String budgets = console.wait(Duration.ofSeconds(10))
        .until(d -> console.text("budget-gauges").contains("of $10") ? console.text("budget-gauges") : null);
    assertTrue(budgets.contains("team research"), "a scope past half its budget: " + budgets);
    assertFalse(budgets.contains("team support"), "one far from half is not shown: " + budgets);
    assertEquals(1, browser.findElements(By.cssSelector("#spend-chart canvas")).size(), "the chart is drawn");
    // The breakdowns and request figures come from the read models: they follow within a refresh or two.
    JsonNode writer = node.admin().call("GET", "/admin/orgs/shop/usage?agent=writer", null).json();
    console.wait(Duration.ofSeconds(30)).until(d -> console.rows("top-agent").size() == 1
        && console.rows("top-agent").get(0).getText().contains("writer")
        && console.rows("top-agent").get(0).getText().contains("$" + writer.get("total").get("cost_usd").asText()));
    console.wait(Duration.ofSeconds(30)).until(d -> console.text("error-rate").equals("0.00 % (0 of 5)"));
    assertTrue(console.text("latency").matches("\\d+ ms / \\d+ ms"), console.text("latency"));
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
    console.signIn(console.token("org_viewer", "bench"));
    console.open("requests");
    String newest = last;
    console.reloadUntil(() -> console.rows("request-table").size() == 3
        && console.rows("request-table").get(0).getText().contains(newest));
    String cost = "$" + node.admin().logged("bench", newest).get("cost_usd").asText();
    console.wait(Duration.ofSeconds(10)).until(d -> console.rows("request-table").get(0).getText().contains(cost));
    console.wait(Duration.ofSeconds(10)).until(d -> console.rows("denial-table").size() == 1
        && console.rows("denial-table").get(0).getText().contains("agent:greedy")
        && console.rows("denial-table").get(0).getText().contains("429"));

    browser.findElement(By.id("f-agent")).sendKeys("planner");
    browser.findElement(By.cssSelector("#request-filters button[type=submit]")).click();
    console.wait(Duration.ofSeconds(10)).until(d -> console.rows("request-table").size() == 1
        && console.rows("request-table").get(0).getText().contains("planner"));
  }

  @Test
  void theAuditTrailShowsWhoChangedWhat() {
    node.admin().createOrg("governed", null);
    var issued = node.admin().call("POST", "/admin/tokens", "{\"role\": \"org_admin\", \"org\": \"governed\","
        + " \"name\": \"Dana (finance lead)\"}");
    AdminClient dana = new AdminClient(node.baseUrl(), issued.json().get("token").asText());
    assertEquals(200, dana.call("PUT", "/admin/orgs/governed/limits/team/research", "{\"monthly_budget_usd\": \"250\"}")
        .status());
    console.signIn(console.token("org_viewer", "governed"));
    console.open("audit");
    // Newest first: the viewer's token, the budget change, Dana's token (tokens of an org are on its trail).
    console.reloadUntil(() -> browser.findElements(By.cssSelector("#audit-list li")).size() == 3);
    List<String> items = console.wait(Duration.ofSeconds(10)).until(d -> d.findElements(By.cssSelector("#audit-list li"))
        .stream().map(WebElement::getText).toList());
    assertTrue(items.get(0).contains("POST /admin/tokens"), items.get(0));
    assertTrue(items.get(2).contains("POST /admin/tokens"), items.get(2));
    String change = items.get(1);
    assertTrue(change.contains("Dana (finance lead) (org admin)"), change);
    assertTrue(change.contains("PUT /admin/orgs/governed/limits/team/research"), change);
    WebElement details = browser.findElements(By.cssSelector("#audit-list li")).get(1).findElement(By.tagName("details"));
    assertTrue(details.getAttribute("textContent").contains("\"250"), "the after shows the new budget: "
        + details.getAttribute("textContent"));
    details.findElement(By.tagName("summary")).click();
  }

  /** The month's spend and requests on the page equal the quota view's, to the nano-USD. */
  private static void agreesWithTheApi(String org) {
    console.wait(Duration.ofSeconds(30)).until(d -> {
      JsonNode quota = node.admin().quota(org);
      return console.text("spend-month").equals("$" + quota.get("usage").get("monthly_cost_usd").asText())
          && console.text("requests-month").equals(quota.get("usage").get("monthly_requests").asText());
    });
  }

  @Test
  void aWrongTokenIsToldSoAndTheTokenIsNeverInTheUrl() {
    browser.get(node.baseUrl() + "/console");
    browser.executeScript("sessionStorage.clear()");
    browser.get(node.baseUrl() + "/console");
    console.wait(Duration.ofSeconds(10)).until(d -> d.findElement(By.id("token")))
        .sendKeys("tga_nosuchtoken1_" + "x".repeat(40));
    browser.findElement(By.cssSelector("#signin-form button[type=submit]")).click();
    console.wait(Duration.ofSeconds(10)).until(d -> !console.text("signin-error").isEmpty());
    assertTrue(console.text("signin-error").contains("unknown"), console.text("signin-error"));
    assertFalse(browser.getCurrentUrl().contains("tga_"), browser.getCurrentUrl());
  }

  @Test
  void theConsoleIsServedWithItsSecurityHeaders() {
    for (String path : List.of("/console", "/console/app.js", "/console/pages/keys.js")) {
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
