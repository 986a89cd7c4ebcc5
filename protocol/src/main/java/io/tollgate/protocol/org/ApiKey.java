package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;
import java.util.List;

/**
 * A client key as the org stores it: the HMAC of its secret, never the secret.
 *
 * @param allowedModels models this key may call; empty means any. An entry ending in '*' matches a prefix.
 */
public record ApiKey(
    String id, String name, String secretHash, List<String> allowedModels, long createdAtMillis, Long revokedAtMillis)
    implements CborSerializable {
  public ApiKey {
    allowedModels = allowedModels == null ? List.of() : List.copyOf(allowedModels);
  }

  public boolean revoked() {
    return revokedAtMillis != null;
  }

  public boolean allows(String model) {
    if (allowedModels.isEmpty()) {
      return true;
    }
    for (String allowed : allowedModels) {
      if (allowed.endsWith("*") ? model.startsWith(allowed.substring(0, allowed.length() - 1)) : allowed.equals(model)) {
        return true;
      }
    }
    return false;
  }

  public ApiKey revokedAt(long atMillis) {
    return new ApiKey(id, name, secretHash, allowedModels, createdAtMillis, atMillis);
  }

  public KeyInfo info() {
    return new KeyInfo(id, name, allowedModels, createdAtMillis, revokedAtMillis);
  }
}
