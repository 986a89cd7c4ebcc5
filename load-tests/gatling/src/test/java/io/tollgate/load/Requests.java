package io.tollgate.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;

/** The requests the simulations send: OpenAI chat completions, with the key from the session's {@code key}. */
final class Requests {
  private Requests() {}

  static HttpProtocolBuilder protocol(String baseUrl) {
    // One connection pool for all virtual users, as an application's HTTP client would have.
    return ownConnections(baseUrl).shareConnections();
  }

  /**
   * Each virtual user on a connection of its own. Gatling silently sends a request again, POSTs included,
   * when a pooled connection closes before the answer; a simulation that counts what it sent needs this.
   */
  static HttpProtocolBuilder ownConnections(String baseUrl) {
    // The engine warms up against the gateway itself (by default Gatling would call gatling.io).
    return http.baseUrl(baseUrl).warmUp(baseUrl + "/health/live").contentTypeHeader("application/json")
        .acceptHeader("application/json, text/event-stream");
  }

  static String chatBody(boolean stream, int maxTokens) {
    return "{\"model\":\"" + LoadSettings.model() + "\",\"max_tokens\":" + maxTokens + ",\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Summarize the quarterly report in two sentences.\"}]}";
  }

  /** A non-streamed chat completion that must succeed. */
  static HttpRequestActionBuilder chat(String name, String url) {
    return http(name).post(url).header("Authorization", "Bearer #{key}").body(StringBody(chatBody(false, 64)))
        .check(status().is(200));
  }

  /** A streamed chat completion that must succeed and end with OpenAI's terminator. */
  static HttpRequestActionBuilder stream(String name, String url) {
    return http(name).post(url).header("Authorization", "Bearer #{key}").body(StringBody(chatBody(true, 64)))
        .check(status().is(200), bodyString().transform(b -> b.endsWith("data: [DONE]\n\n")).is(true));
  }
}
