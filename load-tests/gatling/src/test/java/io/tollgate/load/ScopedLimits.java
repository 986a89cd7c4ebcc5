package io.tollgate.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.listFeeder;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Per-minute limits of a team (default 30), a customer (20) and a key (25) in one org, each sent three
 * times its limit within a few seconds, spread round-robin over every node: each admits exactly its limit.
 */
public class ScopedLimits extends Simulation {
  private final int teamLimit = LoadSettings.integer("teamLimit", 30);
  private final int customerLimit = LoadSettings.integer("customerLimit", 20);
  private final int keyLimit = LoadSettings.integer("keyLimit", 25);

  {
    AdminApi admin = AdminApi.fromSettings();
    String org = AdminApi.runId("scoped");
    String key = admin.orgWithKey(org, null);
    admin.scopeLimits(org, "team", "research", "{\"requests_per_minute\":" + teamLimit + "}");
    admin.scopeLimits(org, "customer", "acme", "{\"requests_per_minute\":" + customerLimit + "}");
    String limitedKey = admin.key(org, "{\"name\":\"limited\",\"limits\":{\"requests_per_minute\":" + keyLimit + "}}");
    LoadSettings.awaitRoomInThisMinute();

    setUp(burst("team", key, Map.of("X-Team-ID", "research"), teamLimit),
        burst("customer", key, Map.of("X-Customer-ID", "acme"), customerLimit),
        burst("key", limitedKey, Map.of(), keyLimit))
        .protocols(Requests.protocol(LoadSettings.gateway()))
        .assertions(
            details("team").successfulRequests().count().is((long) teamLimit),
            details("team").failedRequests().count().is(2L * teamLimit),
            details("customer").successfulRequests().count().is((long) customerLimit),
            details("customer").failedRequests().count().is(2L * customerLimit),
            details("key").successfulRequests().count().is((long) keyLimit),
            details("key").failedRequests().count().is(2L * keyLimit));
  }

  /** Three times the limit, over every node in turn: the limit's worth succeed (200), the rest are refused. */
  private static PopulationBuilder burst(String name, String key, Map<String, String> headers, int limit) {
    List<Map<String, Object>> nodes = LoadSettings.nodes().stream().map(n -> Map.<String, Object>of("node", n)).toList();
    ScenarioBuilder burst = scenario(name).feed(listFeeder(nodes).circular())
        .exec(http(name).post("#{node}/v1/chat/completions").header("Authorization", "Bearer " + key).headers(headers)
            .body(StringBody(Requests.chatBody(false, 16))).check(status().is(200)));
    return burst.injectOpen(rampUsers(3 * limit).during(Duration.ofSeconds(5)));
  }
}
