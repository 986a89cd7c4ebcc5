package io.tollgate.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.doIfOrElse;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.listFeeder;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * OpenAI served by three deployments of one simulator, {@code /east/}, {@code /west/} and {@code /north/} (the
 * node's settings: docs/load-tests.md). Under steady load (default 10 requests/s for 30 s, half of them streamed,
 * over every node), a third of the way in east starts answering 500 and north stops answering at all; the
 * gateway retries around them and their breakers open. Passes when no client sees an error, the org's quota
 * counts each request once, and the request log lists exactly the failed tries the nodes counted.
 */
public class Failover extends Simulation {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final int rate = LoadSettings.integer("rate", 10);
  private final Duration duration = LoadSettings.duration(Duration.ofSeconds(30));
  private final String simulator = System.getProperty("simulator", "http://127.0.0.1:9999");
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failedTries = new AtomicLong();

  {
    AdminApi admin = AdminApi.fromSettings();
    String org = AdminApi.runId("failover");
    String key = admin.orgWithKey(org, null);
    long failuresBefore = upstreamFailures();
    List<Map<String, Object>> nodes = LoadSettings.nodes().stream().map(n -> Map.<String, Object>of("node", n)).toList();
    ScenarioBuilder load = scenario("load").feed(listFeeder(nodes).circular())
        .exec(session -> {
          sent.incrementAndGet();
          return session.set("key", key);
        })
        .exec(doIfOrElse(session -> session.userId() % 2 == 0)
            .then(Requests.stream("stream", "#{node}/v1/chat/completions"))
            .orElse(Requests.chat("chat", "#{node}/v1/chat/completions")));
    ScenarioBuilder faults = scenario("faults").pause(duration.dividedBy(3))
        .exec(http("faults on").put(simulator + "/sim/faults").body(StringBody("{\"/east/\": \"500\", \"/north/\": \"hang\"}"))
            .check(status().is(204)));
    String auth = "Bearer " + LoadSettings.adminToken();
    ScenarioBuilder verify = scenario("verify").pause(Duration.ofSeconds(5))
        .exec(session -> {
          failedTries.set(upstreamFailures() - failuresBefore);
          return session;
        })
        .exec(http("quota").get("/admin/orgs/" + org + "/quota").header("Authorization", auth)
            .check(status().is(200), jsonPath("$.usage.monthly_requests").ofLong().is(session -> sent.get()),
                jsonPath("$.usage.in_flight").ofLong().is(0L)))
        .exec(http("request log").get("/admin/orgs/" + org + "/requests?limit=1000").header("Authorization", auth)
            .check(status().is(200), jsonPath("$.requests[*]").count().is(session -> (int) sent.get()),
                jsonPath("$.requests[*].attempts[*]").count().is(session -> (int) failedTries.get()),
                jsonPath("$.requests[*].attempts[*]").count().gt(0)))
        .exec(http("faults off").put(simulator + "/sim/faults").body(StringBody("{}")).check(status().is(204)));

    setUp(load.injectOpen(constantUsersPerSec(rate).during(duration)).andThen(verify.injectOpen(atOnceUsers(1))),
            faults.injectOpen(atOnceUsers(1)))
        .protocols(Requests.ownConnections(LoadSettings.gateway()))
        .assertions(details("chat").failedRequests().count().is(0L), details("stream").failedRequests().count().is(0L),
            details("faults on").failedRequests().count().is(0L), details("quota").failedRequests().count().is(0L),
            details("request log").failedRequests().count().is(0L));
  }

  /** The failed calls every node counted for OpenAI's deployments (each node keeps its own). */
  private static long upstreamFailures() {
    HttpClient http = HttpClient.newHttpClient();
    long failures = 0;
    for (String node : LoadSettings.nodes()) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(node + "/admin/upstreams"))
            .header("Authorization", "Bearer " + LoadSettings.adminToken()).build(), HttpResponse.BodyHandlers.ofString());
        for (JsonNode p : JSON.readTree(r.body()).get("providers")) {
          if (p.get("provider").asText().equals("openai")) {
            for (JsonNode d : p.get("deployments")) {
              failures += d.get("failures").asLong();
            }
          }
        }
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + node + "/admin/upstreams", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return failures;
  }
}
