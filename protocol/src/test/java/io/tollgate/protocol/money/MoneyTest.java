package io.tollgate.protocol.money;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MoneyTest {

  @Test
  void formatsNineDecimals() {
    assertEquals("0.001234000", Money.formatUsd(1_234_000));
    assertEquals("250.000000000", Money.formatUsd(250 * Money.NANOS_PER_USD));
    assertEquals("0.000000001", Money.formatUsd(1));
    assertEquals("-1.500000000", Money.formatUsd(-1_500_000_000L));
  }

  @Test
  void displaysCentsAndOnlyTheDecimalsThatAreNotZero() {
    assertEquals("100.00", Money.displayUsd(100 * Money.NANOS_PER_USD));
    assertEquals("0.0012", Money.displayUsd(1_200_000));
    assertEquals("1.000000001", Money.displayUsd(Money.NANOS_PER_USD + 1));
    assertEquals("0.00", Money.displayUsd(0));
  }

  @Test
  void parsesExactly() {
    assertEquals(250_000_000_000L, Money.parseUsd("250"));
    assertEquals(250_000_000_000L, Money.parseUsd("250.00"));
    assertEquals(1, Money.parseUsd("0.000000001"));
    assertEquals(100_000_000L, Money.parseUsd("0.1"));
    assertEquals(12_345_678_901L, Money.parseUsd("12.345678901"));
    assertEquals(1_000_000_000L, Money.parseUsd("1.0000000000000"));
  }

  @Test
  void refusesWhatIsNotExact() {
    assertThrows(IllegalArgumentException.class, () -> Money.parseUsd("0.0000000001"));
    assertThrows(IllegalArgumentException.class, () -> Money.parseUsd("1e400"));
    assertThrows(IllegalArgumentException.class, () -> Money.parseUsd("ten"));
    assertThrows(IllegalArgumentException.class, () -> Money.parseUsd(""));
    assertThrows(IllegalArgumentException.class, () -> Money.parseUsd("99999999999999999999"));
  }

  @Test
  void roundTrips() {
    for (long nanos : new long[] {0, 1, 999_999_999, 1_000_000_001, Long.MAX_VALUE}) {
      assertEquals(nanos, Money.parseUsd(Money.formatUsd(nanos)));
    }
  }
}
