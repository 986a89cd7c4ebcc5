package io.tollgate.load;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * Many concurrent clients (default 32, for 10 s) against an org with a small monthly budget (default $0.005),
 * each request with max_tokens set: each is answered 200 or refused 429, and afterwards the recorded spend
 * is within the budget, nothing is left reserved, and the budget is used up to within about one request.
 */
public class BudgetExact extends Simulation {
  private final BigDecimal budget = new BigDecimal(System.getProperty("budgetUsd", "0.005"));
  private final int concurrency = LoadSettings.integer("concurrency", 32);
  private final Duration duration = LoadSettings.duration(Duration.ofSeconds(10));
  /** Far more than one request can cost here (about $0.00007 at gpt-4o-mini prices with max_tokens 64). */
  private static final BigDecimal ABOUT_ONE_REQUEST = new BigDecimal("0.0002");

  {
    String org = AdminApi.runId("budget");
    String key = AdminApi.fromSettings().orgWithKey(org, "{\"monthly_budget_usd\":\"" + budget.toPlainString() + "\"}");

    ScenarioBuilder spend = scenario("spend").exec(session -> session.set("key", key))
        .exec(http("chat").post("/v1/chat/completions").header("Authorization", "Bearer #{key}")
            .body(StringBody(Requests.chatBody(false, 64))).check(status().in(200, 429)));
    ScenarioBuilder verify = scenario("verify").pause(Duration.ofSeconds(2))
        .exec(http("quota").get("/admin/orgs/" + org + "/quota")
            .header("Authorization", "Bearer " + LoadSettings.adminToken())
            .check(status().is(200),
                jsonPath("$.usage.in_flight").ofLong().is(0L),
                jsonPath("$.usage.reserved_cost_usd").transform(BigDecimal::new).transform(BigDecimal::signum).is(0),
                jsonPath("$.usage.monthly_cost_usd").transform(c -> new BigDecimal(c).compareTo(budget) <= 0).is(true),
                jsonPath("$.remaining.monthly_budget_usd")
                    .transform(r -> new BigDecimal(r).compareTo(ABOUT_ONE_REQUEST) < 0).is(true)));

    setUp(spend.injectClosed(constantConcurrentUsers(concurrency).during(duration))
            .andThen(verify.injectOpen(atOnceUsers(1))))
        .protocols(Requests.protocol(LoadSettings.gateway()))
        .assertions(details("chat").failedRequests().count().is(0L), details("quota").failedRequests().count().is(0L));
  }
}
