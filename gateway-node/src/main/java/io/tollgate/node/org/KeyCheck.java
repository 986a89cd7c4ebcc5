package io.tollgate.node.org;

import io.tollgate.protocol.org.Admission;
import io.tollgate.protocol.org.AdmitRequest;
import io.tollgate.protocol.org.ApiKey;
import io.tollgate.protocol.org.Attribution;
import io.tollgate.protocol.org.Block;
import io.tollgate.protocol.org.DenialReason;
import io.tollgate.protocol.org.OrgBook;
import io.tollgate.protocol.org.Policy;
import io.tollgate.protocol.org.Scope;
import io.tollgate.protocol.org.ScopeKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Who may ask: the org exists and is enabled, the key is known by its secret's hash (or its previous one
 * during a rotation's grace), is neither revoked nor expired, and may use the model; and no agent or key the
 * request counts in is blocked after an anomaly.
 */
final class KeyCheck {
  private static final String INCORRECT = "Incorrect API key provided.";

  /** Why a key may not ask; {@code keyId} is null when the asker did not prove it holds the key. */
  record Refusal(String keyId, DenialReason reason, String message) {}

  private KeyCheck() {}

  /** The block in force on one of these scope values, or null. */
  static Block block(OrgBook book, List<ScopeKey> scopes, long now) {
    if (book.alerts().blocks().isEmpty()) {
      return null;
    }
    for (ScopeKey scope : scopes) {
      Block block = book.alerts().blockOf(scope.id(), now);
      if (block != null) {
        return block;
      }
    }
    return null;
  }

  /** What a request refused by a block is told. */
  static String blocked(Block block) {
    ScopeKey scope = ScopeKey.parse(block.scope());
    return (scope == null ? block.scope() : scope.describe()) + " is blocked until " + Instant.ofEpochMilli(block.untilMillis())
        + " after a " + block.grade().name().toLowerCase(Locale.ROOT) + " anomaly of its " + block.measure()
        + ". An admin of the organization can lift the block.";
  }

  /** The refusal of this request by the book's keys, or null if its key may ask. */
  static Refusal refusal(OrgBook book, AdmitRequest request, long now) {
    Refusal refusal = access(book, request.keyId(), request.secretHash(), now);
    if (refusal != null) {
      return refusal;
    }
    ApiKey key = book.keys().get(request.keyId());
    if (!key.allows(request.model())) {
      return new Refusal(key.id(), DenialReason.MODEL_NOT_ALLOWED,
          "This API key may not use the model '" + request.model() + "'.");
    }
    if (request.fallbacks() != null) {
      for (String fallback : request.fallbacks()) {
        if (!key.allows(Policy.modelOf(fallback))) {
          return new Refusal(key.id(), DenialReason.MODEL_NOT_ALLOWED,
              "This API key may not use the model '" + fallback + "' named in X-Tollgate-Fallbacks.");
        }
      }
    }
    return null;
  }

  /** The models a key may use ({@link Admission.ModelAccess}), or the denial of the key. */
  static Admission modelAccess(OrgBook book, String keyId, String secretHash, long now) {
    Refusal refusal = access(book, keyId, secretHash, now);
    return refusal != null ? new Admission.Denied(refusal.reason(), refusal.message(), 0, null, null)
        : new Admission.ModelAccess(book.keys().get(keyId).allowedModels());
  }

  /** The refusal of a key whatever it asks for, or null if it may ask. */
  static Refusal access(OrgBook book, String keyId, String secretHash, long now) {
    if (!book.exists()) {
      return new Refusal(null, DenialReason.UNKNOWN_KEY, INCORRECT);
    }
    ApiKey key = book.keys().get(keyId);
    if (key == null || !sameHash(key.secretHash(), secretHash)
        && !(key.acceptsPrevious(now) && sameHash(key.previousSecretHash(), secretHash))) {
      return new Refusal(null, DenialReason.UNKNOWN_KEY, INCORRECT);
    }
    if (key.revoked()) {
      return new Refusal(key.id(), DenialReason.REVOKED_KEY, "This API key has been revoked.");
    }
    if (key.expired(now)) {
      return new Refusal(key.id(), DenialReason.EXPIRED_KEY, "This API key expired at "
          + Instant.ofEpochMilli(key.expiresAtMillis()) + ".");
    }
    if (book.profile().disabled()) {
      return new Refusal(key.id(), DenialReason.ORG_DISABLED, "This organization is disabled in the gateway;"
          + " ask its administrator to enable it.");
    }
    return null;
  }

  /**
   * Why a header contradicts what the key is bound to ({@code X-Team-ID: ops} with a key bound to team
   * research), or null if it does not.
   */
  static String bindingConflict(ApiKey key, Attribution attribution) {
    if (key == null || key.binds().isEmpty()) {
      return null;
    }
    for (Scope scope : List.of(Scope.TEAM, Scope.CUSTOMER, Scope.USER)) {
      String bound = key.bound(scope);
      String named = switch (scope) {
        case TEAM -> attribution.team();
        case CUSTOMER -> attribution.customer();
        default -> attribution.user();
      };
      if (bound != null && named != null && !bound.equals(named)) {
        return "This API key is bound to " + scope.wireName() + " '" + bound + "'; the request names "
            + scope.wireName() + " '" + named + "'.";
      }
    }
    return null;
  }

  /** In constant time, so the time taken tells a guesser nothing about how much of a hash it got right. */
  private static boolean sameHash(String stored, String presented) {
    return presented != null
        && MessageDigest.isEqual(stored.getBytes(StandardCharsets.US_ASCII), presented.getBytes(StandardCharsets.US_ASCII));
  }
}
