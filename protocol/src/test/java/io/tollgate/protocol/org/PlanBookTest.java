package io.tollgate.protocol.org;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanBookTest {
  private static final Limits STARTER = new Limits(10L, null, null, null);

  @Test
  void plansAndMembersFoldAndEveryChangeOrgsHearOfIsNumbered() {
    PlanBook book = PlanBook.EMPTY
        .apply(new PlanEvent.PlanSet("starter", STARTER, 1))
        .apply(new PlanEvent.PlanSet("pro", new Limits(500L, null, null, null), 2))
        .apply(new PlanEvent.OrgPlanChanged("b", "starter", 3))
        .apply(new PlanEvent.OrgPlanChanged("a", "starter", 4));
    assertEquals(4, book.seq());
    assertEquals(List.of("a", "b"), book.membersOf("starter"));
    assertEquals(Map.of("pro", 0, "starter", 2), book.memberCounts());
    assertEquals(new OrgPlan("starter", 4, STARTER), book.planOf("a"));

    book = book.apply(new PlanEvent.OrgPlanChanged("a", null, 5)).apply(new PlanEvent.PlansDelivered(5));
    assertEquals(List.of("b"), book.membersOf("starter"));
    assertNull(book.planOf("a").name(), "off every plan");
    assertEquals(5, book.delivered());
    assertEquals(5, book.apply(new PlanEvent.PlansDelivered(3)).delivered(), "delivery never goes back");
  }

  @Test
  void anOrgTakenOffEveryPlanIsToldAgainUntilEverythingIsDelivered() {
    PlanBook book = PlanBook.EMPTY.apply(new PlanEvent.PlanSet("starter", STARTER, 1))
        .apply(new PlanEvent.OrgPlanChanged("a", "starter", 2))
        .apply(new PlanEvent.OrgPlanChanged("b", "starter", 3))
        .apply(new PlanEvent.OrgPlanChanged("a", null, 4));
    assertEquals(java.util.Set.of("a", "b"), java.util.Set.copyOf(book.concerned()), "a still to hear it left");
    assertEquals(List.of("b"), book.apply(new PlanEvent.PlansDelivered(book.seq())).concerned());
    assertEquals(java.util.Set.of("a", "b"), java.util.Set.copyOf(book.apply(new PlanEvent.PlansDelivered(2)).concerned()),
        "a partial delivery forgets no one");
    assertEquals(List.of("a", "b"), book.apply(new PlanEvent.OrgPlanChanged("a", "starter", 5)).concerned().stream()
        .sorted().toList(), "back on a plan: a member again");
  }
}
