package io.tollgate.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.listFeeder;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Agents that retry everything: N requests (default 200, over 10 s), each with its own Idempotency-Key, are each
 * sent twice at the same moment to different nodes, and once more a second later. Every answer is a 200 (the
 * later repeat the first one's, marked replayed), and the org is billed once per key: its quota counts N
 * requests, nothing held.
 */
public class Idempotency extends Simulation {
  private final int requests = LoadSettings.integer("requests", 200);
  private final Duration duration = LoadSettings.duration(Duration.ofSeconds(10));

  {
    AdminApi admin = AdminApi.fromSettings();
    String org = AdminApi.runId("idem");
    String key = admin.orgWithKey(org, null);
    List<String> nodes = LoadSettings.nodes();
    List<Map<String, Object>> keys = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      keys.add(Map.of("idem", org + "-" + i, "key", key, "node", nodes.get(i % nodes.size()),
          "other", nodes.get((i + 1) % nodes.size())));
    }
    // The same keys in the same order: the i-th client of each sends the i-th key at about the same time.
    ScenarioBuilder client = scenario("client").feed(listFeeder(keys).queue())
        .exec(chat("first", "#{node}").check(status().is(200)))
        .pause(Duration.ofSeconds(1))
        .exec(chat("repeat later", "#{node}").check(status().is(200), header("Idempotent-Replayed").is("true")));
    ScenarioBuilder retry = scenario("retry").feed(listFeeder(keys).queue())
        .exec(chat("repeat at once", "#{other}").check(status().is(200)));
    ScenarioBuilder verify = scenario("verify").pause(Duration.ofSeconds(2))
        .exec(http("quota").get("/admin/orgs/" + org + "/quota").header("Authorization", "Bearer " + LoadSettings.adminToken())
            .check(status().is(200), jsonPath("$.usage.monthly_requests").ofLong().is((long) requests),
                jsonPath("$.usage.in_flight").ofLong().is(0L)));

    setUp(client.injectOpen(rampUsers(requests).during(duration)).andThen(verify.injectOpen(atOnceUsers(1))),
            retry.injectOpen(rampUsers(requests).during(duration)))
        .protocols(Requests.ownConnections(LoadSettings.gateway()))
        .assertions(details("first").failedRequests().count().is(0L),
            details("repeat at once").failedRequests().count().is(0L),
            details("repeat later").failedRequests().count().is(0L), details("quota").failedRequests().count().is(0L));
  }

  private static HttpRequestActionBuilder chat(String name, String node) {
    return http(name).post(node + "/v1/chat/completions").header("Authorization", "Bearer #{key}")
        .header("Idempotency-Key", "#{idem}").body(StringBody(Requests.chatBody(false, 64)));
  }
}
