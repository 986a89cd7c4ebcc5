package io.tollgate.load;

import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;

/**
 * One org as fast as the machine allows: a fixed number of concurrent clients (default 64) each sending the
 * next request as soon as the last is answered, for 60 s. Every request must succeed; the report's
 * throughput is the figure.
 */
public class HotOrg extends Simulation {
  private final int concurrency = LoadSettings.integer("concurrency", 64);
  private final Duration duration = LoadSettings.duration(Duration.ofSeconds(60));

  {
    String key = AdminApi.fromSettings().orgWithKey(AdminApi.runId("hot"), null);
    ScenarioBuilder hot = scenario("hot org").exec(session -> session.set("key", key))
        .exec(Requests.chat("chat", "/v1/chat/completions"));

    setUp(hot.injectClosed(constantConcurrentUsers(concurrency).during(duration)))
        .protocols(Requests.protocol(LoadSettings.gateway()))
        .assertions(global().failedRequests().count().is(0L));
  }
}
