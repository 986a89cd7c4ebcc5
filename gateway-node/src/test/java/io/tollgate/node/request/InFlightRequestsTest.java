package io.tollgate.node.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InFlightRequestsTest {
  private static final Duration LONG = Duration.ofSeconds(30);

  @Test
  void newRequestsWaitWhileTheJournalHasNoRoomAndGoOnInArrivalOrderAsRoomFrees() {
    InFlightRequests requests = new InFlightRequests(2);
    assertTrue(requests.journalRoom(LONG).toCompletableFuture().isDone(), "room at once below the limit");
    for (int i = 0; i < 2; i++) {
      assertTrue(requests.tryStart(100));
      requests.settlingStarted();
    }
    CompletableFuture<Boolean> first = requests.journalRoom(LONG).toCompletableFuture();
    CompletableFuture<Boolean> second = requests.journalRoom(LONG).toCompletableFuture();
    assertFalse(first.isDone());
    requests.settlingEnded();
    requests.finished();
    assertTrue(first.isDone() && first.join(), "the first waiter goes on when one settlement ends");
    assertFalse(second.isDone(), "one request out, one in: no burst");
    requests.settlingEnded();
    requests.finished();
    assertTrue(second.join());
  }

  @Test
  void aWaiterGivesUpAfterItsTimeAndIsSkippedWhenRoomFrees() throws Exception {
    InFlightRequests requests = new InFlightRequests(1);
    assertTrue(requests.tryStart(100));
    requests.settlingStarted();
    CompletableFuture<Boolean> impatient = requests.journalRoom(Duration.ofMillis(50)).toCompletableFuture();
    assertFalse(impatient.get(5, TimeUnit.SECONDS), "no room within its time");
    CompletableFuture<Boolean> patient = requests.journalRoom(LONG).toCompletableFuture();
    requests.settlingEnded();
    requests.finished();
    assertTrue(patient.join(), "the place goes to the one still waiting");
    assertEquals(0, requests.count());
  }
}
