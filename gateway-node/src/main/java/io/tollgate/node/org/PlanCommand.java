package io.tollgate.node.org;

import io.tollgate.protocol.CborSerializable;
import io.tollgate.protocol.org.Limits;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;

/** What the plans' actor ({@link PlanEntity}) is asked, and what it answers. */
public sealed interface PlanCommand {
  record SetPlan(String plan, Limits limits, ActorRef<PlanReply> replyTo) implements PlanCommand, CborSerializable {}

  record ListPlans(ActorRef<PlanReply> replyTo) implements PlanCommand, CborSerializable {}

  /** Puts an org on a plan, or on none ({@code plan} null), and answers with the org's reply once it has applied it. */
  record AssignPlan(String orgId, String plan, ActorRef<PlanReply> replyTo) implements PlanCommand, CborSerializable {}

  /** Sent once by every node as it starts: the plans' actor recovers and delivers what it had not. */
  record Wake() implements PlanCommand, CborSerializable {}

  /** Every org concerned applied the changes up to {@code seq}, all before {@code after} having been delivered. */
  record Delivered(long seq, long after) implements PlanCommand {}

  /** Some org did not apply a change: deliver everything again. */
  record Redeliver() implements PlanCommand {}

  sealed interface PlanReply extends CborSerializable {}

  /** Every plan's limits and how many orgs are on it, by name. */
  record Plans(Map<String, Limits> limits, Map<String, Integer> orgs) implements PlanReply {}

  /** A plan after a change: how many orgs are on it and how many applied the change before this answer. */
  record PlanChanged(String plan, Limits limits, int orgs, int applied) implements PlanReply {}

  /** The org is on its new plan; or {@code failure} says why it may not be yet. */
  record Assigned(String orgId, String failure) implements PlanReply {}

  record NoSuchPlan(String plan) implements PlanReply {}
}
