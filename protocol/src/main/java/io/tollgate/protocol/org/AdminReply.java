package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;
import java.util.List;
import java.util.Map;

/** Answers to {@link AdminCommand}s. */
public sealed interface AdminReply extends CborSerializable {
  /**
   * @param limits the org's own
   * @param plan null when it is on no plan
   * @param effectiveLimits the limits in force: its own over its plan's
   */
  record OrgDescription(OrgProfile profile, Limits limits, int activeKeys, String plan, Limits effectiveLimits)
      implements AdminReply {}

  record KeyDescription(KeyInfo key) implements AdminReply {}

  record KeyList(List<KeyInfo> keys) implements AdminReply {}

  record PricingDescription(OrgPricing pricing) implements AdminReply {}

  /** The limits of one scope value ({@code team:research}), or of its scope's default. */
  record ScopeLimitsDescription(String scope, Limits limits) implements AdminReply {}

  /** The org's limits; each scope value's and default's, by {@link ScopeKey#id()}; each key's own, by key id. */
  record LimitsList(Limits org, Map<String, Limits> scopes, Map<String, Limits> keys) implements AdminReply {}

  record WebhookDescription(Webhook webhook) implements AdminReply {}

  /** The org's webhooks, oldest first. */
  record WebhookList(List<Webhook> webhooks) implements AdminReply {}

  /** The alert policy, the blocks in force at {@code atMillis}, the latest anomalies and each subject's baseline. */
  record AlertsDescription(AlertPolicy policy, List<Block> blocks, List<Anomaly> anomalies,
      Map<String, Baseline> baselines, long atMillis) implements AdminReply {}

  /** The policy of the org ({@code keyId} null) or of a key. */
  record PolicyDescription(String keyId, Policy policy) implements AdminReply {}

  record Rejected(Problem problem, String message) implements AdminReply {}

  enum Problem {
    NOT_FOUND,
    ALREADY_EXISTS,
    /** The command names something that does not exist beside the org, such as a plan. */
    INVALID,
    /** Accepted, but a part of the cluster it must reach did not answer in time. */
    UNAVAILABLE
  }
}
