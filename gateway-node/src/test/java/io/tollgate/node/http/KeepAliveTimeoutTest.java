package io.tollgate.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A connection with no request open is closed after the keep-alive timeout (1 s here), long before the
 * upstream timeout that bounds silence inside a request (10 s here, 30 s for Pekko's own idle timeout);
 * a request or a stream quieter than the keep-alive timeout is not cut.
 */
class KeepAliveTimeoutTest {
  private static UpstreamSimulator simulator;
  private static TestNode node;
  private static String key;

  @BeforeAll
  static void start() {
    simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults());
    node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), Clock.systemUTC())
        .withExtra("tollgate.http.keep-alive-timeout = 1s"));
    node.admin().createOrg("idle", "{}");
    key = node.admin().issueKey("idle");
  }

  @AfterAll
  static void stop() {
    node.close();
    simulator.close();
  }

  @Test
  void aConnectionThatNeverSendsARequestIsClosed() throws Exception {
    try (Socket socket = connect()) {
      long started = System.nanoTime();
      assertEquals(-1, socket.getInputStream().read(), "closed without an answer");
      assertTrue(System.nanoTime() - started < 8_000_000_000L);
    }
  }

  @Test
  void aConnectionIsClosedOnceIdleAfterItsAnswer() throws Exception {
    try (Socket socket = connect()) {
      String body = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
      socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + key
          + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
          .getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = socket.getInputStream();
      String answer = readAnswer(in);
      assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
      assertEquals(-1, in.read(), "closed once idle, after the answer");
    }
  }

  @Test
  void aRequestQuieterThanTheKeepAliveTimeoutIsAnswered() {
    HttpResponse<String> slow = ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key,
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        Map.of("X-Sim-Latency-Ms", "2500"));
    assertEquals(200, slow.statusCode(), slow.body());
    HttpResponse<String> stream = ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key,
        "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        Map.of("X-Sim-Chunk-Delay-Ms", "1300", "X-Sim-Completion-Tokens", "2"));
    assertEquals(200, stream.statusCode(), stream.body());
    assertTrue(stream.body().contains("data: [DONE]"), "the whole stream arrived: " + stream.body());
  }

  private static Socket connect() throws Exception {
    URI base = URI.create(node.baseUrl());
    Socket socket = new Socket(base.getHost(), base.getPort());
    socket.setSoTimeout(8_000);
    return socket;
  }

  /** Reads one answer with a Content-Length, leaving the connection open. */
  private static String readAnswer(InputStream in) throws Exception {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new AssertionError("connection closed before the answer: " + head);
      }
      head.append((char) b);
    }
    String lengthLine = head.toString().lines().filter(l -> l.toLowerCase().startsWith("content-length:"))
        .findFirst().orElseThrow(() -> new AssertionError("no Content-Length: " + head));
    int length = Integer.parseInt(lengthLine.substring(lengthLine.indexOf(':') + 1).trim());
    return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }
}
