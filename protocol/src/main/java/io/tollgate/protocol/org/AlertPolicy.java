package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;
import io.tollgate.protocol.money.Money;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * How an org is alerted: the budget and quota shares, in percent, whose crossing is an event, and how spend
 * anomalies are watched and acted on.
 *
 * @param intervalSeconds the length of the intervals whose spend and requests the baselines learn
 * @param minSpendNanos an interval's spend below this is never an anomaly, however far from its baseline
 * @param actions what each grade does; a grade not named is {@link AnomalyAction#RECORD}
 * @param blockMinutes how long an anomaly's block lasts unless an admin lifts it first
 */
public record AlertPolicy(List<Integer> thresholds, long intervalSeconds, long minSpendNanos,
    Map<AnomalyGrade, AnomalyAction> actions, long blockMinutes) implements CborSerializable {
  public static final List<Integer> THRESHOLDS = List.of(50, 80, 100);
  public static final AlertPolicy DEFAULT = new AlertPolicy(THRESHOLDS, 300, Money.NANOS_PER_USD,
      Map.of(AnomalyGrade.LOW, AnomalyAction.RECORD, AnomalyGrade.MEDIUM, AnomalyAction.ALERT,
          AnomalyGrade.HIGH, AnomalyAction.ALERT, AnomalyGrade.CRITICAL, AnomalyAction.BLOCK), 60);
  public static final int MAX_THRESHOLDS = 10;

  public AlertPolicy {
    thresholds = thresholds == null ? THRESHOLDS : thresholds.stream().distinct().sorted().toList();
    if (thresholds.size() > MAX_THRESHOLDS || thresholds.stream().anyMatch(t -> t == null || t < 1 || t > 100)) {
      throw new IllegalArgumentException("\"thresholds\" must be at most " + MAX_THRESHOLDS
          + " whole percentages from 1 to 100");
    }
    if (intervalSeconds < 1 || intervalSeconds > 86_400) {
      throw new IllegalArgumentException("\"interval_seconds\" must be from 1 to 86400");
    }
    if (minSpendNanos < 0) {
      throw new IllegalArgumentException("\"min_spend_usd\" cannot be negative");
    }
    if (blockMinutes < 1 || blockMinutes > 43_200) {
      throw new IllegalArgumentException("\"block_minutes\" must be from 1 to 43200 (30 days)");
    }
    Map<AnomalyGrade, AnomalyAction> all = new EnumMap<>(AnomalyGrade.class);
    for (AnomalyGrade grade : AnomalyGrade.values()) {
      all.put(grade, actions == null ? AnomalyAction.RECORD : actions.getOrDefault(grade, AnomalyAction.RECORD));
    }
    actions = Map.copyOf(all);
  }

  public long intervalMillis() {
    return intervalSeconds * 1000;
  }

  public AnomalyAction action(AnomalyGrade grade) {
    return actions.get(grade);
  }
}
