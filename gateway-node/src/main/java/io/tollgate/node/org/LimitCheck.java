package io.tollgate.node.org;

import io.tollgate.protocol.money.Money;
import io.tollgate.protocol.org.DenialReason;
import io.tollgate.protocol.org.Enforcement;
import io.tollgate.protocol.org.LimitMeasure;
import io.tollgate.protocol.org.Limits;
import io.tollgate.protocol.org.Periods;
import io.tollgate.protocol.org.RateLimitStatus;
import io.tollgate.protocol.org.Scope;
import io.tollgate.protocol.org.ScopeKey;
import io.tollgate.protocol.org.Tally;
import io.tollgate.protocol.org.Window;
import io.tollgate.protocol.org.WindowCount;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every limit of every scope a request counts in, checked in one pass against what each scope has used and
 * holds: the first hard limit it would pass refuses it; soft and shadow limits it would pass are noted.
 * A request is refused only if its own hold does not fit: {@code used + held + this request > limit}.
 */
final class LimitCheck {
  private LimitCheck() {}

  /** One scope value the request counts in: its limits (null: none), live tally and matching model patterns. */
  record Subject(ScopeKey scope, Limits limits, Tally tally, List<String> patterns) {}

  /** A limit the request would pass. {@code used} includes what requests in flight hold. */
  record Breach(ScopeKey scope, String pattern, Window window, LimitMeasure measure, long limit, long used,
      long asked, Enforcement mode, long resetAtMillis) {

    DenialReason reason() {
      return DenialReason.of(window, measure);
    }

    /** Seconds until retrying can succeed, for {@code Retry-After}; 0 when it cannot soon (a quota, a budget). */
    long retryAfterSeconds(long now) {
      if (reason().exhausted() || measure == LimitMeasure.TOKENS && asked > limit) {
        return 0;
      }
      return Math.max(1, (resetAtMillis - now + 999) / 1000);
    }

    /** How the breach is named on a record and in metrics: {@code soft team:research monthly_budget_usd}. */
    String label() {
      return mode.name().toLowerCase(Locale.ROOT) + " " + scope.id() + " " + limitName();
    }

    /** The limit passed: {@code monthly_budget_usd}, or {@code models:claude-opus* requests_per_minute}. */
    String limitName() {
      return (pattern == null ? "" : "models:" + pattern + " ") + field();
    }

    String field() {
      return switch (measure) {
        case REQUESTS -> window == Window.MONTH ? "monthly_requests" : "requests_per_" + unit();
        case TOKENS -> "tokens_per_" + unit();
        case BUDGET -> window == Window.DAY ? "daily_budget_usd" : "monthly_budget_usd";
      };
    }

    /** The message the caller gets, in words a developer can act on. */
    String message(long now) {
      String text = switch (measure) {
        case REQUESTS -> window == Window.MONTH
            ? String.format("Monthly request quota of %d exhausted; it resets at %s.", limit, Instant.ofEpochMilli(resetAtMillis))
            : String.format("Rate limit reached for requests per %s: limit %d, used %d. Please try again in %ds.",
                unit(), limit, used, retryAfterSeconds(now));
        case TOKENS -> asked > limit
            ? String.format("Request too large for tokens per %s: limit %d, this request may use up to %d"
                + " (prompt estimate plus max_tokens). Lower max_tokens.", unit(), limit, asked)
            : String.format("Rate limit reached for tokens per %s: limit %d, used %d, requested up to %d."
                + " Please try again in %ds.", unit(), limit, used, asked, retryAfterSeconds(now));
        case BUDGET -> String.format("%s budget of $%s would be exceeded: $%s spent or held for requests in flight,"
                + " this request may cost up to $%s.", window == Window.DAY ? "Daily" : "Monthly",
            Money.displayUsd(limit), Money.displayUsd(used), Money.displayUsd(asked));
      };
      String who = (scope.scope() == Scope.ORG ? "" : scope.describe())
          + (pattern == null ? "" : (scope.scope() == Scope.ORG ? "" : ", ") + "models '" + pattern + "'");
      return who.isEmpty() ? text : who + ": " + Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }

    private String unit() {
      return window.name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The outcome: the refusal (null if admitted), the soft and shadow limits passed, where the request
   * leaves the caller (after it, if admitted), and what the tightest hard budget has left after it (null:
   * no hard budget applies).
   */
  record Verdict(Breach refusal, List<Breach> unenforced, RateLimitStatus status, Long hardBudgetLeft) {}

  static Verdict check(List<Subject> subjects, long tokens, long costNanos, Periods periods, long now) {
    Check check = new Check(tokens, costNanos, periods, now);
    for (Subject s : subjects) {
      if (s.limits() == null) {
        continue;
      }
      check.limits(s.scope(), null, s.limits(), s.tally(), s.limits().mode());
      for (String pattern : s.patterns()) {
        Limits model = s.limits().models().get(pattern);
        if (model != null) {
          check.limits(s.scope(), pattern, model, s.tally().model(pattern),
              model.enforcement() != null ? model.enforcement() : s.limits().mode());
        }
      }
    }
    return check.verdict();
  }

  /** One pass over the limits: the first hard breach, the others, and the tightest of each measure. */
  private static final class Check {
    private final long tokens;
    private final long cost;
    private final Periods periods;
    private final long now;
    private Breach refusal;
    private List<Breach> unenforced = List.of();
    private Long requestLimit;
    private long requestsLeft = Long.MAX_VALUE;
    private long requestsReset;
    private Long tokenLimit;
    private long tokensLeft = Long.MAX_VALUE;
    private long tokensReset;
    private String budgetScope;
    private long budgetLeft = Long.MAX_VALUE;
    /** What the tightest budget that refuses has left after this request: where a stream is stopped. */
    private long hardBudgetLeft = Long.MAX_VALUE;

    Check(long tokens, long cost, Periods periods, long now) {
      this.tokens = tokens;
      this.cost = cost;
      this.periods = periods;
      this.now = now;
    }

    void limits(ScopeKey scope, String pattern, Limits limits, Tally tally, Enforcement mode) {
      for (Window window : Window.values()) {
        Long requests = limits.requests(window);
        Long tokenCap = limits.tokens(window);
        Long budget = limits.budgetNanos(window);
        if (requests == null && tokenCap == null && budget == null) {
          continue;
        }
        WindowCount count = tally.at(window, now);
        long reset = count.holds(now) ? count.end() : periods.end(window, now);
        if (requests != null) {
          long left = requests - count.requests() - 1;
          judge(scope, pattern, window, LimitMeasure.REQUESTS, requests, count.requests(), 1, mode, reset, left);
          if (mode != Enforcement.SHADOW && left < requestsLeft) {
            requestsLeft = left;
            requestLimit = requests;
            requestsReset = reset;
          }
        }
        if (tokenCap != null) {
          long left = tokenCap - count.tokens() - tokens;
          judge(scope, pattern, window, LimitMeasure.TOKENS, tokenCap, count.tokens(), tokens, mode, reset, left);
          if (mode != Enforcement.SHADOW && left < tokensLeft) {
            tokensLeft = left;
            tokenLimit = tokenCap;
            tokensReset = reset;
          }
        }
        if (budget != null) {
          long left = budget - count.costNanos() - cost;
          judge(scope, pattern, window, LimitMeasure.BUDGET, budget, count.costNanos(), cost, mode, reset, left);
          if (mode != Enforcement.SHADOW && left < budgetLeft) {
            budgetLeft = left;
            budgetScope = scope.id();
          }
          if (mode == Enforcement.HARD && left < hardBudgetLeft) {
            hardBudgetLeft = left;
          }
        }
      }
    }

    private void judge(ScopeKey scope, String pattern, Window window, LimitMeasure measure, long limit, long used,
        long asked, Enforcement mode, long reset, long left) {
      if (left >= 0) {
        return;
      }
      Breach breach = new Breach(scope, pattern, window, measure, limit, used, asked, mode, reset);
      if (mode == Enforcement.HARD) {
        if (refusal == null) {
          refusal = breach;
        }
      } else {
        if (unenforced.isEmpty()) {
          unenforced = new ArrayList<>(2);
        }
        unenforced.add(breach);
      }
    }

    Verdict verdict() {
      // Refused, the caller's standing is before this request: it used nothing.
      long giveBackRequest = refusal != null ? 1 : 0;
      RateLimitStatus status = new RateLimitStatus(
          requestLimit, requestLimit == null ? 0 : Math.max(0, requestsLeft + giveBackRequest),
          tokenLimit, tokenLimit == null ? 0 : Math.max(0, tokensLeft + (refusal != null ? tokens : 0)),
          requestsReset, tokensReset,
          budgetScope, budgetScope == null ? null : Math.max(0, budgetLeft + (refusal != null ? cost : 0)));
      return new Verdict(refusal, unenforced, status,
          hardBudgetLeft == Long.MAX_VALUE ? null : Math.max(0, hardBudgetLeft));
    }
  }
}
