package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every plan and which org is on which, folded from the plans' journal. {@code seq} counts the changes
 * that orgs must hear of; {@code delivered} is the last one every org concerned has applied; {@code leaving}
 * are the orgs taken off every plan since then, still to be told if they missed it.
 */
public record PlanBook(Map<String, Limits> plans, Map<String, String> members, long seq, long delivered,
    Set<String> leaving) implements CborSerializable {
  public static final PlanBook EMPTY = new PlanBook(Map.of(), Map.of(), 0, 0, Set.of());

  public PlanBook {
    plans = Map.copyOf(plans);
    members = Map.copyOf(members);
    leaving = leaving == null ? Set.of() : Set.copyOf(leaving);
  }

  /** Every org a full delivery tells: those on a plan and those that left one since the last. */
  public List<String> concerned() {
    List<String> orgs = new ArrayList<>(members.keySet());
    orgs.addAll(leaving);
    return orgs;
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
      return new PlanBook(next, members, seq + 1, delivered, leaving);
    } else if (event instanceof PlanEvent.OrgPlanChanged e) {
      Map<String, String> next = new HashMap<>(members);
      Set<String> left = new HashSet<>(leaving);
      if (e.plan() == null) {
        next.remove(e.orgId());
        left.add(e.orgId());
      } else {
        next.put(e.orgId(), e.plan());
        left.remove(e.orgId());
      }
      return new PlanBook(plans, next, seq + 1, delivered, left);
    } else if (event instanceof PlanEvent.PlansDelivered e) {
      long now = Math.max(delivered, e.seq());
      return new PlanBook(plans, members, seq, now, now >= seq ? Set.of() : leaving);
    }
    throw new IllegalArgumentException("unknown event " + event.getClass().getName());
  }
}
