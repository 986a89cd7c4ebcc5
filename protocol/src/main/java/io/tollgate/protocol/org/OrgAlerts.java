package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How an org hears about its spend, and what it does about anomalies: the webhooks its events are posted to,
 * its alert policy, the baselines of the org, its agents and keys, the blocks in force and the latest anomalies.
 *
 * @param baselines by subject ({@code org:acme}, {@code agent:bot}, {@code key:k1}); at most {@link #MAX_SUBJECTS}
 * @param anomalies the latest, newest last; at most {@link #RECENT}
 */
public record OrgAlerts(Map<String, Webhook> webhooks, AlertPolicy policy, Map<String, Baseline> baselines,
    Map<String, Block> blocks, List<Anomaly> anomalies) implements CborSerializable {
  public static final OrgAlerts NONE = new OrgAlerts(Map.of(), AlertPolicy.DEFAULT, Map.of(), Map.of(), List.of());
  /** Agents and keys watched for anomalies, besides the org; later ones are not watched apart. */
  public static final int MAX_SUBJECTS = 200;
  public static final int RECENT = 50;

  public OrgAlerts {
    webhooks = webhooks == null ? Map.of() : Map.copyOf(webhooks);
    policy = policy == null ? AlertPolicy.DEFAULT : policy;
    baselines = baselines == null ? Map.of() : baselines;
    blocks = blocks == null ? Map.of() : Map.copyOf(blocks);
    anomalies = anomalies == null ? List.of() : List.copyOf(anomalies);
  }

  public OrgAlerts with(Webhook webhook) {
    Map<String, Webhook> next = new HashMap<>(webhooks);
    next.put(webhook.id(), webhook);
    return new OrgAlerts(next, policy, baselines, blocks, anomalies);
  }

  public OrgAlerts without(String webhookId) {
    Map<String, Webhook> next = new HashMap<>(webhooks);
    next.remove(webhookId);
    return new OrgAlerts(next, policy, baselines, blocks, anomalies);
  }

  public OrgAlerts with(AlertPolicy next) {
    return new OrgAlerts(webhooks, next, baselines, blocks, anomalies);
  }

  /**
   * These requests' spend counted in the interval of {@code at} (the write's time) for the org, their agents
   * and their keys; the intervals each subject left behind are learned first.
   */
  public OrgAlerts observed(String orgScope, List<UsageRecord> records, long at) {
    if (records.isEmpty()) {
      return this;
    }
    long interval = policy.intervalMillis();
    long start = at - Math.floorMod(at, interval);
    Map<String, Baseline> next = new HashMap<>(baselines);
    for (UsageRecord r : records) {
      long served = r.served() ? 1 : 0;
      count(next, orgScope, start, interval, r.costNanos(), served);
      if (r.attribution() != null && r.attribution().agent() != null) {
        count(next, new ScopeKey(Scope.AGENT, r.attribution().agent()).id(), start, interval, r.costNanos(), served);
      }
      if (r.keyId() != null) {
        count(next, new ScopeKey(Scope.KEY, r.keyId()).id(), start, interval, r.costNanos(), served);
      }
    }
    return new OrgAlerts(webhooks, policy, Collections.unmodifiableMap(next), blocks, anomalies);
  }

  private static void count(Map<String, Baseline> next, String subject, long start, long interval, long cost,
      long requests) {
    Baseline b = next.get(subject);
    if (b == null) {
      if (next.size() > MAX_SUBJECTS) {
        return;
      }
      b = Baseline.starting(start);
    }
    next.put(subject, b.at(start, interval).plus(cost, requests));
  }

  /** The anomalies recorded, and the blocks they decided. */
  public OrgAlerts detected(List<Anomaly> found) {
    Map<String, Block> nextBlocks = new HashMap<>(blocks);
    for (Anomaly a : found) {
      if (a.blocked() != null && a.blockedUntilMillis() != null) {
        nextBlocks.merge(a.blocked(), new Block(a.blocked(), a.grade(), a.measure(), a.intervalStartMillis(),
            a.blockedUntilMillis()), (was, now) -> now.untilMillis() > was.untilMillis() ? now : was);
      }
    }
    List<Anomaly> recent = new ArrayList<>(anomalies);
    recent.addAll(found);
    return new OrgAlerts(webhooks, policy, baselines, nextBlocks,
        recent.subList(Math.max(0, recent.size() - RECENT), recent.size()));
  }

  public OrgAlerts lifted(String scope) {
    Map<String, Block> next = new HashMap<>(blocks);
    next.remove(scope);
    return new OrgAlerts(webhooks, policy, baselines, next, anomalies);
  }

  /** The block in force on this scope value at {@code now}, or null. */
  public Block blockOf(String scope, long now) {
    Block block = blocks.get(scope);
    return block != null && block.holds(now) ? block : null;
  }
}
