package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every plan and which org is on which, folded from the plans' journal. {@code seq} counts the changes
 * that orgs must hear of; {@code delivered} is the last one every org concerned has applied.
 */
public record PlanBook(Map<String, Limits> plans, Map<String, String> members, long seq, long delivered)
    implements CborSerializable {
  public static final PlanBook EMPTY = new PlanBook(Map.of(), Map.of(), 0, 0);

  public PlanBook {
    plans = Map.copyOf(plans);
    members = Map.copyOf(members);
  }

  public Limits limits(String plan) {
    return plans.get(plan);
  }

  /** The orgs on this plan, by id. */
  public List<String> membersOf(String plan) {
    return members.entrySet().stream().filter(e -> e.getValue().equals(plan)).map(Map.Entry::getKey).sorted().toList();
  }

  /** Every plan with the number of orgs on it, by name. */
  public Map<String, Integer> memberCounts() {
    Map<String, Integer> counts = new TreeMap<>();
    plans.keySet().forEach(p -> counts.put(p, 0));
    members.values().forEach(p -> counts.merge(p, 1, Integer::sum));
    return counts;
  }

  /** What an org on {@code plan} is told: the plan as it stands at this book's sequence number. */
  public OrgPlan planOf(String orgId) {
    String plan = members.get(orgId);
    return new OrgPlan(plan, seq, plan == null ? null : plans.get(plan));
  }

  public PlanBook apply(PlanEvent event) {
    if (event instanceof PlanEvent.PlanSet e) {
      Map<String, Limits> next = new HashMap<>(plans);
      next.put(e.plan(), e.limits());
      return new PlanBook(next, members, seq + 1, delivered);
    } else if (event instanceof PlanEvent.OrgPlanChanged e) {
      Map<String, String> next = new HashMap<>(members);
      if (e.plan() == null) {
        next.remove(e.orgId());
      } else {
        next.put(e.orgId(), e.plan());
      }
      return new PlanBook(plans, next, seq + 1, delivered);
    } else if (event instanceof PlanEvent.PlansDelivered e) {
      return new PlanBook(plans, members, seq, Math.max(delivered, e.seq()));
    }
    throw new IllegalArgumentException("unknown event " + event.getClass().getName());
  }
}
