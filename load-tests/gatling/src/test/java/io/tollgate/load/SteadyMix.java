package io.tollgate.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.listFeeder;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Many orgs (default 1,000), half streaming and half not, at a constant arrival rate (default 200/s for 60 s)
 * through the load balancer: every request must succeed. The report has the latency percentiles.
 */
public class SteadyMix extends Simulation {
  private final int orgs = LoadSettings.integer("orgs", 1000);
  private final int rate = LoadSettings.integer("rate", 200);
  private final Duration duration = LoadSettings.duration(Duration.ofSeconds(60));

  {
    AdminApi admin = AdminApi.fromSettings();
    String run = AdminApi.runId("mix");
    List<Map<String, Object>> keys = IntStream.range(0, orgs).parallel()
        .mapToObj(i -> Map.<String, Object>of("key", admin.orgWithKey(run + "-" + i, null))).toList();

    ScenarioBuilder mix = scenario("steady mix").feed(listFeeder(keys).random())
        .exec(randomSwitch().on(
            percent(50).then(exec(Requests.chat("chat", "/v1/chat/completions"))),
            percent(50).then(exec(Requests.stream("chat stream", "/v1/chat/completions")))));

    setUp(mix.injectOpen(constantUsersPerSec(rate).during(duration)))
        .protocols(Requests.protocol(LoadSettings.gateway()))
        .assertions(global().failedRequests().count().is(0L), global().successfulRequests().count().gt(0L));
  }
}
