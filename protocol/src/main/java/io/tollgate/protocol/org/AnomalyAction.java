package io.tollgate.protocol.org;

/** What an org does about an anomaly of a grade. */
public enum AnomalyAction {
  /** Journaled and listed ({@code GET /admin/orgs/{org}/alerts}); no webhook. */
  RECORD,
  /** Also a {@code cost.anomaly} webhook. */
  ALERT,
  /** Also blocks the agent or key for the org's block time (an org's own anomaly only alerts). */
  BLOCK
}
