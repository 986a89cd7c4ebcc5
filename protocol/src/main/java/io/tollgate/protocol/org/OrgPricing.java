package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An org's pricing rules: its price overrides by lower-cased model name, and what to do with unpriced models.
 * Immutable; the empty one is shared by every org that has none.
 */
public record OrgPricing(Map<String, PriceOverride> overrides, UnpricedModels unpricedModels) implements CborSerializable {

  public static final OrgPricing DEFAULT = new OrgPricing(Map.of(), UnpricedModels.BUDGETED);

  public OrgPricing {
    overrides = overrides == null ? Map.of() : Map.copyOf(overrides);
    unpricedModels = unpricedModels == null ? UnpricedModels.BUDGETED : unpricedModels;
  }

  public static String key(String model) {
    return model.toLowerCase(Locale.ROOT);
  }

  /** The override for the first of these names that has one (null names are skipped), or null. */
  public PriceOverride overrideFor(String... models) {
    if (overrides.isEmpty()) {
      return null;
    }
    for (String model : models) {
      if (model != null) {
        PriceOverride found = overrides.get(key(model));
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  public OrgPricing with(PriceOverride override) {
    Map<String, PriceOverride> next = new HashMap<>(overrides);
    next.put(override.model(), override);
    return new OrgPricing(next, unpricedModels);
  }

  public OrgPricing without(String model) {
    Map<String, PriceOverride> next = new HashMap<>(overrides);
    next.remove(key(model));
    return new OrgPricing(next, unpricedModels);
  }

  public OrgPricing with(UnpricedModels policy) {
    return new OrgPricing(overrides, policy);
  }
}
