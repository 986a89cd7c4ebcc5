package io.tollgate.node.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Each role in the console: the pages it is offered, what it may change there, and the changes an org admin makes
 * through it (a key issued and revoked, a team budget set) taking effect on requests.
 */
class ConsoleRolesTest {
  private static final List<String> ORG_PAGES = List.of("overview", "agents", "requests", "budgets", "keys", "alerts",
      "billing", "audit");
  private static final List<String> ADMIN_PAGES = List.of("overview", "agents", "requests", "budgets", "keys", "alerts",
      "billing", "audit", "tokens");

  private static TestNode node;
  private static ChromeDriver browser;
  private static Console console;
  private static Path downloads;

  @BeforeAll
  static void start() throws IOException {
    downloads = Files.createTempDirectory("tollgate-downloads");
    console = Console.start(downloads);
    browser = console.browser;
    node = console.node;
    node.admin().createOrg("acme", null);
    node.admin().createOrg("globex", null);
  }

  @AfterAll
  static void stop() {
    if (console != null) {
      console.close();
    }
  }

  private static int chat(String key, Map<String, String> headers) {
    return ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key,
        ProxyClient.chat("gpt-4o-mini", "Hello", 20, false), headers).statusCode();
  }

  private static boolean anEditControlShows() {
    return browser.findElements(By.cssSelector(".edit")).stream().anyMatch(WebElement::isDisplayed);
  }

  @Test
  void anOrgAdminIssuesAKeySetsATeamBudgetAndRevokesTheKeyThroughTheConsole() {
    node.admin().createOrg("initech", null);
    console.signIn(console.token("org_admin", "initech"));
    assertEquals(ADMIN_PAGES, console.pages(), "every page of its org and its tokens, not the operator's");

    console.open("keys");
    browser.findElement(By.id("k-name")).sendKeys("research app");
    browser.findElement(By.id("k-team")).sendKeys("research");
    browser.findElement(By.cssSelector("#key-form button[type=submit]")).click();
    WebElement secret = console.wait(Duration.ofSeconds(10)).until(d -> d.findElement(By.id("secret-box")).isDisplayed()
        ? d.findElement(By.id("secret")) : null);
    String key = secret.getAttribute("value");
    browser.findElement(By.id("copy-secret")).click();
    console.wait(Duration.ofSeconds(5)).until(d -> console.text("copy-status").equals("Copied."));
    console.screenshot("key-issued");
    assertEquals(key, browser.executeAsyncScript("arguments[0](document.getSelection().toString())"),
        "the whole key is selected for copying");
    console.wait(Duration.ofSeconds(10)).until(d -> console.rows("key-table").size() == 1
        && console.rows("key-table").get(0).getText().contains("research app")
        && console.rows("key-table").get(0).getText().contains("team research"));
    assertEquals(200, chat(key, Map.of()), "the key shown once works at once");

    console.open("budgets");
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("l-scope"))).selectByValue("team");
    browser.findElement(By.id("l-value")).sendKeys("research");
    browser.findElement(By.id("l-monthly")).sendKeys("0.00001");
    browser.findElement(By.cssSelector("#limit-form button[type=submit]")).click();
    console.wait(Duration.ofSeconds(10)).until(d -> console.text("limit-status").equals("Saved: team research."));
    JsonNode limits = node.admin().call("GET", "/admin/orgs/initech/limits", null).json();
    assertEquals("team", limits.get("scopes").get(0).get("scope").asText());
    assertEquals("0.000010000", limits.get("scopes").get(0).get("limits").get("monthly_budget_usd").asText());
    console.wait(Duration.ofSeconds(10)).until(d -> console.rows("limit-table").stream()
        .anyMatch(r -> r.getText().startsWith("team research") && r.getText().contains("of $0.000010000")));
    assertFalse(browser.findElement(By.id("plans")).isDisplayed(), "plans are the operator's");
    // The budget holds on the next requests of the team's key: the first fits, then the team has spent it.
    int refused = 0;
    for (int i = 0; i < 5; i++) {
      refused += chat(key, Map.of()) == 429 ? 1 : 0;
    }
    assertTrue(refused > 0, "the team's budget set in the console refuses requests past it");
    console.rows("limit-table").stream().filter(r -> r.getText().startsWith("team research")).findFirst().orElseThrow()
        .findElement(By.cssSelector("button.secondary")).click();
    console.wait(Duration.ofSeconds(10)).until(d -> console.text("limit-status")
        .equals("Removed the limits of team research."));
    assertEquals(0, node.admin().call("GET", "/admin/orgs/initech/limits", null).json().get("scopes").size());
    assertEquals(200, chat(key, Map.of()), "without the team's budget the key is served again");

    console.open("keys");
    WebElement revoke = console.wait(Duration.ofSeconds(10)).until(d -> d.findElement(By.cssSelector("#key-table button.danger")));
    revoke.click();
    console.wait(Duration.ofSeconds(5)).until(d -> revoke.getText().startsWith("Revoke research app?")).booleanValue();
    revoke.click();
    console.wait(Duration.ofSeconds(10)).until(d -> console.rows("key-table").get(0).getText().contains("revoked"));
    assertEquals(401, chat(key, Map.of()), "a key revoked in the console is refused");
  }

  @Test
  void anOrgAdminSetsAlertsAWebhookAndAPriceThroughTheConsole() {
    node.admin().createOrg("hooli", null);
    console.signIn(console.token("org_admin", "hooli"));
    console.open("alerts");
    var thresholds = console.wait(Duration.ofSeconds(10)).until(d -> {
      WebElement field = d.findElement(By.id("a-thresholds"));
      return field.getAttribute("value").isEmpty() ? null : field;
    });
    thresholds.clear();
    thresholds.sendKeys("25, 75, 100");
    browser.findElement(By.cssSelector("#alert-form button[type=submit]")).click();
    console.wait(Duration.ofSeconds(10)).until(d -> console.text("alert-status").equals("Alerts at 25, 75, 100 %."));
    assertEquals("[25,75,100]", node.admin().call("GET", "/admin/orgs/hooli/alerts", null).json().get("thresholds")
        .toString());

    browser.findElement(By.id("w-url")).sendKeys("https://hooks.example.com/tollgate");
    browser.findElement(By.cssSelector("#webhook-form button[type=submit]")).click();
    console.wait(Duration.ofSeconds(10)).until(d -> d.findElement(By.id("whsec")).getAttribute("value")
        .startsWith("whsec_"));
    WebElement test = console.wait(Duration.ofSeconds(10)).until(d -> console.rows("webhook-table").size() == 1
        ? d.findElements(By.cssSelector("#webhook-table button")).stream().filter(b -> b.getText().equals("Send test"))
            .findFirst().orElse(null) : null);
    test.click();
    // Queued through the org's journal and the webhooks' projection; the page shows it on a refresh after.
    console.wait(Duration.ofSeconds(30)).until(d -> console.rows("delivery-table").stream()
        .anyMatch(r -> r.getText().contains("webhook.test")));

    console.open("billing");
    browser.findElement(By.id("pr-model")).sendKeys("gpt-4o");
    browser.findElement(By.id("pr-input")).sendKeys("2.0");
    browser.findElement(By.id("pr-output")).sendKeys("8.0");
    browser.findElement(By.cssSelector("#price-form button[type=submit]")).click();
    console.wait(Duration.ofSeconds(10)).until(d -> console.rows("price-table").size() == 1
        && console.rows("price-table").get(0).getText().contains("input $2"));
    JsonNode own = node.admin().call("GET", "/admin/orgs/hooli/pricing", null).json().at("/overrides/0");
    assertEquals("gpt-4o", own.get("model").asText());
    assertEquals("8", own.at("/usd_per_mtok/output").asText());
  }

  @Test
  void anOrgAdminIssuesAViewerTokenForSomeoneAndRevokesIt() {
    node.admin().createOrg("umbrella", null);
    console.signIn(console.token("org_admin", "umbrella"));
    console.open("tokens");
    browser.findElement(By.id("t-name")).sendKeys("the CFO");
    browser.findElement(By.cssSelector("#token-form button[type=submit]")).click();
    String token = console.wait(Duration.ofSeconds(10)).until(d -> d.findElement(By.id("token-secret-box")).isDisplayed()
        ? d.findElement(By.id("token-secret")).getAttribute("value") : null);
    var cfo = new io.tollgate.node.testkit.AdminClient(node.baseUrl(), token);
    JsonNode who = cfo.call("GET", "/admin/whoami", null).json();
    assertEquals("org_viewer", who.get("role").asText());
    assertEquals("umbrella", who.get("org").asText());
    assertEquals("the CFO", who.get("name").asText());

    WebElement revoke = console.wait(Duration.ofSeconds(10)).until(d -> console.rows("token-table").stream()
        .filter(r -> r.getText().startsWith("the CFO")).findFirst()
        .map(r -> r.findElement(By.cssSelector("button.danger"))).orElse(null));
    revoke.click();
    console.wait(Duration.ofSeconds(5)).until(d -> revoke.getText().equals("Revoke the CFO?"));
    revoke.click();
    console.wait(Duration.ofSeconds(10)).until(d -> console.text("token-status").startsWith("Revoked the token of the CFO"));
    assertEquals(401, cfo.call("GET", "/admin/whoami", null).status(), "revoked in the console, refused at once");
    assertTrue(console.rows("token-table").stream().map(WebElement::getText).anyMatch(t -> t.contains("yours")),
        "the admin's own token cannot be revoked from under it here");
  }

  @Test
  void anOrgViewerSeesItsOrgOnlyAndNoControlToChangeIt() {
    String key = node.admin().issueKey("acme");
    assertEquals(200, chat(key, Map.of("X-Agent-ID", "viewer-test", "X-Session-ID", "s-view")));
    console.signIn(console.token("org_viewer", "acme"));
    assertEquals(ORG_PAGES, console.pages());
    assertFalse(browser.findElement(By.id("org-choice")).isDisplayed());
    for (String page : ORG_PAGES) {
      console.open(page);
      assertFalse(anEditControlShows(), "no edit control on " + page + " for a viewer: " + console.controls());
      assertFalse(browser.findElement(By.id(page)).getText().contains("globex"), page);
    }
    browser.get(node.baseUrl() + "/console#operator");
    browser.navigate().refresh();
    console.wait(Duration.ofSeconds(10)).until(d -> d.findElement(By.id("overview")).isDisplayed());
    assertFalse(browser.findElement(By.id("operator")).isDisplayed(), "a page the role may not use does not open");
  }

  @Test
  void financeOfEveryOrgReadsEachOrgsInvoiceAndDownloadsItsFiles() throws IOException {
    String key = node.admin().issueKey("globex");
    assertEquals(200, chat(key, Map.of("X-Customer-ID", "c-9")));
    console.signIn(console.token("finance", null));
    assertEquals(List.of("overview", "agents", "requests", "budgets", "billing", "audit"), console.pages());
    assertTrue(browser.findElement(By.id("org-choice")).isDisplayed(), "finance of every org chooses the org");
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("org-select"))).selectByValue("globex");
    console.open("billing");
    String month = YearMonth.now(ZoneOffset.UTC).toString();
    JsonNode invoice = node.admin().call("GET", "/admin/orgs/globex/invoice?month=" + month, null).json();
    console.reloadUntil(() -> browser.findElement(By.id("billing")).isDisplayed()
        && console.text("invoice-total").equals("$" + invoice.get("total_usd").asText())
        && !console.rows("invoice-table").isEmpty());
    assertFalse(anEditControlShows(), "finance reads and exports; it changes nothing");

    browser.findElement(By.id("invoice-csv")).click();
    Path csv = downloads.resolve("invoice-globex-" + month + ".csv");
    console.wait(Duration.ofSeconds(10)).until(d -> Files.exists(csv));
    String api = node.admin().call("GET", "/admin/orgs/globex/invoice?month=" + month + "&format=csv", null).json().asText();
    console.wait(Duration.ofSeconds(5)).until(d -> read(csv).equals(api));
    assertTrue(read(csv).contains("c-9"), read(csv));
    browser.findElement(By.id("invoice-focus")).click();
    Path focus = downloads.resolve("focus-globex-" + month + ".csv");
    console.wait(Duration.ofSeconds(10)).until(d -> Files.exists(focus) && read(focus).startsWith("BilledCost"));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void theOperatorSeesEveryOrgTheClusterAndTheReadModelsLag() {
    console.signIn(TestNode.ADMIN_TOKEN);
    assertEquals(List.of("overview", "agents", "requests", "budgets", "keys", "alerts", "billing", "audit", "tokens",
        "operator"), console.pages());
    console.open("operator");
    console.wait(Duration.ofSeconds(10)).until(d -> console.rows("member-table").size() == 1
        && console.rows("member-table").get(0).getText().contains("up"));
    JsonNode cluster = node.admin().call("GET", "/admin/cluster", null).json();
    assertEquals(3, cluster.get("projections").size(), "the request log (with usage), the refusals, the webhooks");
    assertEquals(cluster.get("projections").size(), console.rows("projection-table").size(), cluster.toString());
    assertTrue(console.rows("projection-table").get(0).getText().startsWith("request-log"));
    assertTrue(console.rows("org-table").stream().map(WebElement::getText).anyMatch(t -> t.startsWith("acme")));
    assertTrue(console.rows("org-table").stream().map(WebElement::getText).anyMatch(t -> t.startsWith("globex")));
    // The operator defines a plan and puts an org on it, from the budgets page.
    console.open("budgets");
    console.wait(Duration.ofSeconds(10)).until(d -> d.findElement(By.id("plans")).isDisplayed());
    browser.findElement(By.id("p-name")).sendKeys("pro");
    browser.findElement(By.id("p-rpm")).sendKeys("500");
    browser.findElement(By.cssSelector("#plan-form button[type=submit]")).click();
    console.wait(Duration.ofSeconds(10)).until(d -> console.text("plan-status").startsWith("Saved the plan pro"));
    console.wait(Duration.ofSeconds(10)).until(d -> d.findElements(By.cssSelector("#plan-select option[value=pro]"))
        .size() == 1);
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("plan-select"))).selectByValue("pro");
    browser.findElement(By.cssSelector("#plan-choice button[type=submit]")).click();
    console.wait(Duration.ofSeconds(10)).until(d -> console.text("plan-choice-status").equals("Put on pro."));
    String org = browser.findElement(By.id("org-select")).getAttribute("value");
    JsonNode described = node.admin().call("GET", "/admin/orgs/" + org, null).json();
    assertEquals("pro", described.get("plan").asText());
    assertEquals(500, described.at("/effective_limits/requests_per_minute").asInt());
  }
}
