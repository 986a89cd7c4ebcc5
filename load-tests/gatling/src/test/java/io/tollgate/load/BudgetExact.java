package io.tollgate.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.listFeeder;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.CoreDsl;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Many concurrent clients (default 32, for 10 s) spread over every node, spending against nested budgets
 * at once: the org's (default $0.005), team research's (60 % of it), every customer's by default (20 %)
 * and one key's (50 %); each request has max_tokens set and names a team, a customer, both or neither (half
 * of them neither, with the unlimited key). Each is
 * answered 200 or refused 429; afterwards no budget's recorded spend is past it, nothing is left held,
 * and the org's budget is used up to within about one request.
 */
public class BudgetExact extends Simulation {
  private final BigDecimal budget = new BigDecimal(System.getProperty("budgetUsd", "0.005"));
  private final BigDecimal teamBudget = budget.multiply(new BigDecimal("0.6"));
  private final BigDecimal customerBudget = budget.multiply(new BigDecimal("0.2"));
  private final BigDecimal keyBudget = budget.multiply(new BigDecimal("0.5"));
  private final int concurrency = LoadSettings.integer("concurrency", 32);
  private final Duration duration = LoadSettings.duration(Duration.ofSeconds(10));
  /** Far more than one request can cost here (about $0.00007 at gpt-4o-mini prices with max_tokens 64). */
  private static final BigDecimal ABOUT_ONE_REQUEST = new BigDecimal("0.0002");

  {
    AdminApi admin = AdminApi.fromSettings();
    String org = AdminApi.runId("budget");
    String key = admin.orgWithKey(org, "{\"monthly_budget_usd\":\"" + budget.toPlainString() + "\"}");
    String limitedKey = admin.key(org, "{\"name\":\"limited\",\"limits\":{\"monthly_budget_usd\":\""
        + keyBudget.toPlainString() + "\"}}");
    String limitedKeyId = limitedKey.split("_")[2];
    admin.scopeLimits(org, "team", "research", "{\"monthly_budget_usd\":\"" + teamBudget.toPlainString() + "\"}");
    admin.scopeLimits(org, "customer", "*", "{\"monthly_budget_usd\":\"" + customerBudget.toPlainString() + "\"}");

    List<Map<String, Object>> who = new ArrayList<>();
    for (String k : List.of(key, limitedKey)) {
      for (String team : List.of("research", "ops", "")) {
        for (String customer : List.of("c-1", "c-2", "")) {
          who.add(Map.of("key", k, "team", team, "customer", customer));
          // As often again, a request held to the org's budget alone: enough of them to use it up, however slow.
          who.add(Map.of("key", key, "team", "", "customer", ""));
        }
      }
    }
    List<Map<String, Object>> nodes = LoadSettings.nodes().stream().map(n -> Map.<String, Object>of("node", n)).toList();
    ScenarioBuilder spend = scenario("spend").feed(listFeeder(who).random()).feed(listFeeder(nodes).circular())
        .exec(attributed());
    String admin0 = "/admin/orgs/" + org;
    ScenarioBuilder verify = scenario("verify").pause(Duration.ofSeconds(2))
        .exec(quota("quota", admin0 + "/quota",
            jsonPath("$.usage.in_flight").ofLong().is(0L),
            jsonPath("$.usage.reserved_cost_usd").transform(BigDecimal::new).transform(BigDecimal::signum).is(0),
            jsonPath("$.usage.monthly_cost_usd").transform(c -> within(c, budget)).is(true),
            jsonPath("$.remaining.monthly_budget_usd")
                .transform(r -> new BigDecimal(r).compareTo(ABOUT_ONE_REQUEST) < 0).is(true)))
        .exec(quota("team quota", admin0 + "/quota?scope=team:research",
            jsonPath("$.usage.month.cost_usd").transform(c -> within(c, teamBudget)).is(true)))
        .exec(quota("key quota", admin0 + "/quota?scope=key:" + limitedKeyId,
            jsonPath("$.usage.month.cost_usd").transform(c -> within(c, keyBudget)).is(true)))
        .exec(quota("customer quotas", admin0 + "/quota/scopes?scope=customer",
            jsonPath("$.values[*].usage.month.cost_usd").findAll()
                .transform(costs -> costs.size() == 2 && costs.stream().allMatch(c -> within(c, customerBudget))).is(true)));

    setUp(spend.injectClosed(constantConcurrentUsers(concurrency).during(duration))
            .andThen(verify.injectOpen(atOnceUsers(1))))
        .protocols(Requests.protocol(LoadSettings.gateway()))
        .assertions(details("chat").failedRequests().count().is(0L), details("quota").failedRequests().count().is(0L),
            details("team quota").failedRequests().count().is(0L), details("key quota").failedRequests().count().is(0L),
            details("customer quotas").failedRequests().count().is(0L));
  }

  private static boolean within(String spent, BigDecimal budget) {
    return new BigDecimal(spent).compareTo(budget) <= 0;
  }

  /** The request, naming the team and customer the feeder chose (an empty one not at all). */
  private static ChainBuilder attributed() {
    return CoreDsl.doIfOrElse(session -> session.getString("team").isEmpty())
        .then(CoreDsl.doIfOrElse(session -> session.getString("customer").isEmpty())
            .then(CoreDsl.exec(chat(Map.of())))
            .orElse(CoreDsl.exec(chat(Map.of("X-Customer-ID", "#{customer}")))))
        .orElse(CoreDsl.doIfOrElse(session -> session.getString("customer").isEmpty())
            .then(CoreDsl.exec(chat(Map.of("X-Team-ID", "#{team}"))))
            .orElse(CoreDsl.exec(chat(Map.of("X-Team-ID", "#{team}", "X-Customer-ID", "#{customer}")))));
  }

  private static HttpRequestActionBuilder chat(Map<String, String> headers) {
    return http("chat").post("#{node}/v1/chat/completions").header("Authorization", "Bearer #{key}").headers(headers)
        .body(StringBody(Requests.chatBody(false, 64))).check(status().in(200, 429));
  }

  private static HttpRequestActionBuilder quota(String name, String path,
      io.gatling.javaapi.core.CheckBuilder... checks) {
    List<io.gatling.javaapi.core.CheckBuilder> all = new ArrayList<>(List.of(status().is(200)));
    all.addAll(List.of(checks));
    return http(name).get(path).header("Authorization", "Bearer " + LoadSettings.adminToken()).check(all);
  }
}
