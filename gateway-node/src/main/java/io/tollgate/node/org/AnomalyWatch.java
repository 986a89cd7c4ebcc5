package io.tollgate.node.org;

import io.tollgate.protocol.Saturating;
import io.tollgate.protocol.org.AlertPolicy;
import io.tollgate.protocol.org.Anomaly;
import io.tollgate.protocol.org.AnomalyAction;
import io.tollgate.protocol.org.AnomalyGrade;
import io.tollgate.protocol.org.Baseline;
import io.tollgate.protocol.org.OrgBook;
import io.tollgate.protocol.org.Scope;
import io.tollgate.protocol.org.ScopeKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which subjects a journal write carried to a higher anomaly grade in their interval, and what each grade
 * does: recorded, alerted, or (an agent or key) blocked. A grade is reached at most once an interval, as
 * spend and requests only grow within one; the org's own anomalies never block (its budgets do that).
 * When an agent is blocked, its key is not blocked with it ({@link #narrowest}).
 */
final class AnomalyWatch {
  private AnomalyWatch() {}

  static List<Anomaly> detect(OrgBook before, OrgBook after, long now) {
    if (!after.exists()) {
      return List.of();
    }
    AlertPolicy policy = after.alerts().policy();
    Map<String, Baseline> was = before.alerts().baselines();
    List<Anomaly> found = new ArrayList<>(0);
    for (Map.Entry<String, Baseline> e : after.alerts().baselines().entrySet()) {
      Baseline b = e.getValue();
      Baseline a = was.get(e.getKey());
      if (a == b || b.intervals() < Baseline.WARM_UP) {
        continue; // untouched by the write, or still learning
      }
      Baseline prior = a != null && a.intervalStart() == b.intervalStart() ? a : null;
      AnomalyGrade spend = b.spendGrade(policy.minSpendNanos());
      if (higher(spend, prior == null ? null : prior.spendGrade(policy.minSpendNanos()))) {
        found.add(anomaly(e.getKey(), Anomaly.SPEND, spend, b.spend(), b.meanSpend(), b.spendSigma(), b, policy, now));
      }
      AnomalyGrade requests = b.requestGrade();
      if (higher(requests, prior == null ? null : prior.requestGrade())) {
        found.add(anomaly(e.getKey(), Anomaly.REQUESTS, requests, Saturating.multiply(b.requests(), 1000),
            b.meanRequests(), b.requestSigma(), b, policy, now));
      }
    }
    return narrowest(found);
  }

  /**
   * One block per spike, on the narrowest subject: when an agent is blocked, a key that spiked with it only
   * alerts, so the key's other agents go on.
   */
  private static List<Anomaly> narrowest(List<Anomaly> found) {
    boolean agentBlocked = found.stream().anyMatch(a -> a.blocked() != null && a.blocked().startsWith("agent:"));
    if (!agentBlocked) {
      return found;
    }
    return found.stream().map(a -> a.blocked() != null && a.blocked().startsWith("key:")
        ? new Anomaly(a.subject(), a.measure(), a.grade(), a.observed(), a.expected(), a.sigma(), a.intervalStartMillis(),
            a.intervalEndMillis(), AnomalyAction.ALERT, null, null) : a).toList();
  }

  private static boolean higher(AnomalyGrade now, AnomalyGrade before) {
    return now != null && (before == null || now.compareTo(before) > 0);
  }

  private static Anomaly anomaly(String subject, String measure, AnomalyGrade grade, long observed, long expected,
      long sigma, Baseline b, AlertPolicy policy, long now) {
    AnomalyAction action = policy.action(grade);
    ScopeKey scope = ScopeKey.parse(subject);
    boolean blocks = action == AnomalyAction.BLOCK && scope != null && scope.scope() != Scope.ORG;
    return new Anomaly(subject, measure, grade, observed, expected, sigma, b.intervalStart(),
        b.intervalStart() + policy.intervalMillis(), action, blocks ? subject : null,
        blocks ? Saturating.add(now, policy.blockMinutes() * 60_000) : null);
  }
}
