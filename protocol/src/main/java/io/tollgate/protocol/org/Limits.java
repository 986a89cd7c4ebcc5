package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The limits of an org, a plan, a scope value or a key; a null limit is unlimited. Windows are calendar
 * periods in the org's time zone ({@link Periods}); budgets are in nano-USD.
 *
 * @param models limits that apply only to requests for models matching a pattern ({@code claude-opus*}):
 *     a trailing {@code *} matches a prefix, anything else the exact name. They carry no models of their own.
 * @param enforcement null means {@link Enforcement#HARD}
 * @param downgrade the cheaper model its requests are served by once its budget passes a share; null: none
 */
public record Limits(
    Long requestsPerMinute,
    Long tokensPerMinute,
    Long monthlyRequests,
    Long monthlyBudgetNanos,
    Long requestsPerHour,
    Long requestsPerDay,
    Long tokensPerHour,
    Long tokensPerDay,
    Long dailyBudgetNanos,
    Map<String, Limits> models,
    Enforcement enforcement,
    Downgrade downgrade)
    implements CborSerializable {
  public static final Limits UNLIMITED = new Limits(null, null, null, null);
  public static final int MAX_MODEL_PATTERNS = 32;

  /**
   * Budget-aware routing: once a budget of these limits (monthly, or daily) is {@code atPercent} spent or held,
   * requests are served by {@code model} instead of the one they name.
   */
  public record Downgrade(int atPercent, String model) implements CborSerializable {
    public Downgrade {
      if (atPercent < 1 || atPercent > 100) {
        throw new IllegalArgumentException("downgrade at_percent must be from 1 to 100");
      }
      if (model == null || model.isBlank() || model.length() > 256) {
        throw new IllegalArgumentException("downgrade needs the model to use ('to')");
      }
    }
  }

  public Limits {
    requireNonNegative(requestsPerMinute, "requests_per_minute");
    requireNonNegative(tokensPerMinute, "tokens_per_minute");
    requireNonNegative(monthlyRequests, "monthly_requests");
    requireNonNegative(monthlyBudgetNanos, "monthly_budget_usd");
    requireNonNegative(requestsPerHour, "requests_per_hour");
    requireNonNegative(requestsPerDay, "requests_per_day");
    requireNonNegative(tokensPerHour, "tokens_per_hour");
    requireNonNegative(tokensPerDay, "tokens_per_day");
    requireNonNegative(dailyBudgetNanos, "daily_budget_usd");
    models = models == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(models));
    if (models.size() > MAX_MODEL_PATTERNS) {
      throw new IllegalArgumentException("at most " + MAX_MODEL_PATTERNS + " model patterns are allowed");
    }
    for (Map.Entry<String, Limits> e : models.entrySet()) {
      String pattern = e.getKey();
      int star = pattern == null ? -1 : pattern.indexOf('*');
      if (pattern == null || pattern.isBlank() || star >= 0 && star != pattern.length() - 1) {
        throw new IllegalArgumentException("model pattern '" + e.getKey() + "' may only end in '*'");
      }
      if (!e.getValue().models().isEmpty()) {
        throw new IllegalArgumentException("the limits of model pattern '" + e.getKey() + "' cannot have models");
      }
    }
  }

  /** Limits without a downgrade. */
  public Limits(Long requestsPerMinute, Long tokensPerMinute, Long monthlyRequests, Long monthlyBudgetNanos,
      Long requestsPerHour, Long requestsPerDay, Long tokensPerHour, Long tokensPerDay, Long dailyBudgetNanos,
      Map<String, Limits> models, Enforcement enforcement) {
    this(requestsPerMinute, tokensPerMinute, monthlyRequests, monthlyBudgetNanos, requestsPerHour, requestsPerDay,
        tokensPerHour, tokensPerDay, dailyBudgetNanos, models, enforcement, null);
  }

  /** The org's limits as they were before windows other than the minute and month existed. */
  public Limits(Long requestsPerMinute, Long tokensPerMinute, Long monthlyRequests, Long monthlyBudgetNanos) {
    this(requestsPerMinute, tokensPerMinute, monthlyRequests, monthlyBudgetNanos, null, null, null, null, null, null,
        null);
  }

  public Enforcement mode() {
    return enforcement == null ? Enforcement.HARD : enforcement;
  }

  /** The request limit of a window, or null. */
  public Long requests(Window window) {
    return switch (window) {
      case MINUTE -> requestsPerMinute;
      case HOUR -> requestsPerHour;
      case DAY -> requestsPerDay;
      case MONTH -> monthlyRequests;
    };
  }

  /** The token limit of a window, or null (there is no monthly token limit). */
  public Long tokens(Window window) {
    return switch (window) {
      case MINUTE -> tokensPerMinute;
      case HOUR -> tokensPerHour;
      case DAY -> tokensPerDay;
      case MONTH -> null;
    };
  }

  /** The budget of a window, or null (budgets are per day and per month). */
  public Long budgetNanos(Window window) {
    return switch (window) {
      case DAY -> dailyBudgetNanos;
      case MONTH -> monthlyBudgetNanos;
      default -> null;
    };
  }

  /** True when a daily or monthly budget is set, here or for any model pattern. */
  public boolean hasBudget() {
    if (dailyBudgetNanos != null || monthlyBudgetNanos != null) {
      return true;
    }
    for (Limits model : models.values()) {
      if (model.hasBudget()) {
        return true;
      }
    }
    return false;
  }

  /** True when no limit is set, here or for any model. */
  public boolean unlimited() {
    for (Window w : Window.values()) {
      if (requests(w) != null || tokens(w) != null || budgetNanos(w) != null) {
        return false;
      }
    }
    return models.isEmpty() && downgrade == null;
  }

  /** True when {@code model} matches {@code pattern}: a trailing '*' matches a prefix. */
  public static boolean matches(String pattern, String model) {
    return pattern.endsWith("*") ? model.startsWith(pattern.substring(0, pattern.length() - 1)) : pattern.equals(model);
  }

  /**
   * These limits over {@code base} (a plan's): every field set here wins, every field left null is the
   * base's; model patterns merge the same way, pattern by pattern.
   */
  public Limits over(Limits base) {
    if (base == null || base.unlimited() && base.enforcement == null && base.downgrade == null) {
      return this;
    }
    Map<String, Limits> merged = new LinkedHashMap<>(base.models);
    models.forEach((pattern, own) -> merged.merge(pattern, own, (b, o) -> o.over(b)));
    return new Limits(
        or(requestsPerMinute, base.requestsPerMinute), or(tokensPerMinute, base.tokensPerMinute),
        or(monthlyRequests, base.monthlyRequests), or(monthlyBudgetNanos, base.monthlyBudgetNanos),
        or(requestsPerHour, base.requestsPerHour), or(requestsPerDay, base.requestsPerDay),
        or(tokensPerHour, base.tokensPerHour), or(tokensPerDay, base.tokensPerDay),
        or(dailyBudgetNanos, base.dailyBudgetNanos), merged, enforcement != null ? enforcement : base.enforcement,
        or(downgrade, base.downgrade));
  }

  private static <T> T or(T own, T base) {
    return own != null ? own : base;
  }

  private static void requireNonNegative(Long value, String name) {
    if (value != null && value < 0) {
      throw new IllegalArgumentException(name + " cannot be negative");
    }
  }
}
