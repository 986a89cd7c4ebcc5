package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;
import io.tollgate.protocol.SafeText;
import io.tollgate.protocol.provider.ProviderId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How an org's (or one key's) requests are served beyond its limits.
 *
 * @param fallbacks the models to fall back on when the one asked for cannot serve, by model pattern
 *     ({@code gpt-4o}, {@code gpt-4o*}, or {@code *} for any)
 * @param pii what is done with personal data in prompts; null: not set (a key's then follows its org's, an org's
 *     is off)
 * @param cacheTtlSeconds how long answers are kept in the exact response cache and served again; 0: no cache;
 *     null: not set (a key's then follows its org's, an org's is no cache)
 */
public record Policy(Map<String, List<String>> fallbacks, PiiMode pii, Long cacheTtlSeconds) implements CborSerializable {
  public static final Policy NONE = new Policy(Map.of(), null, null);
  /** A cache entry lives at most this long. */
  public static final long MAX_CACHE_TTL_SECONDS = 30L * 24 * 3600;
  public static final int MAX_PATTERNS = 32;
  /** Candidates after the model asked for: each is a full try, with its own retries. */
  public static final int MAX_FALLBACKS = 4;

  public Policy {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    if (fallbacks != null) {
      fallbacks.forEach((pattern, models) -> copy.put(pattern, models == null ? null : List.copyOf(models)));
    }
    fallbacks = Collections.unmodifiableMap(copy);
    if (fallbacks.size() > MAX_PATTERNS) {
      throw new IllegalArgumentException("at most " + MAX_PATTERNS + " model patterns may have fallbacks");
    }
    fallbacks.forEach((pattern, models) -> {
      int star = pattern == null ? -1 : pattern.indexOf('*');
      if (pattern == null || pattern.isBlank() || star >= 0 && star != pattern.length() - 1) {
        throw new IllegalArgumentException("model pattern '" + pattern + "' may only end in '*'");
      }
      checkCandidates(models);
    });
    if (cacheTtlSeconds != null && (cacheTtlSeconds < 0 || cacheTtlSeconds > MAX_CACHE_TTL_SECONDS)) {
      throw new IllegalArgumentException("cache ttl_seconds must be from 0 to " + MAX_CACHE_TTL_SECONDS);
    }
  }

  /** Fallbacks alone. */
  public Policy(Map<String, List<String>> fallbacks) {
    this(fallbacks, null, null);
  }

  public boolean empty() {
    return fallbacks.isEmpty() && pii == null && cacheTtlSeconds == null;
  }

  /**
   * The fallbacks for {@code model}: those of its exact name, else of the longest pattern matching it; empty
   * if none.
   */
  public List<String> fallbacksFor(String model) {
    if (model == null) {
      return List.of();
    }
    List<String> exact = fallbacks.get(model);
    if (exact != null) {
      return exact;
    }
    String best = null;
    for (String pattern : fallbacks.keySet()) {
      if (Limits.matches(pattern, model) && (best == null || pattern.length() > best.length())) {
        best = pattern;
      }
    }
    return best == null ? List.of() : fallbacks.get(best);
  }

  /**
   * The model a fallback names: {@code mistral/mistral-large-latest} is Mistral's {@code mistral-large-latest};
   * a name whose first part is no provider ({@code meta-llama/Llama-3.3-70B}) is a model name as it stands.
   */
  public static String modelOf(String fallback) {
    return providerOf(fallback) == null ? fallback : fallback.substring(fallback.indexOf('/') + 1);
  }

  /** The provider a fallback names ({@code mistral} in {@code mistral/mistral-large-latest}), or null. */
  public static String providerOf(String fallback) {
    int slash = fallback.indexOf('/');
    return slash <= 0 ? null : ProviderId.fromId(fallback.substring(0, slash)).map(ProviderId::id).orElse(null);
  }

  /** A list of candidate models, as a policy or a request's header names them: 1 to {@link #MAX_FALLBACKS} safe names. */
  public static void checkCandidates(List<String> models) {
    if (models == null || models.isEmpty() || models.size() > MAX_FALLBACKS) {
      throw new IllegalArgumentException("fallbacks name 1 to " + MAX_FALLBACKS + " models");
    }
    for (String m : models) {
      if (m == null || m.isBlank() || m.length() > 256 || !SafeText.isSafe(m) || m.indexOf(',') >= 0) {
        throw new IllegalArgumentException("a fallback must be a model name (up to 256 printable characters, no comma)");
      }
    }
  }
}
