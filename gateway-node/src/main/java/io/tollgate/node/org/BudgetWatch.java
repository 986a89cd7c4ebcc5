package io.tollgate.node.org;

import io.tollgate.protocol.org.BudgetCrossing;
import io.tollgate.protocol.org.Limits;
import io.tollgate.protocol.org.OrgBook;
import io.tollgate.protocol.org.Scope;
import io.tollgate.protocol.org.ScopeKey;
import io.tollgate.protocol.org.Tally;
import io.tollgate.protocol.org.Window;
import io.tollgate.protocol.org.WindowCount;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which budgets a journal write carried across an alert threshold: for every scope value whose tally the write
 * changed, its daily and monthly budget, the spend before and after against each threshold. Spend only grows
 * within a period, so a threshold is crossed at most once a period.
 */
final class BudgetWatch {
  private static final List<Window> BUDGETED = List.of(Window.DAY, Window.MONTH);

  private BudgetWatch() {}

  static List<BudgetCrossing> crossings(OrgBook before, OrgBook after, List<Integer> thresholds) {
    if (!after.exists()) {
      return List.of();
    }
    List<BudgetCrossing> crossings = new ArrayList<>();
    for (Map.Entry<String, Tally> entry : after.scopes().byScope().entrySet()) {
      Tally was = before.scopes().of(entry.getKey());
      if (was == entry.getValue()) {
        continue; // a tally the write did not touch is the same object
      }
      ScopeKey scope = ScopeKey.parse(entry.getKey());
      Limits limits = scope == null ? null : scope.scope() == Scope.ORG ? after.orgLimits() : after.limitsOf(scope);
      if (limits == null) {
        continue;
      }
      for (Window window : BUDGETED) {
        Long budget = limits.budgetNanos(window);
        if (budget != null && budget > 0) {
          crossed(crossings, scope.id(), window, budget, was.of(window), entry.getValue().of(window), thresholds);
        }
      }
    }
    return crossings;
  }

  private static void crossed(List<BudgetCrossing> crossings, String scope, Window window, long budget,
      WindowCount was, WindowCount now, List<Integer> thresholds) {
    long before = was.start() == now.start() ? was.costNanos() : 0;
    for (int percent : thresholds) {
      long mark = mark(budget, percent);
      if (before < mark && now.costNanos() >= mark) {
        crossings.add(new BudgetCrossing(scope, window == Window.DAY ? "daily_budget_usd" : "monthly_budget_usd",
            percent, now.costNanos(), budget, now.start(), now.end()));
      }
    }
  }

  /** The spend at which {@code percent} of the budget is reached: the budget's share, rounded up. */
  static long mark(long budget, int percent) {
    BigInteger[] qr = BigInteger.valueOf(budget).multiply(BigInteger.valueOf(percent)).divideAndRemainder(BigInteger.valueOf(100));
    return qr[0].longValueExact() + (qr[1].signum() > 0 ? 1 : 0);
  }
}
