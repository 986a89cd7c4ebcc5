package io.tollgate.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Just enough of the admin API to set up a simulation's orgs and keys. */
final class AdminApi {
  private static final Pattern KEY = Pattern.compile("\"key\"\\s*:\\s*\"([^\"]+)\"");
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String token;

  AdminApi(String base, String token) {
    this.base = base;
    this.token = token;
  }

  static AdminApi fromSettings() {
    return new AdminApi(LoadSettings.gateway(), LoadSettings.adminToken());
  }

  /** Creates an org with these limits (a JSON object, or null for none) and returns a new key for it. */
  String orgWithKey(String orgId, String limitsJson) {
    call("POST", "/admin/orgs", "{\"id\":\"" + orgId + "\",\"limits\":" + (limitsJson == null ? "null" : limitsJson) + "}", 201);
    return key(orgId, "{\"name\":\"gatling\"}");
  }

  /** Issues a key of the org from this body (name, limits, binds, ...) and returns the key. */
  String key(String orgId, String keyJson) {
    String issued = call("POST", "/admin/orgs/" + orgId + "/keys", keyJson, 201);
    Matcher key = KEY.matcher(issued);
    if (!key.find()) {
      throw new IllegalStateException("no key in " + issued.replaceAll("tg_[^\"]+", "tg_…"));
    }
    return key.group(1);
  }

  /** Limits for one value of a scope ({@code team}, {@code research}), or its default ({@code *}). */
  void scopeLimits(String orgId, String scope, String value, String limitsJson) {
    call("PUT", "/admin/orgs/" + orgId + "/limits/" + scope + "/" + value, limitsJson, 200);
  }

  String quota(String orgId) {
    return call("GET", "/admin/orgs/" + orgId + "/quota", null, 200);
  }

  private String call(String method, String path, String body, int expected) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != expected) {
        throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Org ids unique to one run, so runs never share counters. */
  static String runId(String simulation) {
    return simulation + "-" + Long.toString(System.currentTimeMillis(), 36);
  }
}
