package io.tollgate.node.org;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tollgate.protocol.org.AdmitRequest;
import io.tollgate.protocol.org.ApiKey;
import io.tollgate.protocol.org.DenialReason;
import io.tollgate.protocol.org.Limits;
import io.tollgate.protocol.org.OrgBook;
import io.tollgate.protocol.org.OrgEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyCheckTest {
  private final OrgBook book = TestBook.org("acme", Limits.UNLIMITED)
      .key("k1", "hash-1")
      .key("narrow", "hash-2", "gpt-4o*", "o3-mini")
      .key("old", "hash-3").revoked("old")
      .book();

  private static AdmitRequest ask(String keyId, String secretHash, String model) {
    return new AdmitRequest("r", keyId, secretHash, model, 1, 1);
  }

  @Test
  void aKnownKeyWithItsSecretMayAsk() {
    assertNull(KeyCheck.refusal(book, ask("k1", "hash-1", "anything"), 0));
  }

  @Test
  void anUnprovenKeyIsRefusedWithoutNamingIt() {
    for (AdmitRequest request : new AdmitRequest[] {
        ask("k1", "hash-2", "m"), ask("k1", "hash-10", "m"), ask("k1", "hash-", "m"), ask("k1", null, "m"),
        ask("k9", "hash-1", "m")}) {
      KeyCheck.Refusal refusal = KeyCheck.refusal(book, request, 0);
      assertEquals(DenialReason.UNKNOWN_KEY, refusal.reason(), request.toString());
      assertNull(refusal.keyId(), "a denial is not charged to a key the caller has not proven it holds");
      assertEquals("Incorrect API key provided.", refusal.message());
    }
  }

  @Test
  void noOrgMeansNoKey() {
    assertEquals(DenialReason.UNKNOWN_KEY, KeyCheck.refusal(OrgBook.EMPTY, ask("k1", "hash-1", "m"), 0).reason());
  }

  @Test
  void aRevokedKeyIsRefusedByName() {
    KeyCheck.Refusal refusal = KeyCheck.refusal(book, ask("old", "hash-3", "m"), 0);
    assertEquals(DenialReason.REVOKED_KEY, refusal.reason());
    assertEquals("old", refusal.keyId());
  }

  @Test
  void aKeysAllowListMatchesExactNamesAndPrefixes() {
    assertNull(KeyCheck.refusal(book, ask("narrow", "hash-2", "gpt-4o-mini"), 0));
    assertNull(KeyCheck.refusal(book, ask("narrow", "hash-2", "o3-mini"), 0));
    KeyCheck.Refusal refusal = KeyCheck.refusal(book, ask("narrow", "hash-2", "o3-mini-high"), 0);
    assertEquals(DenialReason.MODEL_NOT_ALLOWED, refusal.reason());
    assertEquals("narrow", refusal.keyId());
    assertEquals("This API key may not use the model 'o3-mini-high'.", refusal.message());
  }

  @Test
  void anExpiredKeyADisabledOrgAndARotatedSecretAfterItsGraceAreRefused() {
    OrgBook keys = book.apply(new OrgEvent.KeyIssued(new ApiKey("temp", "t", "hash-4", List.of(), 0, null, null, null,
        1_000L, null, null)));
    assertNull(KeyCheck.refusal(keys, ask("temp", "hash-4", "m"), 999));
    KeyCheck.Refusal expired = KeyCheck.refusal(keys, ask("temp", "hash-4", "m"), 1_000);
    assertEquals(DenialReason.EXPIRED_KEY, expired.reason());
    assertEquals("This API key expired at 1970-01-01T00:00:01Z.", expired.message());

    OrgBook rotated = keys.apply(new OrgEvent.KeyRotated("k1", "hash-new", 5_000, 10));
    assertNull(KeyCheck.refusal(rotated, ask("k1", "hash-new", "m"), 4_999));
    assertNull(KeyCheck.refusal(rotated, ask("k1", "hash-1", "m"), 4_999), "the old secret during the grace");
    assertEquals(DenialReason.UNKNOWN_KEY, KeyCheck.refusal(rotated, ask("k1", "hash-1", "m"), 5_000).reason());
    assertNull(KeyCheck.refusal(rotated, ask("k1", "hash-new", "m"), 5_000));

    OrgBook disabled = rotated.apply(new OrgEvent.OrgDisabled(20));
    assertEquals(DenialReason.ORG_DISABLED, KeyCheck.refusal(disabled, ask("k1", "hash-new", "m"), 30).reason());
    assertEquals(DenialReason.UNKNOWN_KEY, KeyCheck.refusal(disabled, ask("k1", "wrong", "m"), 30).reason(),
        "a disabled org tells nothing to one who has no key");
    assertNull(KeyCheck.refusal(disabled.apply(new OrgEvent.OrgEnabled(40)), ask("k1", "hash-new", "m"), 50));
  }
}
