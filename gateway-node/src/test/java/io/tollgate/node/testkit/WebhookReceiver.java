package io.tollgate.node.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.EmptyWebhookSecretException;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A real HTTP endpoint for webhooks: keeps every request it gets, answers with the status it is told to (after
 * a pause, if told), and checks each request's signature with the Standard Webhooks project's own library.
 */
public final class WebhookReceiver implements AutoCloseable {
  /** A request as it came, and whether its signature verified with the secret of its path. */
  public record Received(String path, String id, String timestamp, String body, boolean verified) {
    public JsonNode json() {
      try {
        return new ObjectMapper().readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    public String type() {
      return json().path("type").asText();
    }
  }

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, String> secrets = new ConcurrentHashMap<>();
  private volatile int status = 204;
  private volatile long pauseMillis;

  private WebhookReceiver(HttpServer server) {
    this.server = server;
  }

  public static WebhookReceiver start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      WebhookReceiver receiver = new WebhookReceiver(server);
      server.createContext("/", receiver::handle);
      server.setExecutor(Executors.newCachedThreadPool());
      server.start();
      return receiver;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The URL of one of its paths: each webhook of a test gets its own. */
  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + path;
  }

  /** The secret that requests to the path must be signed with. */
  public void expect(String path, String secret) {
    secrets.put("/" + path, secret);
  }

  public void answer(int statusCode) {
    this.status = statusCode;
  }

  /** Holds each answer this long after the request came in (and was kept). */
  public void pause(long millis) {
    this.pauseMillis = millis;
  }

  public List<Received> received() {
    return new ArrayList<>(received);
  }

  /** What came to {@code path}, of {@code type} (null: of every type). */
  public List<Received> received(String path, String type) {
    return received.stream().filter(r -> r.path().equals("/" + path) && (type == null || r.type().equals(type))).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String path = exchange.getRequestURI().getPath();
    received.add(new Received(path, exchange.getRequestHeaders().getFirst("webhook-id"),
        exchange.getRequestHeaders().getFirst("webhook-timestamp"), body, verifies(path, body, exchange)));
    try {
      Thread.sleep(pauseMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  private boolean verifies(String path, String body, HttpExchange exchange) {
    String secret = secrets.get(path);
    if (secret == null) {
      return false;
    }
    try {
      new Webhook(secret).verify(body, Map.of(
          "webhook-id", exchange.getRequestHeaders().getOrDefault("webhook-id", List.of()),
          "webhook-timestamp", exchange.getRequestHeaders().getOrDefault("webhook-timestamp", List.of()),
          "webhook-signature", exchange.getRequestHeaders().getOrDefault("webhook-signature", List.of())));
      return true;
    } catch (WebhookVerificationException | EmptyWebhookSecretException e) {
      return false;
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
