package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The org's policy, and the keys' own (a key's, where it has one, replaces the org's fallbacks for it). */
public record OrgPolicies(Policy org, Map<String, Policy> keys) implements CborSerializable {
  public static final OrgPolicies NONE = new OrgPolicies(Policy.NONE, Map.of());

  public OrgPolicies {
    org = org == null ? Policy.NONE : org;
    keys = keys == null ? Map.of() : Map.copyOf(keys);
  }

  /** With {@code policy} for the org ({@code keyId} null) or for a key; an empty policy removes a key's. */
  public OrgPolicies with(String keyId, Policy policy) {
    if (keyId == null) {
      return new OrgPolicies(policy, keys);
    }
    Map<String, Policy> next = new HashMap<>(keys);
    if (policy.empty()) {
      next.remove(keyId);
    } else {
      next.put(keyId, policy);
    }
    return new OrgPolicies(org, next);
  }

  public Policy of(String keyId) {
    return keyId == null ? org : keys.getOrDefault(keyId, Policy.NONE);
  }

  /** The PII mode of a key's requests: the key's own if set, else the org's; null when off (the usual case). */
  public PiiMode piiFor(String keyId) {
    Policy own = keys.get(keyId);
    PiiMode mode = own != null && own.pii() != null ? own.pii() : org.pii();
    return mode == PiiMode.OFF ? null : mode;
  }

  /** How long a key's answers are cached, in seconds: the key's own if set, else the org's; null: not cached. */
  public Long cacheTtlFor(String keyId) {
    Policy own = keys.get(keyId);
    Long ttl = own != null && own.cacheTtlSeconds() != null ? own.cacheTtlSeconds() : org.cacheTtlSeconds();
    return ttl == null || ttl == 0 ? null : ttl;
  }

  /** The fallbacks of a key's request for {@code model}: the key's own if it names any for it, else the org's. */
  public List<String> fallbacksFor(String keyId, String model) {
    Policy own = keys.get(keyId);
    List<String> fallbacks = own == null ? List.of() : own.fallbacksFor(model);
    return fallbacks.isEmpty() ? org.fallbacksFor(model) : fallbacks;
  }
}
