package io.tollgate.node.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.node.upstream.Deployment.Result;
import io.tollgate.protocol.provider.ProviderId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which deployment takes a call: by weight and calls in flight, around open breakers and cooling ones, never none. */
class ProviderPoolTest {
  private long now = 1_000;
  private final Deployment east = new Deployment("east", null, 2, 30_000, () -> now);
  private final Deployment west = new Deployment("west", null, 1, 30_000, () -> now);
  private final ProviderPool pool = new ProviderPool(ProviderId.OPENAI, List.of(east, west), () -> now);

  @Test
  void callsAreSharedByWeightAndABusyDeploymentGetsFewer() {
    Map<String, Integer> taken = new HashMap<>();
    for (int i = 0; i < 3000; i++) {
      Deployment d = pool.pick(Set.of());
      taken.merge(d.name(), 1, Integer::sum);
      d.finished(Result.ANSWERED, 0);
    }
    int heavy = taken.get("east");
    assertTrue(heavy > 1850 && heavy < 2150, "weight 2 takes two thirds of the calls: " + taken);

    for (int i = 0; i < 8; i++) {
      east.start(); // eight calls held by east
    }
    taken.clear();
    for (int i = 0; i < 900; i++) {
      Deployment d = pool.pick(Set.of());
      taken.merge(d.name(), 1, Integer::sum);
      d.finished(Result.ANSWERED, 0);
    }
    assertTrue(taken.get("west") > 600, "east busy (2/9 against 1/1): west takes most: " + taken);
  }

  @Test
  void aFailingDeploymentIsRoutedAroundAndARateLimitedOneCoolsDown() {
    for (int i = 0; i < CircuitBreaker.CONSECUTIVE; i++) {
      east.start();
      east.finished(Result.FAILED, 0);
    }
    for (int i = 0; i < 5; i++) {
      Deployment d = pool.pick(Set.of());
      assertSame(west, d, "east's breaker is open");
      d.finished(Result.ANSWERED, 0);
    }
    assertSame(west, pool.pick(Set.of()));
    west.finished(Result.RATE_LIMITED, 5_000);
    assertSame(west, pool.pick(Set.of()), "none available: the call goes to the one ready soonest (west in 5 s,"
        + " east in 30 s)");
    west.finished(Result.UNKNOWN, 0);
    now += 5_000;
    assertSame(west, pool.pick(Set.of()), "west's cooldown is over");
    west.finished(Result.ANSWERED, 0);
    now += 30_000;
    Deployment probe = pool.pick(Set.of(west));
    assertSame(east, probe, "east half-open: its probe");
    assertEquals(CircuitBreaker.State.HALF_OPEN, east.breaker().state());
  }

  @Test
  void aRetryGoesToADeploymentNotTriedYetAndThereIsNoneAfterAll() {
    Deployment first = pool.pick(Set.of());
    first.finished(Result.FAILED, 0);
    Deployment second = pool.pick(Set.of(first));
    assertTrue(second != first);
    second.finished(Result.FAILED, 0);
    assertNull(pool.pick(Set.of(first, second)), "every deployment tried");
  }
}
