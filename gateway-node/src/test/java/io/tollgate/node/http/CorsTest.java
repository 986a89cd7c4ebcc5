package io.tollgate.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Browser use of the SDKs: preflights answered for the origins the operator allows, and only those. */
class CorsTest {
  private static final String APP = "https://app.example.com";
  private static UpstreamSimulator simulator;
  private static TestNode node;

  @BeforeAll
  static void start() {
    simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults());
    node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), Clock.systemUTC())
        .withExtra("tollgate.http.cors-origins = \"" + APP + ", http://localhost:3000\""));
  }

  @AfterAll
  static void stop() {
    node.close();
    simulator.close();
  }

  private static HttpResponse<String> preflight(String path, String origin) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", origin)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "authorization, content-type, x-stainless-os").build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anAllowedOriginsPreflightIsAnsweredAndItsCallsAreReadable() throws Exception {
    for (String path : new String[] {"/v1/chat/completions", "/anthropic/v1/messages", "/openai/chat/completions"}) {
      HttpResponse<String> ok = preflight(path, APP);
      assertEquals(204, ok.statusCode(), path);
      assertEquals(APP, ok.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
      assertTrue(ok.headers().firstValue("Access-Control-Allow-Methods").orElseThrow().contains("POST"));
      assertEquals("authorization, content-type, x-stainless-os",
          ok.headers().firstValue("Access-Control-Allow-Headers").orElseThrow());
    }
    assertEquals(403, preflight("/v1/chat/completions", "https://evil.example.com").statusCode());

    node.admin().createOrg("browser", null);
    String key = node.admin().issueKey("browser");
    HttpResponse<String> call = ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key,
        ProxyClient.chat("gpt-4o-mini", "hi", 5, false), Map.of("Origin", APP));
    assertEquals(200, call.statusCode());
    assertEquals(APP, call.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
    assertTrue(call.headers().firstValue("Access-Control-Expose-Headers").orElseThrow().contains("X-Tollgate-Cost-USD"));
    HttpResponse<String> foreign = ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key,
        ProxyClient.chat("gpt-4o-mini", "hi", 5, false), Map.of("Origin", "https://evil.example.com"));
    assertFalse(foreign.headers().firstValue("Access-Control-Allow-Origin").isPresent(), "a browser will not let it read");
  }
}
