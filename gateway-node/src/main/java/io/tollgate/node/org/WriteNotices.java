package io.tollgate.node.org;

import io.tollgate.protocol.org.Anomaly;
import io.tollgate.protocol.org.OrgBook;
import io.tollgate.protocol.org.OrgEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * What a journal write gives rise to, for webhooks: the budget and quota thresholds it crossed and the soft
 * limits it passed ({@link LimitWatch}), and the anomalies it revealed ({@link AnomalyWatch}); journaled with
 * the next write.
 */
final class WriteNotices {
  private WriteNotices() {}

  static List<OrgEvent> of(OrgBook before, OrgBook after, long now) {
    LimitWatch.Crossed crossed = LimitWatch.crossings(before, after, after.alerts().policy().thresholds());
    List<Anomaly> anomalies = AnomalyWatch.detect(before, after, now);
    if (crossed.isEmpty() && anomalies.isEmpty()) {
      return List.of();
    }
    List<OrgEvent> notices = new ArrayList<>(3);
    if (!crossed.budgets().isEmpty()) {
      notices.add(new OrgEvent.BudgetThresholdsCrossed(crossed.budgets(), now));
    }
    if (!crossed.limits().isEmpty()) {
      notices.add(new OrgEvent.LimitsCrossed(crossed.limits(), now));
    }
    if (!anomalies.isEmpty()) {
      notices.add(new OrgEvent.AnomaliesDetected(anomalies, now));
    }
    return notices;
  }
}
