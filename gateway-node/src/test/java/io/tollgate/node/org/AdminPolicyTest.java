package io.tollgate.node.org;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.tollgate.node.org.OrgAccount.AdminDecision;
import io.tollgate.protocol.org.AdminCommand;
import io.tollgate.protocol.org.AdminReply;
import io.tollgate.protocol.org.AdminReply.Problem;
import io.tollgate.protocol.org.Limits;
import io.tollgate.protocol.org.OrgBook;
import io.tollgate.protocol.org.OrgEvent;
import io.tollgate.protocol.org.OrgPlan;
import io.tollgate.protocol.org.PriceOverride;
import io.tollgate.protocol.pricing.ModelPrice;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdminPolicyTest {
  private final AdminPolicy policy = new AdminPolicy("acme");
  private final OrgBook book = TestBook.org("acme", Limits.UNLIMITED).key("b", "h").key("a", "h").key("old", "h")
      .revoked("old").book();

  private OrgEvent journaled(OrgBook on, AdminCommand command) {
    return ((AdminDecision.Journal) policy.decide(on, command, 42)).event();
  }

  private Problem rejected(OrgBook on, AdminCommand command) {
    AdminDecision.Answer answer = (AdminDecision.Answer) policy.decide(on, command, 42);
    return ((AdminReply.Rejected) answer.reply()).problem();
  }

  @Test
  void withoutAnOrgOnlyCreatingItIsAccepted() {
    OrgEvent.OrgCreated created = (OrgEvent.OrgCreated) journaled(OrgBook.EMPTY,
        new AdminCommand.CreateOrg("Acme Inc", new Limits(5L, null, null, null)));
    assertEquals("acme", created.profile().id());
    assertEquals("Acme Inc", created.profile().name());
    assertEquals(42, created.profile().createdAtMillis());
    for (AdminCommand command : List.of(new AdminCommand.DescribeOrg(), new AdminCommand.ListKeys(),
        new AdminCommand.SetLimits(Limits.UNLIMITED), new AdminCommand.IssueKey("k", "n", "h", List.of()))) {
      assertEquals(Problem.NOT_FOUND, rejected(OrgBook.EMPTY, command), command.toString());
    }
    assertEquals(Problem.ALREADY_EXISTS, rejected(book, new AdminCommand.CreateOrg("Again", Limits.UNLIMITED)));
  }

  @Test
  void keysAreIssuedOnceAndRevokedOnce() {
    assertEquals(Problem.ALREADY_EXISTS, rejected(book, new AdminCommand.IssueKey("a", "n", "h", List.of())));
    OrgEvent.KeyIssued issued = (OrgEvent.KeyIssued) journaled(book, new AdminCommand.IssueKey("c", "ci", "h", List.of("o3")));
    assertEquals(List.of("o3"), issued.key().allowedModels());
    assertEquals(42, issued.key().createdAtMillis());

    assertEquals(new OrgEvent.KeyRevoked("a", 42), journaled(book, new AdminCommand.RevokeKey("a")));
    AdminDecision again = policy.decide(book, new AdminCommand.RevokeKey("old"), 42);
    assertEquals("old", ((AdminReply.KeyDescription) ((AdminDecision.Answer) again).reply()).key().id(),
        "revoking a revoked key journals nothing and answers with the key");
    assertEquals(Problem.NOT_FOUND, rejected(book, new AdminCommand.RevokeKey("nope")));
  }

  @Test
  void anOrgsOwnPriceIsRemovedOnlyIfItHasOne() {
    assertEquals(Problem.NOT_FOUND, rejected(book, new AdminCommand.RemovePrice("gpt-4o")));
    OrgEvent.PriceOverrideSet set = (OrgEvent.PriceOverrideSet) journaled(book,
        new AdminCommand.SetPrice("GPT-4o", new ModelPrice(1, 2, null, null)));
    assertEquals(new PriceOverride("gpt-4o", new ModelPrice(1, 2, null, null), 42), set.override());
    OrgBook priced = book.apply(set);
    assertInstanceOf(OrgEvent.PriceOverrideRemoved.class, journaled(priced, new AdminCommand.RemovePrice("gpt-4O")));
  }

  @Test
  void answersReadTheBook() {
    AdminReply.KeyList keys = (AdminReply.KeyList) policy.answer(book, new AdminCommand.ListKeys(), 0);
    assertEquals(List.of("b", "a", "old"), keys.keys().stream().map(k -> k.id()).toList(), "in the order issued");
    AdminReply.OrgDescription org = (AdminReply.OrgDescription) policy.answer(book, new AdminCommand.DescribeOrg(), 0);
    assertEquals(2, org.activeKeys(), "revoked keys are not active");
    assertInstanceOf(AdminReply.PricingDescription.class, policy.answer(book, new AdminCommand.DescribePricing(), 0));
    assertInstanceOf(AdminReply.Rejected.class, policy.answer(OrgBook.EMPTY, new AdminCommand.DescribeOrg(), 0));
  }

  @Test
  void aPlanIsAppliedOnceAndNeverByAnOlderChange() {
    OrgPlan pro = new OrgPlan("pro", 5, new Limits(500L, null, null, null));
    OrgEvent.PlanApplied applied = (OrgEvent.PlanApplied) journaled(book, new AdminCommand.ApplyPlan(pro));
    OrgBook onPro = book.apply(applied);
    assertEquals(500L, onPro.orgLimits().requestsPerMinute());
    AdminDecision again = policy.decide(onPro, new AdminCommand.ApplyPlan(pro), 43);
    assertEquals("pro", ((AdminReply.OrgDescription) ((AdminDecision.Answer) again).reply()).plan(), "heard already");
    assertInstanceOf(AdminDecision.Answer.class,
        policy.decide(onPro, new AdminCommand.ApplyPlan(new OrgPlan("starter", 4, Limits.UNLIMITED)), 44), "older");
    OrgEvent.PlanApplied off = (OrgEvent.PlanApplied) journaled(onPro, new AdminCommand.ApplyPlan(new OrgPlan(null, 6, null)));
    assertEquals(Limits.UNLIMITED, onPro.apply(off).orgLimits(), "off every plan");
  }
}
