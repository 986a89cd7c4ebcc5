package io.tollgate.node.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tollgate.protocol.org.Attribution;
import io.tollgate.protocol.org.Outcome;
import io.tollgate.protocol.org.ReservationId;
import io.tollgate.protocol.org.UsageRecord;
import io.tollgate.protocol.provider.ErrorKind;
import io.tollgate.protocol.usage.TokenUsage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

class AccessLogTest {
  private final Logger logger = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER);
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

  @BeforeEach
  void listen() {
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void stopListening() {
    logger.detachAppender(lines);
  }

  @Test
  void aSettledRequestNamesItsUsageCostAndAttribution() {
    var attribution = new Attribution("triage-bot", "s-42", "cust-9", "support", "u-1", Map.of());
    ProxyCall call = TestCalls.call("/v1/chat/completions", "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[]}",
        null, List.of(), attribution);
    UsageRecord record = new UsageRecord("req-1", new ReservationId(1, 2), "k1234567", 1, 2, "openai", "gpt-4o-mini",
        200, Outcome.COMPLETED, new TokenUsage(1000, 200, 400, 0, null), 1_234_567, "v1", false, true, attribution,
        "chat", null);
    new AccessLog(true).settled(call, record, 42_000_000);

    Map<String, String> line = only();
    assertEquals("req-1", line.get("request_id"));
    assertEquals("acme", line.get("org"));
    assertEquals("k1234567", line.get("key"));
    assertEquals("openai", line.get("provider"));
    assertEquals("chat", line.get("api"));
    assertEquals("true", line.get("stream"));
    assertEquals("200", line.get("status"));
    assertEquals("COMPLETED", line.get("outcome"));
    assertEquals("1000", line.get("input"));
    assertEquals("200", line.get("output"));
    assertEquals("400", line.get("cache_read"));
    assertEquals("0.001234567", line.get("cost_usd"));
    assertEquals("true", line.get("estimated"));
    assertEquals("42", line.get("upstream_ms"));
    assertEquals("triage-bot", line.get("agent"));
    assertEquals("s-42", line.get("session"));
    assertEquals("cust-9", line.get("customer"));
    assertEquals("support", line.get("team"));
    assertEquals("u-1", line.get("user"));
    assertTrue(Long.parseLong(line.get("duration_ms")) >= 0);
  }

  @Test
  void aCallPassedThroughUnmeteredSaysItIsUnbilled() {
    ProxyCall call = TestCalls.call("/v1/messages/count_tokens", "{\"model\":\"claude-sonnet-4-5\",\"messages\":[]}",
        null, List.of(), Attribution.NONE);
    new AccessLog(true).settled(call, new UsageRecord("req-2", null, "k1234567", 1, 2, "anthropic", "claude-sonnet-4-5",
        200, Outcome.COMPLETED, TokenUsage.ZERO, 0, "v1", false, false, Attribution.NONE, "count_tokens", null), 1_000_000);
    assertEquals("unbilled", only().get("cost_usd"));
  }

  @Test
  void aDeniedRequestNamesItsKeyModelAndReason() {
    ProxyCall call = TestCalls.call("/v1/chat/completions", "{\"model\":\"gpt-4o-mini\",\"messages\":[]}");
    new AccessLog(true).denied(call, 429, "requests_per_minute");

    Map<String, String> line = only();
    assertEquals("k1234567", line.get("key"));
    assertEquals("gpt-4o-mini", line.get("model"));
    assertEquals("429", line.get("status"));
    assertEquals("requests_per_minute", line.get("denied"));
    assertFalse(line.containsKey("cost_usd"));
  }

  @Test
  void aRefusalAtTheIntakeNamesOnlyWhatIsKnown() {
    new AccessLog(true).refused("anthropic", "req-9", 401, ErrorKind.INVALID_KEY);

    Map<String, String> line = only();
    assertEquals(Map.of("request_id", "req-9", "provider", "anthropic", "status", "401", "refused", "invalid_key"), line);
  }

  @Test
  void anAccessLogTurnedOffWritesNothing() {
    AccessLog off = new AccessLog(false);
    off.refused("openai", "req-1", 401, ErrorKind.INVALID_KEY);
    off.denied(TestCalls.call("/v1/chat/completions", "{\"model\":\"gpt-4o-mini\",\"messages\":[]}"), 429, "x");
    assertEquals(0, lines.list.size());
  }

  private Map<String, String> only() {
    assertEquals(1, lines.list.size(), "one line per request");
    ILoggingEvent event = lines.list.get(0);
    assertEquals("request", event.getMessage());
    Map<String, String> pairs = new LinkedHashMap<>();
    for (KeyValuePair pair : event.getKeyValuePairs()) {
      pairs.put(pair.key, String.valueOf(pair.value));
    }
    return pairs;
  }
}
