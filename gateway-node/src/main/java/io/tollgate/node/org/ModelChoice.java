package io.tollgate.node.org;

import io.tollgate.protocol.org.AdmitRequest;
import io.tollgate.protocol.org.AdmitRequest.HoldBasis;
import io.tollgate.protocol.org.ApiKey;
import io.tollgate.protocol.org.Limits;
import io.tollgate.protocol.org.OrgBook;
import io.tollgate.protocol.org.OrgPricing;
import io.tollgate.protocol.org.Policy;
import io.tollgate.protocol.org.PriceOverride;
import io.tollgate.protocol.org.Scope;
import io.tollgate.protocol.org.ScopeKey;
import io.tollgate.protocol.org.Window;
import io.tollgate.protocol.pricing.Cost;
import java.util.ArrayList;
import java.util.List;

/**
 * The model an admitted request is served by, what it may fall back on, and the hold that covers them: a
 * scope's downgrade once its budget passes the share, the fallbacks (the request's own, else its key's, else
 * its org's), and a hold for the dearest of them. No actor in it.
 *
 * @param model the model to serve with
 * @param downgraded true when {@code model} is a scope's downgrade, not the one asked for
 * @param basis what the served model's hold is computed from
 * @param unpriced no price for the served model, in the catalog or the org's own
 */
record ModelChoice(String model, boolean downgraded, HoldBasis basis, List<String> fallbacks, HoldSize size,
    boolean unpriced) {

  static ModelChoice of(AdmitRequest request, OrgBook book, Limits orgLimits, List<ScopeKey> scopes,
      ScopeCounters counters, OutputSizes outputs, ModelRates rates, long now) {
    String to = downgrade(book, orgLimits, scopes, counters, now);
    boolean downgraded = to != null && !to.equals(request.model());
    String model = downgraded ? to : request.model();
    HoldBasis basis = downgraded ? rates.basis(request.provider(), to, request.basis()) : request.basis();
    OrgPricing pricing = book.pricing();
    PriceOverride override = pricing.overrideFor(model, basis.catalogModel());
    HoldSize size = HoldSize.of(model, basis, request.reservedTokens(),
        downgraded ? catalogCost(basis) : request.reservedCostNanos(), override, outputs);
    List<String> fallbacks = fallbacks(request, book, model);
    for (String fallback : fallbacks) {
      HoldBasis other = rates.basis(request.provider(), fallback, request.basis());
      String name = Policy.modelOf(fallback);
      size = size.max(HoldSize.of(name, other, request.reservedTokens(), catalogCost(other),
          pricing.overrideFor(name, other.catalogModel()), outputs));
    }
    return new ModelChoice(model, downgraded, basis, fallbacks, size, override == null && basis.catalogModel() == null);
  }

  /**
   * The downgrade of the first of the request's scopes whose budget (the month's, else the day's) is at least
   * its share spent or held; null if none.
   */
  static String downgrade(OrgBook book, Limits orgLimits, List<ScopeKey> scopes, ScopeCounters counters, long now) {
    for (ScopeKey scope : scopes) {
      Limits limits = scope.scope() == Scope.ORG ? orgLimits : book.limitsOf(scope);
      if (limits == null || limits.downgrade() == null) {
        continue;
      }
      for (Window window : List.of(Window.MONTH, Window.DAY)) {
        Long budget = limits.budgetNanos(window);
        if (budget != null && budget > 0
            && counters.of(scope.id()).at(window, now).costNanos() >= share(budget, limits.downgrade().atPercent())) {
          return limits.downgrade().model();
        }
      }
    }
    return null;
  }

  /** {@code percent} % of {@code budget}, rounded down, without overflow. */
  static long share(long budget, int percent) {
    return budget / 100 * percent + budget % 100 * percent / 100;
  }

  /**
   * The request's own fallbacks, else its key's or org's for the model served; those a key may not use are left
   * out (the request's own were refused before), as is the model served.
   */
  private static List<String> fallbacks(AdmitRequest request, OrgBook book, String model) {
    List<String> named = request.fallbacks() != null ? request.fallbacks()
        : book.policies().fallbacksFor(request.keyId(), model);
    if (named.isEmpty()) {
      return List.of();
    }
    ApiKey key = book.keys().get(request.keyId());
    List<String> kept = new ArrayList<>(named.size());
    for (String fallback : named) {
      if (!fallback.equals(model) && (key == null || key.allows(Policy.modelOf(fallback))) && !kept.contains(fallback)) {
        kept.add(fallback);
      }
    }
    return kept;
  }

  private static long catalogCost(HoldBasis basis) {
    return basis.catalogModel() == null ? 0
        : Cost.upperBound(basis.promptTokens(), basis.outputTokens(), basis.inputPerMtok(), basis.outputPerMtok());
  }
}
