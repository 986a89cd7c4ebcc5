package io.tollgate.protocol.org;

/** What an org does with a model neither the catalog nor its own price overrides know. */
public enum UnpricedModels {
  /** Serve it, record cost 0 and flag the record {@code unpriced}, even where a budget applies. */
  SERVE,
  /** Refuse it with 400 before calling the provider. */
  REFUSE,
  /**
   * The default: refuse it where any budget applies to the request (its cost cannot be held against the
   * budget), serve it as {@link #SERVE} does elsewhere.
   */
  BUDGETED
}
