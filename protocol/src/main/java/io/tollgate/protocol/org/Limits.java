package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;

/** An org's limits; a null limit is unlimited. The budget is in nano-USD per UTC calendar month. */
public record Limits(Long requestsPerMinute, Long tokensPerMinute, Long monthlyRequests, Long monthlyBudgetNanos)
    implements CborSerializable {
  public static final Limits UNLIMITED = new Limits(null, null, null, null);

  public Limits {
    requireNonNegative(requestsPerMinute, "requests_per_minute");
    requireNonNegative(tokensPerMinute, "tokens_per_minute");
    requireNonNegative(monthlyRequests, "monthly_requests");
    requireNonNegative(monthlyBudgetNanos, "monthly_budget_usd");
  }

  private static void requireNonNegative(Long value, String name) {
    if (value != null && value < 0) {
      throw new IllegalArgumentException(name + " cannot be negative");
    }
  }
}
