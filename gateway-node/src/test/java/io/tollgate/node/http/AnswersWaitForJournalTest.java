package io.tollgate.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.node.testkit.Eventually;
import io.tollgate.node.testkit.JournalLock;
import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.protocol.org.UsageRecord;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * With answers-wait-for-journal on, what a client was answered is on record before the answer (or the
 * end of its stream) reaches it, so a node killed right after answering leaves no answer unrecorded; a
 * journal slower than admission-timeout delays the answer that long, and never loses it. The journal is
 * made slow for real, by locking its table from another connection.
 */
class AnswersWaitForJournalTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void answersAndEndsOfStreamsArriveOnlyOnceTheirUsageIsJournaled() throws Exception {
    try (UpstreamSimulator simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults());
        TestNode node = startWaitingForJournal(simulator, "20s")) {
      node.admin().createOrg("durable", null);
      String key = node.admin().issueKey("durable");
      String url = node.baseUrl() + "/v1/chat/completions";
      HttpResponse<String> first = ProxyClient.post(url, key, ProxyClient.chat("gpt-4o-mini", "hi", 4, false));
      assertTrue(recorded(node, "durable", first), "answered with its usage already journaled");

      try (JournalLock lock = JournalLock.take(node)) {
        CompletableFuture<HttpResponse<String>> answer = ProxyClient.postAsync(url, key, ProxyClient.chat("gpt-4o-mini", "hi", 4, false));
        Thread.sleep(1_000);
        assertFalse(answer.isDone(), "held while its usage cannot be journaled");
        lock.release();
        HttpResponse<String> released = answer.get(20, TimeUnit.SECONDS);
        assertEquals(200, released.statusCode());
        assertTrue(recorded(node, "durable", released), "on record when it arrives");
      }

      try (JournalLock lock = JournalLock.take(node)) {
        HttpResponse<InputStream> stream = HTTP.sendAsync(
            ProxyClient.request(url, key, ProxyClient.chat("gpt-4o-mini", "hi", 4, true), Map.of()),
            HttpResponse.BodyHandlers.ofInputStream()).get(10, TimeUnit.SECONDS);
        assertEquals(200, stream.statusCode(), "the stream itself starts at once");
        CompletableFuture<String> body = CompletableFuture.supplyAsync(() -> readAll(stream.body()));
        Thread.sleep(1_000);
        assertFalse(body.isDone(), "its end is held while its usage cannot be journaled");
        lock.release();
        assertTrue(body.get(20, TimeUnit.SECONDS).contains("[DONE]"));
        assertTrue(recorded(node, "durable", stream), "on record when the stream ends");
      }
    }
  }

  @Test
  void aJournalSlowerThanTheAdmissionTimeoutDelaysTheAnswerWithoutLosingIt() throws Exception {
    try (UpstreamSimulator simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults());
        TestNode node = startWaitingForJournal(simulator, "2s")) {
      node.admin().createOrg("slow", null);
      String key = node.admin().issueKey("slow");
      String url = node.baseUrl() + "/v1/chat/completions";
      assertEquals(200, ProxyClient.post(url, key, ProxyClient.chat("gpt-4o-mini", "hi", 4, false)).statusCode());
      HttpResponse<String> answer;
      try (JournalLock lock = JournalLock.take(node)) {
        long start = System.nanoTime();
        answer = ProxyClient.post(url, key, ProxyClient.chat("gpt-4o-mini", "hi", 4, false));
        long waitedMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(200, answer.statusCode());
        assertTrue(waitedMs >= 1_500, "held up to the admission timeout, not longer: " + waitedMs + " ms");
        assertFalse(recorded(node, "slow", answer), "answered before its usage could be journaled");
      }
      Eventually.await(Duration.ofSeconds(10), () -> assertTrue(recorded(node, "slow", answer), "journaled once the journal is back"));
    }
  }

  private static boolean recorded(TestNode node, String org, HttpResponse<?> response) {
    String requestId = response.headers().firstValue("X-Request-ID").orElseThrow();
    return node.journal().usage(org).stream().map(UsageRecord::requestId).anyMatch(requestId::equals);
  }

  /** A node whose answers wait for the journal at most admission-timeout, with a journal lag it tolerates. */
  private static TestNode startWaitingForJournal(UpstreamSimulator simulator, String admissionTimeout) {
    return TestNode.start(TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), Clock.systemUTC())
        .withExtra("tollgate.requests.answers-wait-for-journal = on\ntollgate.admission.timeout = " + admissionTimeout + "\n"
            + "tollgate.org.max-journal-lag = 60s"));
  }

  private static String readAll(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
