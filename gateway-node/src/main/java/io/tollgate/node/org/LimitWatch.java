package io.tollgate.node.org;

import io.tollgate.protocol.org.BudgetCrossing;
import io.tollgate.protocol.org.Enforcement;
import io.tollgate.protocol.org.LimitCrossing;
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
import java.util.Locale;
import java.util.Map;

/**
 * Which limits a journal write carried usage across: for every scope value whose tally the write changed (and
 * each of its model patterns), each daily and monthly budget and the monthly request quota against the org's
 * thresholds, and each soft limit. Usage only grows within a period, so each is crossed at most once a period.
 */
final class LimitWatch {
  private static final List<Window> BUDGETED = List.of(Window.DAY, Window.MONTH);

  /** What one write crossed. */
  record Crossed(List<BudgetCrossing> budgets, List<LimitCrossing> limits) {
    static final Crossed NONE = new Crossed(List.of(), List.of());

    boolean isEmpty() {
      return budgets.isEmpty() && limits.isEmpty();
    }
  }

  private LimitWatch() {}

  static Crossed crossings(OrgBook before, OrgBook after, List<Integer> thresholds) {
    if (!after.exists()) {
      return Crossed.NONE;
    }
    Crossed crossed = new Crossed(new ArrayList<>(), new ArrayList<>());
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
      Tally now = entry.getValue();
      check(crossed, scope.id(), "", limits, limits.mode(), was, now, thresholds);
      limits.models().forEach((pattern, own) -> check(crossed, scope.id(), "models:" + pattern + " ", own,
          own.enforcement() != null ? own.mode() : limits.mode(), was.model(pattern), now.model(pattern), thresholds));
    }
    return crossed;
  }

  private static void check(Crossed crossed, String scope, String prefix, Limits limits, Enforcement mode, Tally was,
      Tally now, List<Integer> thresholds) {
    for (Window window : BUDGETED) {
      Long budget = limits.budgetNanos(window);
      if (budget != null && budget > 0) {
        WindowCount n = now.of(window);
        long before = before(was.of(window), n).costNanos();
        for (int percent : passed(budget, before, n.costNanos(), thresholds)) {
          crossed.budgets.add(new BudgetCrossing(scope, prefix + budgetName(window), percent, n.costNanos(), budget,
              n.start(), n.end()));
        }
      }
    }
    Long quota = limits.monthlyRequests();
    if (quota != null && quota > 0) {
      WindowCount n = now.month();
      for (int percent : passed(quota, before(was.month(), n).requests(), n.requests(), thresholds)) {
        crossed.limits.add(new LimitCrossing(scope, prefix + "monthly_requests", false, percent, n.requests(), quota,
            n.start(), n.end()));
      }
    }
    if (mode == Enforcement.SOFT) {
      for (Window window : Window.values()) {
        WindowCount n = now.of(window);
        WindowCount b = before(was.of(window), n);
        soft(crossed, scope, prefix + requestsName(window), limits.requests(window), b.requests(), n.requests(), n);
        soft(crossed, scope, prefix + "tokens_per_" + unit(window), limits.tokens(window), b.tokens(), n.tokens(), n);
        soft(crossed, scope, prefix + budgetName(window), limits.budgetNanos(window), b.costNanos(), n.costNanos(), n);
      }
    }
  }

  private static void soft(Crossed crossed, String scope, String name, Long limit, long before, long now, WindowCount n) {
    if (limit != null && before <= limit && now > limit) {
      crossed.limits.add(new LimitCrossing(scope, name, true, 100, now, limit, n.start(), n.end()));
    }
  }

  /** What the period of {@code now} had before the write: nothing if the write began a new period. */
  private static WindowCount before(WindowCount was, WindowCount now) {
    return was.start() == now.start() ? was : WindowCount.NONE;
  }

  private static List<Integer> passed(long limit, long before, long now, List<Integer> thresholds) {
    List<Integer> passed = new ArrayList<>(1);
    for (int percent : thresholds) {
      long mark = mark(limit, percent);
      if (before < mark && now >= mark) {
        passed.add(percent);
      }
    }
    return passed;
  }

  private static String budgetName(Window window) {
    return window == Window.DAY ? "daily_budget_usd" : "monthly_budget_usd";
  }

  private static String requestsName(Window window) {
    return window == Window.MONTH ? "monthly_requests" : "requests_per_" + unit(window);
  }

  private static String unit(Window window) {
    return window.name().toLowerCase(Locale.ROOT);
  }

  /** The usage at which {@code percent} of the limit is reached: the limit's share, rounded up. */
  static long mark(long limit, int percent) {
    BigInteger[] qr = BigInteger.valueOf(limit).multiply(BigInteger.valueOf(percent)).divideAndRemainder(BigInteger.valueOf(100));
    return qr[0].longValueExact() + (qr[1].signum() > 0 ? 1 : 0);
  }
}
