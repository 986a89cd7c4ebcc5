package io.tollgate.protocol.org;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LimitsTest {
  private static Limits monthly(Long requests, Long budget) {
    return new Limits(null, null, requests, budget);
  }

  @Test
  void ownLimitsOverridePlanLimitsFieldByField() {
    Limits plan = new Limits(10L, 1_000L, 100L, 5L, null, null, null, null, null,
        Map.of("o3*", monthly(5L, null)), Enforcement.SOFT);
    Limits own = new Limits(20L, null, null, null, null, 50L, null, null, null,
        Map.of("o3*", new Limits(null, null, null, 1L), "gpt-5*", monthly(1L, null)), null);
    Limits merged = own.over(plan);
    assertEquals(20L, merged.requestsPerMinute());
    assertEquals(1_000L, merged.tokensPerMinute());
    assertEquals(100L, merged.monthlyRequests());
    assertEquals(50L, merged.requestsPerDay());
    assertEquals(Enforcement.SOFT, merged.mode());
    assertEquals(5L, merged.models().get("o3*").monthlyRequests(), "a pattern merges too");
    assertEquals(1L, merged.models().get("o3*").monthlyBudgetNanos());
    assertEquals(1L, merged.models().get("gpt-5*").monthlyRequests());
  }

  @Test
  void patternsOnlyEndInAStarAndNestNoFurther() {
    assertThrows(IllegalArgumentException.class, () -> new Limits(null, null, null, null, null, null, null, null, null,
        Map.of("gpt*mini", Limits.UNLIMITED), null));
    Limits nested = new Limits(null, null, null, null, null, null, null, null, null, Map.of("a", Limits.UNLIMITED), null);
    assertThrows(IllegalArgumentException.class, () -> new Limits(null, null, null, null, null, null, null, null, null,
        Map.of("b", nested), null));
    assertThrows(IllegalArgumentException.class, () -> new Limits(null, null, null, -1L));
    assertTrue(Limits.matches("claude-opus*", "claude-opus-4-1"));
    assertTrue(!Limits.matches("claude-opus", "claude-opus-4-1"));
  }

  @Test
  void eachWindowNamesItsLimits() {
    Limits l = new Limits(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, null, null);
    assertEquals(1L, l.requests(Window.MINUTE));
    assertEquals(5L, l.requests(Window.HOUR));
    assertEquals(6L, l.requests(Window.DAY));
    assertEquals(3L, l.requests(Window.MONTH));
    assertEquals(7L, l.tokens(Window.HOUR));
    assertEquals(8L, l.tokens(Window.DAY));
    assertEquals(9L, l.budgetNanos(Window.DAY));
    assertEquals(4L, l.budgetNanos(Window.MONTH));
    assertEquals(Enforcement.HARD, l.mode());
  }
}
