package io.tollgate.load;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.listFeeder;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An org limited to N requests a minute (default 100) receives 3N within a few seconds, spread round-robin
 * over every node (not through the balancer): exactly N succeed and the rest get 429; its quota then shows N.
 */
public class RateLimitExact extends Simulation {
  private final int limit = LoadSettings.integer("limit", 100);
  private final int sent = LoadSettings.integer("requests", 3 * limit);

  {
    String org = AdminApi.runId("ratelimit");
    String key = AdminApi.fromSettings().orgWithKey(org, "{\"requests_per_minute\":" + limit + "}");
    LoadSettings.awaitRoomInThisMinute();
    List<Map<String, Object>> nodes = LoadSettings.nodes().stream().map(n -> Map.<String, Object>of("node", n)).toList();

    ScenarioBuilder burst = scenario("burst").feed(listFeeder(nodes).circular())
        .exec(session -> session.set("key", key))
        .exec(Requests.chat("chat", "#{node}/v1/chat/completions"));
    ScenarioBuilder verify = scenario("verify").pause(Duration.ofSeconds(2))
        .exec(http("quota").get("/admin/orgs/" + org + "/quota")
            .header("Authorization", "Bearer " + LoadSettings.adminToken())
            .check(status().is(200), jsonPath("$.usage.monthly_requests").ofLong().is((long) limit),
                jsonPath("$.usage.in_flight").ofLong().is(0L)));

    setUp(burst.injectOpen(rampUsers(sent).during(Duration.ofSeconds(5)))
            .andThen(verify.injectOpen(atOnceUsers(1))))
        .protocols(Requests.protocol(LoadSettings.gateway()))
        .assertions(
            details("chat").successfulRequests().count().is((long) limit),
            details("chat").failedRequests().count().is((long) (sent - limit)),
            details("quota").failedRequests().count().is(0L));
  }
}
