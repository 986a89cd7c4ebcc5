package io.tollgate.node.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Every page of the console with an org's data on it, as the operator sees it: no finding of the axe-core
 * accessibility checker, nothing wider than a phone's screen, and a screenshot of each for the docs.
 */
class ConsoleQualityTest {
  private static final List<String> PAGES = List.of("overview", "agents", "requests", "budgets", "keys", "alerts",
      "billing", "audit", "tokens", "operator");

  private static TestNode node;
  private static ChromeDriver browser;
  private static Console console;

  @BeforeAll
  static void start() {
    console = Console.start(null);
    browser = console.browser;
    node = console.node;
    anOrgAtWork();
  }

  @AfterAll
  static void stop() {
    if (console != null) {
      console.close();
    }
  }

  /** An org with budgets, keys, sessions and outcomes, a webhook and a price of its own. */
  private static void anOrgAtWork() {
    node.admin().createOrg("acme", "{\"monthly_budget_usd\": \"25\"}");
    String key = node.admin().issueKey("acme");
    assertEquals(200, node.admin().call("PUT", "/admin/orgs/acme/limits/team/research",
        "{\"monthly_budget_usd\": \"0.00005\", \"enforcement\": \"soft\"}").status());
    assertEquals(200, node.admin().call("PUT", "/admin/orgs/acme/limits/customer/*", "{\"daily_budget_usd\": \"2\"}")
        .status());
    for (int i = 0; i < 6; i++) {
      String agent = i % 2 == 0 ? "support-bot" : "coder";
      ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key,
          ProxyClient.chat(i % 3 == 0 ? "gpt-4o" : "gpt-4o-mini", "Question " + i, 40, false),
          Map.of("X-Agent-ID", agent, "X-Session-ID", "s-" + (i % 3), "X-Team-ID", "research", "X-Customer-ID",
              "c-" + (i % 2)));
    }
    var outcome = ProxyClient.post(node.baseUrl() + "/v1/outcomes", key, "{\"id\": \"ticket-1\", \"session_id\": \"s-0\","
        + " \"name\": \"ticket_resolved\", \"value_usd\": \"12.50\"}", Map.of("X-Agent-ID", "support-bot"));
    assertEquals(201, outcome.statusCode(), outcome.body());
    assertEquals(200, node.admin().call("PUT", "/admin/orgs/acme/pricing/gpt-4o",
        "{\"input\": \"2.0\", \"output\": \"8.0\"}").status());
    assertEquals(201, node.admin().call("POST", "/admin/orgs/acme/webhooks",
        "{\"url\": \"https://hooks.example.com/tollgate\", \"events\": [\"budget.threshold_crossed\"]}").status());
  }

  @Test
  void everyPageHasNoAccessibilityFindingAndFitsAPhone() {
    console.signIn(TestNode.ADMIN_TOKEN);
    assertEquals(PAGES, console.pages());
    // The read models follow the journal within a second or two: wait until the sessions are in.
    console.open("agents");
    console.reloadUntil(() -> console.rows("session-table").size() == 3);
    browser.findElement(By.cssSelector("#session-table button")).click();
    console.wait(Duration.ofSeconds(10)).until(d -> d.findElement(By.id("session-detail")).isDisplayed());

    for (String page : PAGES) {
      console.open(page);
      settle();
      console.screenshot(page);
      assertEquals(List.of(), console.accessibilityViolations(), "axe-core on the " + page + " page");
    }

    browser.manage().window().setSize(new Dimension(390, 844)); // a phone's width
    try {
      for (String page : PAGES) {
        console.open(page);
        settle();
        assertFalse(console.overflowsSideways(), "the " + page + " page is wider than a phone");
        if (page.equals("overview")) {
          console.screenshot("phone-overview");
        }
      }
    } finally {
      browser.manage().window().setSize(new Dimension(1280, 900));
    }
  }

  @Test
  void theAgentsPageSetsASessionsCostAgainstItsConfirmedOutcomes() {
    // An outcome is confirmed once the outcomes' read model has it, a moment after it was reported.
    console.wait(Duration.ofSeconds(30)).until(d -> node.admin().call("POST", "/admin/orgs/acme/outcomes/ticket-1/confirm",
        "{\"by\": \"alice\"}").status() == 200);
    console.signIn(TestNode.ADMIN_TOKEN);
    console.open("agents");
    console.reloadUntil(() -> console.rows("roi-table").stream().anyMatch(r -> r.getText().startsWith("support-bot")
        && r.getText().contains("$12.500000000")));
    String cost = node.admin().call("GET", "/admin/orgs/acme/sessions/s-0", null).json().get("cost_usd").asText();
    browser.findElements(By.cssSelector("#session-table button")).stream().filter(b -> b.getText().equals("s-0"))
        .findFirst().orElseThrow().click();
    String roi = console.wait(Duration.ofSeconds(10)).until(d -> console.text("session-roi").isEmpty() ? null
        : console.text("session-roi"));
    assertTrue(roi.startsWith("Confirmed value $12.500000000 for $" + cost), roi);
    assertTrue(console.rows("session-outcomes").get(0).getText().contains("confirmed"));
  }

  /** Lets the page's first refresh land (its figures come from several calls). */
  private static void settle() {
    console.wait(Duration.ofSeconds(10)).until(d -> Boolean.TRUE.equals(browser.executeScript(
        "return document.readyState === 'complete'")));
    try {
      Thread.sleep(700);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
