package io.tollgate.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SaturatingTest {
  @Test
  void sumsAreExactUntilTheyWouldOverflowThenClamp() {
    assertEquals(5, Saturating.add(2, 3));
    assertEquals(-1, Saturating.add(Long.MAX_VALUE, Long.MIN_VALUE));
    assertEquals(Long.MAX_VALUE, Saturating.add(Long.MAX_VALUE, 1));
    assertEquals(Long.MAX_VALUE, Saturating.add(Long.MAX_VALUE / 2, Long.MAX_VALUE / 2, 10));
    assertEquals(Long.MIN_VALUE, Saturating.add(Long.MIN_VALUE, -1));
    assertEquals(Long.MAX_VALUE - 1, Saturating.add(Long.MAX_VALUE, -1));
  }
}
