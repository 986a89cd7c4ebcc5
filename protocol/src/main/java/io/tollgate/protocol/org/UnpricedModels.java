package io.tollgate.protocol.org;

/** What an org does with a model neither the catalog nor its own price overrides know. */
public enum UnpricedModels {
  /** Serve it, record cost 0 and flag the record {@code unpriced} (the default). */
  SERVE,
  /** Refuse it with 400 before calling the provider. */
  REFUSE
}
