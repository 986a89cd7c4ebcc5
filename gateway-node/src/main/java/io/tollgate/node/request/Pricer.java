package io.tollgate.node.request;

import io.tollgate.protocol.pricing.Cost;
import io.tollgate.protocol.pricing.ModelPrice;
import io.tollgate.protocol.pricing.PricingCatalog;
import io.tollgate.protocol.usage.TokenUsage;
import java.util.Optional;

/** Turns tokens into exact cost with the node's pricing catalog. */
public final class Pricer {
  private final PricingCatalog catalog;

  /** A price applied: the cost, whether the model had a price at all, and the catalog version used. */
  public record Priced(long costNanos, boolean unpriced, String catalogVersion) {}

  public Pricer(PricingCatalog catalog) {
    this.catalog = catalog;
  }

  public Priced price(String provider, String model, TokenUsage tokens) {
    Optional<ModelPrice> price = catalog.priceOf(provider, model);
    return price.map(p -> new Priced(Cost.of(tokens, p), false, catalog.version()))
        .orElseGet(() -> new Priced(0, true, catalog.version()));
  }

  /** The most a request can cost; 0 for a model without a price (it cannot count against a budget). */
  public long upperBound(String provider, String model, long promptTokensUpperBound, long maxOutputTokens) {
    return catalog.priceOf(provider, model)
        .map(p -> Cost.upperBound(promptTokensUpperBound, maxOutputTokens, p))
        .orElse(0L);
  }

  /** The model name to use as a metric label: the model if the catalog knows it, else "other". */
  public String metricModel(String provider, String model) {
    return catalog.priceOf(provider, model).isPresent() ? model : "other";
  }

  public PricingCatalog catalog() {
    return catalog;
  }
}
