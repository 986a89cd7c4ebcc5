package io.tollgate.protocol.pii;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PiiScannerTest {
  private static String redact(String text, Map<PiiType, Integer> expected) {
    PiiScanner.Found found = new PiiScanner.Found();
    String redacted = PiiScanner.redact(text, found);
    assertEquals(expected, found.counts(), text);
    return redacted;
  }

  @Test
  void eachTypeIsReplacedByItsPlaceholder() {
    assertEquals("Write to [EMAIL] or [EMAIL].", redact("Write to jane.doe+bills@example.co.uk or ops@acme.io.",
        Map.of(PiiType.EMAIL, 2)));
    assertEquals("Card [CARD], exp 12/28", redact("Card 4111 1111 1111 1111, exp 12/28", Map.of(PiiType.CARD, 1)));
    assertEquals("IBAN [IBAN] please", redact("IBAN DE89 3704 0044 0532 0130 00 please", Map.of(PiiType.IBAN, 1)));
    assertEquals("SSN [SSN].", redact("SSN 123-45-6789.", Map.of(PiiType.SSN, 1)));
    assertEquals("Call [PHONE] or [PHONE]", redact("Call +44 20 7946 0958 or (415) 555-2671", Map.of(PiiType.PHONE, 2)));
    assertEquals("from [IP] and [IP]", redact("from 192.168.10.4 and 2001:db8::8a2e:370:7334", Map.of(PiiType.IP, 2)));
    assertEquals("key [CREDENTIAL] and [CREDENTIAL]",
        redact("key sk-proj-abcdefghijklmnopqrstuvwxyz012345 and AKIAIOSFODNN7EXAMPLE", Map.of(PiiType.CREDENTIAL, 2)));
    assertEquals("auth: [CREDENTIAL]", redact("auth: Bearer abcdefghijklmnopqrstuvwxyz.0123456789",
        Map.of(PiiType.CREDENTIAL, 1)));
  }

  @Test
  void numbersThatFailTheirCheckOrLookLikeOtherThingsAreLeft() {
    String text = "Order 4111 1111 1111 1112 shipped on 2026-12-07 at 12:30:45, version 1.2.3, total 1,234,567.89;"
        + " IBAN-like DE00 3704 0044 0532 0130 00; ref 000-12-3456; std::vector<int> v; a::b; ISO 8601 (2026); sk-short.";
    assertEquals(text, redact(text, Map.of()));
  }

  @Test
  void aPlaceholderIsNotFoundAgain() {
    String once = redact("mail ann@example.com, card 5500-0000-0000-0004", Map.of(PiiType.EMAIL, 1, PiiType.CARD, 1));
    assertEquals(once, redact(once, Map.of()));
    assertFalse(once.contains("@"));
  }

  @Test
  void theChecksThemselves() {
    assertTrue(PiiScanner.luhnChecks("4111-1111-1111-1111"));
    assertFalse(PiiScanner.luhnChecks("4111-1111-1111-1112"));
    assertFalse(PiiScanner.luhnChecks("0000 0000 0000"), "twelve digits are too few for a card");
    assertTrue(PiiScanner.ibanChecks("GB82 WEST 1234 5698 7654 32"));
    assertFalse(PiiScanner.ibanChecks("GB82 WEST 1234 5698 7654 33"));
  }
}
