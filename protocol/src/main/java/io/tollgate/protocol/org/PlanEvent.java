package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;

/** Everything journaled about plans: the named limit templates and which org is on which. */
public sealed interface PlanEvent extends CborSerializable {
  record PlanSet(String plan, Limits limits, long atMillis) implements PlanEvent {}

  /** The org's plan from now on; null takes it off any plan. */
  record OrgPlanChanged(String orgId, String plan, long atMillis) implements PlanEvent {}

  /** Every change up to {@code seq} has reached every org it concerns. */
  record PlansDelivered(long seq) implements PlanEvent {}
}
