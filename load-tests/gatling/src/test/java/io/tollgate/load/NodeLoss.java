package io.tollgate.load;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.foreach;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.listFeeder;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Steady load through the balancer (default 100/s for 60 s over 20 orgs, after a 15 s ramp) while node2 is
 * killed (SIGKILL, through ops/local-cluster.sh) and restarted. Run it against a cluster whose answers wait
 * for the journal ({@code TOLLGATE_ANSWERS_WAIT_FOR_JOURNAL=on}); then, for every org:
 * <ul>
 *   <li>every successful response is a usage record (a node killed right after answering had journaled it);
 *   <li>nothing is counted twice: no more usage records than requests sent that could have produced one.
 * </ul>
 * Requests of orgs whose actor lived on the dead node wait until it is downed and they moved; what fails is
 * what the dead node was answering, bounded by {@code maxFailedPercent} (default 2).
 */
public class NodeLoss extends Simulation {
  private static final Pattern REQUESTS = Pattern.compile("\"monthly_requests\"\\s*:\\s*(\\d+)");
  private static final Pattern ABANDONED = Pattern.compile("\"abandoned_requests\"\\s*:\\s*(\\d+)");
  private static final Pattern IN_FLIGHT = Pattern.compile("\"in_flight\"\\s*:\\s*(\\d+)");

  private final int orgs = LoadSettings.integer("orgs", 20);
  private final int rate = LoadSettings.integer("rate", 100);
  private final Duration duration = LoadSettings.duration(Duration.ofSeconds(60));
  /** Cold nodes (JIT) on a small machine stall under full load at once; the ramp lets them warm first. */
  private final Duration warmup = Duration.ofSeconds(LoadSettings.integer("warmupSeconds", 15));
  private final String victim = System.getProperty("victim", "node2");
  private final Map<String, AtomicLong> served = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> failed = new ConcurrentHashMap<>();
  private final ScheduledExecutorService chaos = Executors.newSingleThreadScheduledExecutor();

  {
    AdminApi admin = AdminApi.fromSettings();
    String run = AdminApi.runId("nodeloss");
    List<Map<String, Object>> feed = IntStream.range(0, orgs).mapToObj(i -> {
      String org = run + "-" + i;
      served.put(org, new AtomicLong());
      failed.put(org, new AtomicLong());
      return Map.<String, Object>of("org", org, "key", admin.orgWithKey(org, null));
    }).toList();

    ScenarioBuilder load = scenario("load").feed(listFeeder(feed).random())
        .exec(Requests.chat("chat", "/v1/chat/completions"))
        .exec(session -> {
          (session.isFailed() ? failed : served).get(session.getString("org")).incrementAndGet();
          return session;
        });
    // Usage settles within moments; a hold for a request the dead node took but never answered stays held.
    ScenarioBuilder verify = scenario("verify").pause(Duration.ofSeconds(10))
        .exec(foreach(feed.stream().map(m -> m.get("org")).toList(), "org").on(
            http("usage records").get("/admin/orgs/#{org}/quota")
                .header("Authorization", "Bearer " + LoadSettings.adminToken())
                .check(status().is(200), bodyString().transformWithSession(this::verdict).is("consistent")
                    .logActualValueInError(true))));

    setUp(load.injectOpen(rampUsersPerSec(1).to(rate).during(warmup), constantUsersPerSec(rate).during(duration))
            .andThen(verify.injectOpen(atOnceUsers(1))))
        // One connection per request: no silent resend by Gatling of a request the killed node had taken.
        .protocols(Requests.ownConnections(LoadSettings.gateway()))
        .assertions(details("usage records").failedRequests().count().is(0L),
            global().failedRequests().percent().lte((double) LoadSettings.integer("maxFailedPercent", 2)));
  }

  @Override
  public void before() {
    long third = duration.toMillis() / 3;
    chaos.schedule(() -> ops("kill", victim), warmup.toMillis() + third, TimeUnit.MILLISECONDS);
    chaos.schedule(() -> ops("restart", victim), warmup.toMillis() + 2 * third, TimeUnit.MILLISECONDS);
  }

  @Override
  public void after() {
    chaos.shutdownNow();
  }

  /** "consistent", or what does not add up for the org in the session, from its quota view. */
  private String verdict(String quota, io.gatling.javaapi.core.Session session) {
    String org = session.getString("org");
    long ok = served.get(org).get();
    long ko = failed.get(org).get();
    long held = number(IN_FLIGHT, quota);
    long abandoned = number(ABANDONED, quota);
    long records = number(REQUESTS, quota) - held - abandoned;
    String counts = org + ": served " + ok + ", failed " + ko + ", records " + records + ", held " + held
        + ", abandoned " + abandoned;
    System.out.println(counts);
    if (ok > records) {
      return "successes without a usage record: " + counts;
    }
    return records > ok + ko ? "more records than requests: " + counts : "consistent";
  }

  private static long number(Pattern field, String json) {
    Matcher m = field.matcher(json);
    if (!m.find()) {
      throw new IllegalStateException("no " + field.pattern() + " in " + json);
    }
    return Long.parseLong(m.group(1));
  }

  private static void ops(String command, String node) {
    try {
      Process p = new ProcessBuilder(LoadSettings.root().resolve("ops/local-cluster.sh").toString(), command, node)
          .inheritIO().start();
      if (p.waitFor() != 0) {
        System.err.println("ops/local-cluster.sh " + command + " " + node + " exited " + p.exitValue());
      }
    } catch (IOException e) {
      System.err.println("ops/local-cluster.sh " + command + " " + node + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
