package io.tollgate.node.request;

import io.tollgate.protocol.org.AdmitRequest.HoldBasis;
import io.tollgate.protocol.org.OrgPricing;
import io.tollgate.protocol.org.PriceOverride;
import io.tollgate.protocol.pricing.Charge;
import io.tollgate.protocol.pricing.Cost;
import io.tollgate.protocol.pricing.ModelPrice;
import io.tollgate.protocol.pricing.PricingCatalog;
import io.tollgate.protocol.pricing.PricingCatalog.Resolved;
import io.tollgate.protocol.pricing.Units;
import io.tollgate.protocol.usage.TokenUsage;
import java.util.List;
import java.util.Optional;

/** Turns tokens into exact cost: the org's own price for the model if it has one, else the node's catalog. */
public final class Pricer {
  private final PricingCatalog catalog;

  /**
   * A price applied: the cost, whether the model had a price at all, where the price came from (the catalog's
   * version, or the org override's), so the cost can be recomputed, and its terms per token class.
   */
  public record Priced(long costNanos, boolean unpriced, String priceSource, List<Charge> charges) {
    /** Pieces the price has no rate for, and no tokens beside them, leave the call unpriced. */
    static Priced of(TokenUsage tokens, Units units, ModelPrice price, String source) {
      List<Charge> charges = Cost.charges(tokens, units, price);
      boolean piecesUnpriced = units != null && units.quantity() > 0 && price.perPiece(units.unit()) == null
          && tokens.total() == 0;
      return new Priced(Cost.of(charges), piecesUnpriced, source, charges);
    }

    /** This price at the batch APIs' half rate. */
    Priced atBatchRate() {
      List<Charge> halved = Cost.atBatchRate(charges);
      return new Priced(Cost.of(halved), unpriced, priceSource, halved);
    }
  }

  /** A request's hold against the budget at catalog prices, and what it was computed from. */
  public record Hold(long costNanos, HoldBasis basis) {}

  public Pricer(PricingCatalog catalog) {
    this.catalog = catalog;
  }

  /**
   * Prices what a call used.
   *
   * @param model the model the provider reported (it decides the price)
   * @param requestedModel the model the client asked for: an org's price for it applies when the reported model
   *     is one the catalog does not know
   */
  public Priced price(String provider, String model, String requestedModel, TokenUsage tokens, long atMillis,
      OrgPricing org) {
    return price(provider, model, requestedModel, tokens, null, atMillis, org);
  }

  /**
   * Prices what a call used, tokens and pieces: pieces priced under a name of their own (an image's size and
   * quality) take the catalog's price under it, if it has one.
   */
  public Priced price(String provider, String model, String requestedModel, TokenUsage tokens, Units units,
      long atMillis, OrgPricing org) {
    if (units != null && units.pricedAs() != null) {
      Optional<Resolved> piece = catalog.resolve(provider, units.pricedAs(), atMillis);
      if (piece.isPresent()) {
        return Priced.of(tokens, units, piece.get().price(), catalog.version());
      }
    }
    Optional<Resolved> resolved = catalog.resolve(provider, model, atMillis);
    PriceOverride override = org.overrideFor(model, resolved.map(Resolved::modelId).orElse(null));
    if (override == null && resolved.isEmpty()) {
      override = org.overrideFor(requestedModel);
    }
    if (override != null) {
      return Priced.of(tokens, units, override.price(), override.source());
    }
    return resolved.map(r -> Priced.of(tokens, units, r.price(), catalog.version()))
        .orElseGet(() -> new Priced(0, true, catalog.version(), List.of()));
  }

  /** The most a request can cost at catalog prices; 0 for a model without one (it cannot count against a budget). */
  public Hold hold(String provider, String model, long promptTokensUpperBound, long maxOutputTokens,
      boolean outputDefaulted) {
    Optional<Resolved> dearest = catalog.resolveDearest(provider, model);
    long in = dearest.map(r -> Cost.dearestInput(r.price())).orElse(0L);
    long out = dearest.map(r -> Cost.dearestOutput(r.price())).orElse(0L);
    long cost = dearest.isEmpty() ? 0 : Cost.upperBound(promptTokensUpperBound, maxOutputTokens, in, out);
    return new Hold(cost, new HoldBasis(dearest.map(Resolved::modelId).orElse(null), promptTokensUpperBound,
        maxOutputTokens, outputDefaulted, in, out));
  }

  /** The most the pieces a request asks for can cost at catalog prices; 0 without pieces or a price for them. */
  public long holdPieces(String provider, String model, Units units) {
    if (units == null) {
      return 0;
    }
    Optional<Resolved> price = units.pricedAs() == null ? Optional.empty()
        : catalog.resolveDearest(provider, units.pricedAs());
    return price.or(() -> catalog.resolveDearest(provider, model)).map(r -> Cost.upperBound(units, r.price())).orElse(0L);
  }

  /** The model name to use as a metric label: the catalog's name for it, else "other" (clients choose names). */
  public String metricModel(String provider, String model) {
    return catalog.resolveDearest(provider, model).map(Resolved::modelId).orElse("other");
  }

  public PricingCatalog catalog() {
    return catalog;
  }
}
