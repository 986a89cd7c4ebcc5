package io.tollgate.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tollgate.node.testkit.Eventually;
import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.protocol.org.Outcome;
import io.tollgate.protocol.org.UsageRecord;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnreachableUpstreamTest {

  @Test
  void anUpstreamNobodyAnswersIsA502AndItsReservationIsReleased() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (TestNode node = TestNode.start(TestNode.options(TestDatabases.freshSchema(),
        "http://127.0.0.1:" + closedPort + "/v1", Clock.systemUTC()))) {
      node.admin().createOrg("nowhere", "{\"monthly_budget_usd\": \"1.00\"}");
      String key = node.admin().issueKey("nowhere");
      HttpResponse<String> response = ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key,
          ProxyClient.chat("gpt-4o-mini", "hi", 10, false));
      assertEquals(502, response.statusCode(), response.body());
      assertEquals("upstream_error", ProxyClient.json(response).at("/error/code").asText());
      Eventually.await(Duration.ofSeconds(10), () -> {
        UsageRecord r = node.journal().usage("nowhere").get(0);
        assertEquals(Outcome.UPSTREAM_UNREACHABLE, r.outcome());
        assertEquals(502, r.status());
        assertEquals("0.000000000", node.admin().quota("nowhere").at("/usage/reserved_cost_usd").asText());
      });
    }
  }
}
