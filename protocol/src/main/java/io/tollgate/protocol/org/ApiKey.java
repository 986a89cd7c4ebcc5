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
 * @param expiresAtMillis when the key stops working (null: never)
 * @param previousSecretHash after a rotation, the hash of the secret before it, valid until
 *     {@code previousUntilMillis} (null: none)
 */
public record ApiKey(
    String id, String name, String secretHash, List<String> allowedModels, long createdAtMillis, Long revokedAtMillis,
    Limits limits, Map<String, String> binds, Long expiresAtMillis, String previousSecretHash, Long previousUntilMillis)
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

  /** A key that never expires and was never rotated. */
  public ApiKey(String id, String name, String secretHash, List<String> allowedModels, long createdAtMillis,
      Long revokedAtMillis, Limits limits, Map<String, String> binds) {
    this(id, name, secretHash, allowedModels, createdAtMillis, revokedAtMillis, limits, binds, null, null, null);
  }

  public boolean revoked() {
    return revokedAtMillis != null;
  }

  public boolean expired(long now) {
    return expiresAtMillis != null && now >= expiresAtMillis;
  }

  /** The hash a secret must have now: the current one, or the one before a rotation during its grace. */
  public boolean acceptsPrevious(long now) {
    return previousSecretHash != null && previousUntilMillis != null && now < previousUntilMillis;
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
    return new ApiKey(id, name, secretHash, allowedModels, createdAtMillis, atMillis, limits, binds, expiresAtMillis,
        previousSecretHash, previousUntilMillis);
  }

  public ApiKey withLimits(Limits next) {
    return new ApiKey(id, name, secretHash, allowedModels, createdAtMillis, revokedAtMillis, next, binds,
        expiresAtMillis, previousSecretHash, previousUntilMillis);
  }

  /** A new secret; the one it replaces keeps working until {@code graceUntilMillis}. */
  public ApiKey rotated(String newSecretHash, long graceUntilMillis) {
    return new ApiKey(id, name, newSecretHash, allowedModels, createdAtMillis, revokedAtMillis, limits, binds,
        expiresAtMillis, secretHash, graceUntilMillis);
  }

  /** The value this key binds for a scope, or null. */
  public String bound(Scope scope) {
    return binds.get(scope.wireName());
  }

  public KeyInfo info() {
    return info(null);
  }

  public KeyInfo info(Long lastUsedAtMillis) {
    return new KeyInfo(id, name, allowedModels, createdAtMillis, revokedAtMillis, limits, binds, expiresAtMillis,
        lastUsedAtMillis, previousSecretHash == null ? null : previousUntilMillis);
  }
}
