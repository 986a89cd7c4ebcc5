package io.tollgate.node.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Plain HTTP calls to the proxy API, for tests that look at statuses, headers and raw bodies. */
public final class ProxyClient {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ProxyClient() {}

  public static String chat(String model, String content, Integer maxTokens, boolean stream) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]"
        + (maxTokens == null ? "" : ",\"max_tokens\":" + maxTokens) + (stream ? ",\"stream\":true" : "") + "}";
  }

  public static HttpRequest request(String url, String key, String body, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    headers.forEach(b::header);
    return b.build();
  }

  public static HttpResponse<String> post(String url, String key, String body, Map<String, String> headers) {
    try {
      return HTTP.send(request(url, key, body, headers), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static HttpResponse<String> post(String url, String key, String body) {
    return post(url, key, body, Map.of());
  }

  public static CompletableFuture<HttpResponse<String>> postAsync(String url, String key, String body) {
    return HTTP.sendAsync(request(url, key, body, Map.of()), HttpResponse.BodyHandlers.ofString());
  }

  /** A request without a body (a GET, a DELETE) with these headers. */
  public static HttpResponse<String> send(String method, String url, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .method(method, HttpRequest.BodyPublishers.noBody());
    headers.forEach(b::header);
    try {
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A GET's body (metrics, probes). */
  public static String get(String url) {
    return getResponse(url).body();
  }

  /** A GET's body, with an Authorization header (an admin download). */
  public static String getWithAuth(String url, String authorization) {
    try {
      return HTTP.send(HttpRequest.newBuilder(java.net.URI.create(url)).timeout(Duration.ofSeconds(10))
          .header("Authorization", authorization).build(), HttpResponse.BodyHandlers.ofString()).body();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static int status(String url) {
    return getResponse(url).statusCode();
  }

  public static HttpResponse<String> getResponse(String url) {
    try {
      return HTTP.send(HttpRequest.newBuilder(java.net.URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static JsonNode json(HttpResponse<String> response) {
    try {
      return MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException("not JSON: " + response.body(), e);
    }
  }
}
