package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;
import java.util.List;
import java.util.Map;

/**
 * A client key as the org stores it: the HMAC of its secret, never the secret.
 *
 * @param allowedModels models this key may call; empty means any. An entry ending in '*' matches a prefix.
 * @param limits the key's own limits (null: none)
 * @param binds the team, customer or user every request of the key is for, by scope wire name: a header
 *     cannot change them
 */
public record ApiKey(
    String id, String name, String secretHash, List<String> allowedModels, long createdAtMillis, Long revokedAtMillis,
    Limits limits, Map<String, String> binds)
    implements CborSerializable {
  public ApiKey {
    allowedModels = allowedModels == null ? List.of() : List.copyOf(allowedModels);
    binds = binds == null ? Map.of() : Map.copyOf(binds);
  }

  /** A key without limits or binds. */
  public ApiKey(String id, String name, String secretHash, List<String> allowedModels, long createdAtMillis,
      Long revokedAtMillis) {
    this(id, name, secretHash, allowedModels, createdAtMillis, revokedAtMillis, null, null);
  }

  public boolean revoked() {
    return revokedAtMillis != null;
  }

  public boolean allows(String model) {
    if (allowedModels.isEmpty()) {
      return true;
    }
    for (String allowed : allowedModels) {
      if (Limits.matches(allowed, model)) {
        return true;
      }
    }
    return false;
  }

  public ApiKey revokedAt(long atMillis) {
    return new ApiKey(id, name, secretHash, allowedModels, createdAtMillis, atMillis, limits, binds);
  }

  public ApiKey withLimits(Limits next) {
    return new ApiKey(id, name, secretHash, allowedModels, createdAtMillis, revokedAtMillis, next, binds);
  }

  /** The value this key binds for a scope, or null. */
  public String bound(Scope scope) {
    return binds.get(scope.wireName());
  }

  public KeyInfo info() {
    return new KeyInfo(id, name, allowedModels, createdAtMillis, revokedAtMillis, limits, binds);
  }
}
