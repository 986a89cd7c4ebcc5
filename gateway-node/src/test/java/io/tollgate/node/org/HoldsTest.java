package io.tollgate.node.org;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.node.org.Holds.Hold;
import io.tollgate.protocol.org.ReservationId;
import java.util.List;
import org.junit.jupiter.api.Test;

class HoldsTest {
  private final Holds holds = new Holds(7);

  private Hold add(String requestId, long admittedAt, long cost) {
    return holds.add(requestId, "k1", admittedAt, 10, cost, null);
  }

  @Test
  void eachHoldGetsTheNextIdOfThisIncarnationAndItsCostIsHeld() {
    Hold first = add("r1", 0, 100);
    Hold second = add("r2", 0, 250);
    assertEquals(new ReservationId(7, 1), first.id());
    assertEquals(new ReservationId(7, 2), second.id());
    assertEquals(2, holds.count());
    assertEquals(350, holds.heldCost());
  }

  @Test
  void aHoldIsFoundByItsRequestAndTakenOutOnce() {
    add("r1", 0, 100);
    Hold second = add("r2", 0, 250);
    assertSame(second, holds.of("r2"));
    assertEquals(2, holds.count(), "looking does not take");
    assertSame(second, holds.take("r2"));
    assertNull(holds.take("r2"));
    assertNull(holds.of("r2"));
    assertNull(holds.take(second.id()), "gone by id too");
    assertEquals(100, holds.heldCost());
  }

  @Test
  void aHoldTakenByIdIsGoneByRequestToo() {
    Hold hold = add("r1", 0, 100);
    assertSame(hold, holds.take(hold.id()));
    assertNull(holds.of("r1"));
    assertTrue(holds.isEmpty());
    assertEquals(0, holds.heldCost());
  }

  @Test
  void anIdOfAnotherIncarnationIsNotOneOfThese() {
    add("r1", 0, 100);
    assertNull(holds.take(new ReservationId(6, 1)));
    assertEquals(1, holds.count());
    assertNull(holds.take(new ReservationId(7, 99)));
  }

  @Test
  void holdsAdmittedBeforeTheCutoffAreTakenOutTogether() {
    add("old", 1_000, 100);
    add("edge", 2_000, 10);
    add("new", 3_000, 1);
    List<Hold> expired = holds.takeAdmittedBefore(2_000);
    assertEquals(List.of("old"), expired.stream().map(Hold::requestId).toList());
    assertEquals(11, holds.heldCost());
    assertNull(holds.of("old"));
    assertFalse(holds.isEmpty());
    assertTrue(holds.takeAdmittedBefore(0).isEmpty());
  }
}
