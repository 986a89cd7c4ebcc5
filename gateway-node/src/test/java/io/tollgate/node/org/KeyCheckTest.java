package io.tollgate.node.org;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tollgate.protocol.org.AdmitRequest;
import io.tollgate.protocol.org.DenialReason;
import io.tollgate.protocol.org.Limits;
import io.tollgate.protocol.org.OrgBook;
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
    assertNull(KeyCheck.refusal(book, ask("k1", "hash-1", "anything")));
  }

  @Test
  void anUnprovenKeyIsRefusedWithoutNamingIt() {
    for (AdmitRequest request : new AdmitRequest[] {
        ask("k1", "hash-2", "m"), ask("k1", "hash-10", "m"), ask("k1", "hash-", "m"), ask("k1", null, "m"),
        ask("k9", "hash-1", "m")}) {
      KeyCheck.Refusal refusal = KeyCheck.refusal(book, request);
      assertEquals(DenialReason.UNKNOWN_KEY, refusal.reason(), request.toString());
      assertNull(refusal.keyId(), "a denial is not charged to a key the caller has not proven it holds");
      assertEquals("Incorrect API key provided.", refusal.message());
    }
  }

  @Test
  void noOrgMeansNoKey() {
    assertEquals(DenialReason.UNKNOWN_KEY, KeyCheck.refusal(OrgBook.EMPTY, ask("k1", "hash-1", "m")).reason());
  }

  @Test
  void aRevokedKeyIsRefusedByName() {
    KeyCheck.Refusal refusal = KeyCheck.refusal(book, ask("old", "hash-3", "m"));
    assertEquals(DenialReason.REVOKED_KEY, refusal.reason());
    assertEquals("old", refusal.keyId());
  }

  @Test
  void aKeysAllowListMatchesExactNamesAndPrefixes() {
    assertNull(KeyCheck.refusal(book, ask("narrow", "hash-2", "gpt-4o-mini")));
    assertNull(KeyCheck.refusal(book, ask("narrow", "hash-2", "o3-mini")));
    KeyCheck.Refusal refusal = KeyCheck.refusal(book, ask("narrow", "hash-2", "o3-mini-high"));
    assertEquals(DenialReason.MODEL_NOT_ALLOWED, refusal.reason());
    assertEquals("narrow", refusal.keyId());
    assertEquals("This API key may not use the model 'o3-mini-high'.", refusal.message());
  }
}
