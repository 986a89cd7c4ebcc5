package io.tollgate.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Creates many orgs and touches each once (create, issue a key, one chat completion), for measuring heap per
 * active org: {@code java -cp simulator.jar io.tollgate.bench.OrgToucher <base-url> <admin-token> <orgs> [from]}.
 */
public final class OrgToucher {
  private static final Pattern KEY = Pattern.compile("\"key\"\\s*:\\s*\"([^\"]+)\"");
  private static final String CHAT =
      "{\"model\":\"gpt-4o-mini\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";

  private OrgToucher() {}

  public static void main(String[] args) throws Exception {
    String base = args[0];
    String token = args[1];
    int orgs = Integer.parseInt(args[2]);
    int from = args.length > 3 ? Integer.parseInt(args[3]) : 0;
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Semaphore inFlight = new Semaphore(32);
    AtomicLong failures = new AtomicLong();
    AtomicLong done = new AtomicLong();
    long started = System.nanoTime();
    for (int i = from; i < from + orgs; i++) {
      String org = "mem-" + i;
      inFlight.acquire();
      post(http, base + "/admin/orgs", "Bearer " + token, "{\"id\":\"" + org + "\"}")
          .thenCompose(created -> post(http, base + "/admin/orgs/" + org + "/keys", "Bearer " + token, "{}"))
          .thenCompose(issued -> {
            Matcher key = KEY.matcher(issued.body());
            if (!key.find()) {
              throw new IllegalStateException("no key for " + org + ": " + issued.statusCode());
            }
            return post(http, base + "/v1/chat/completions", "Bearer " + key.group(1), CHAT);
          })
          .whenComplete((answer, failure) -> {
            if (failure != null || answer.statusCode() != 200) {
              failures.incrementAndGet();
            }
            long n = done.incrementAndGet();
            if (n % 10_000 == 0) {
              System.err.printf("%d orgs touched (%.0f/s)%n", n, n / ((System.nanoTime() - started) / 1e9));
            }
            inFlight.release();
          });
    }
    inFlight.acquire(32);
    System.out.printf("touched %d orgs, %d failures%n", done.get(), failures.get());
    if (failures.get() > 0) {
      System.exit(1);
    }
  }

  private static CompletableFuture<HttpResponse<String>> post(HttpClient http, String url, String auth, String body) {
    return http.sendAsync(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
        .header("Authorization", auth).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
