package io.tollgate.node.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Calls a node's admin API over real HTTP. */
public final class AdminClient {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final String base;
  private final String token;

  public AdminClient(String base, String token) {
    this.base = base;
    this.token = token;
  }

  public record Reply(int status, JsonNode json) {}

  public Reply call(String method, String path, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = response.body().isEmpty() ? MAPPER.nullNode()
          : response.headers().firstValue("Content-Type").orElse("").startsWith("application/json")
              ? MAPPER.readTree(response.body()) : MAPPER.getNodeFactory().textNode(response.body()); // a CSV
      return new Reply(response.statusCode(), json);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Creates an org with limits given as a JSON object literal (or null) and returns nothing on success. */
  public void createOrg(String id, String limitsJson) {
    Reply reply = call("POST", "/admin/orgs", "{\"id\":\"" + id + "\",\"name\":\"" + id + "\""
        + (limitsJson == null ? "" : ",\"limits\":" + limitsJson) + "}");
    if (reply.status() != 201) {
      throw new IllegalStateException("create org " + id + ": " + reply);
    }
  }

  /** Issues a key and returns its plaintext. */
  public String issueKey(String org) {
    Reply reply = call("POST", "/admin/orgs/" + org + "/keys", "{\"name\":\"test\"}");
    if (reply.status() != 201) {
      throw new IllegalStateException("issue key: " + reply);
    }
    return reply.json().get("key").asText();
  }

  /** A request's row in the request log, waiting for the projection to write it. */
  public JsonNode logged(String org, String requestId) {
    java.util.concurrent.atomic.AtomicReference<JsonNode> found = new java.util.concurrent.atomic.AtomicReference<>();
    Eventually.await(java.time.Duration.ofSeconds(20), () -> {
      Reply reply = call("GET", "/admin/orgs/" + org + "/requests/" + requestId, null);
      if (reply.status() != 200) {
        throw new AssertionError("request " + requestId + " not in the log yet: " + reply);
      }
      found.set(reply.json());
    });
    return found.get();
  }

  public JsonNode quota(String org) {
    Reply reply = call("GET", "/admin/orgs/" + org + "/quota", null);
    if (reply.status() != 200) {
      throw new IllegalStateException("quota: " + reply);
    }
    return reply.json();
  }
}
