package io.tollgate.node.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Chat completions for a set of orgs created on a node (one key each), counting the 200s each org answered,
 * so an outage test can check that the journal holds exactly what was answered: nothing lost, nothing twice.
 */
public final class OrgTraffic {
  private static final String BODY = ProxyClient.chat("gpt-4o-mini", "hi", 4, false);

  private final TestNode node;
  private final String prefix;
  private final String url;
  private final List<String> keys = new ArrayList<>();
  private final AtomicIntegerArray answered;

  private OrgTraffic(TestNode node, String prefix, int orgs) {
    this.node = node;
    this.prefix = prefix;
    this.url = node.baseUrl() + "/v1/chat/completions";
    this.answered = new AtomicIntegerArray(orgs);
    for (int i = 0; i < orgs; i++) {
      node.admin().createOrg(prefix + i, null);
      keys.add(node.admin().issueKey(prefix + i));
    }
  }

  /** Creates orgs {@code prefix0..prefix(n-1)} with a key each. */
  public static OrgTraffic create(TestNode node, String prefix, int orgs) {
    return new OrgTraffic(node, prefix, orgs);
  }

  /** One request to every org, without waiting; each 200 is counted when it arrives. */
  public List<CompletableFuture<Void>> sendRoundAsync() {
    List<CompletableFuture<Void>> sent = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      int org = i;
      sent.add(ProxyClient.postAsync(url, keys.get(i), BODY).thenAccept(r -> count(r, org)));
    }
    return sent;
  }

  /** One request to every org, in turn; asserts each is answered 200. */
  public void assertEveryOrgAnswers() {
    for (int i = 0; i < keys.size(); i++) {
      HttpResponse<String> response = ProxyClient.post(url, keys.get(i), BODY);
      count(response, i);
      assertEquals(200, response.statusCode(), () -> "org answers again: " + response.body());
    }
  }

  /** Waits until each org's journal holds exactly the requests it answered 200. */
  public void awaitJournalHoldsWhatWasAnswered(Duration timeout) {
    Eventually.await(timeout, () -> {
      for (int i = 0; i < keys.size(); i++) {
        assertEquals(answered.get(i), node.journal().usage(prefix + i).size(), "org " + prefix + i);
      }
    });
  }

  private void count(HttpResponse<String> response, int org) {
    if (response.statusCode() == 200) {
      answered.incrementAndGet(org);
    }
  }
}
