package io.tollgate.protocol.org;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.tollgate.protocol.CborSerializable;
import io.tollgate.protocol.pricing.ModelPrice;
import java.util.List;
import java.util.Map;

/**
 * Administrative changes and reads of one org. Changes are answered once journaled. Travels nested in a
 * node's envelope, so it names its own type on the wire.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = AdminCommand.CreateOrg.class, name = "create-org"),
    @JsonSubTypes.Type(value = AdminCommand.SetLimits.class, name = "set-limits"),
    @JsonSubTypes.Type(value = AdminCommand.IssueKey.class, name = "issue-key"),
    @JsonSubTypes.Type(value = AdminCommand.RevokeKey.class, name = "revoke-key"),
    @JsonSubTypes.Type(value = AdminCommand.DescribeOrg.class, name = "describe-org"),
    @JsonSubTypes.Type(value = AdminCommand.ListKeys.class, name = "list-keys"),
    @JsonSubTypes.Type(value = AdminCommand.SetPrice.class, name = "set-price"),
    @JsonSubTypes.Type(value = AdminCommand.RemovePrice.class, name = "remove-price"),
    @JsonSubTypes.Type(value = AdminCommand.SetUnpricedModels.class, name = "set-unpriced-models"),
    @JsonSubTypes.Type(value = AdminCommand.DescribePricing.class, name = "describe-pricing"),
    @JsonSubTypes.Type(value = AdminCommand.SetScopeLimits.class, name = "set-scope-limits"),
    @JsonSubTypes.Type(value = AdminCommand.RemoveScopeLimits.class, name = "remove-scope-limits"),
    @JsonSubTypes.Type(value = AdminCommand.SetKeyLimits.class, name = "set-key-limits"),
    @JsonSubTypes.Type(value = AdminCommand.ListLimits.class, name = "list-limits"),
    @JsonSubTypes.Type(value = AdminCommand.SetTimeZone.class, name = "set-time-zone"),
    @JsonSubTypes.Type(value = AdminCommand.ApplyPlan.class, name = "apply-plan"),
    @JsonSubTypes.Type(value = AdminCommand.DisableOrg.class, name = "disable-org"),
    @JsonSubTypes.Type(value = AdminCommand.EnableOrg.class, name = "enable-org"),
    @JsonSubTypes.Type(value = AdminCommand.RotateKey.class, name = "rotate-key"),
    @JsonSubTypes.Type(value = AdminCommand.SetBudgetEnforcement.class, name = "set-budget-enforcement"),
    @JsonSubTypes.Type(value = AdminCommand.CloseSession.class, name = "close-session"),
    @JsonSubTypes.Type(value = AdminCommand.ReportOutcome.class, name = "report-outcome"),
    @JsonSubTypes.Type(value = AdminCommand.ReviewOutcome.class, name = "review-outcome"),
    @JsonSubTypes.Type(value = AdminCommand.Audit.class, name = "audit"),
    @JsonSubTypes.Type(value = AdminCommand.SetMarkup.class, name = "set-markup"),
    @JsonSubTypes.Type(value = AdminCommand.AddWebhook.class, name = "add-webhook"),
    @JsonSubTypes.Type(value = AdminCommand.RemoveWebhook.class, name = "remove-webhook"),
    @JsonSubTypes.Type(value = AdminCommand.ListWebhooks.class, name = "list-webhooks"),
    @JsonSubTypes.Type(value = AdminCommand.TestWebhook.class, name = "test-webhook"),
    @JsonSubTypes.Type(value = AdminCommand.SetAlerts.class, name = "set-alerts"),
    @JsonSubTypes.Type(value = AdminCommand.DescribeAlerts.class, name = "describe-alerts"),
    @JsonSubTypes.Type(value = AdminCommand.LiftBlock.class, name = "lift-block")})
public sealed interface AdminCommand extends CborSerializable {
  /** @param timeZone the IANA zone of its calendar periods; null is UTC */
  record CreateOrg(String name, Limits limits, String timeZone) implements AdminCommand {
    public CreateOrg(String name, Limits limits) {
      this(name, limits, null);
    }
  }

  record SetTimeZone(String timeZone) implements AdminCommand {}

  record DisableOrg() implements AdminCommand {}

  /** Marks a session completed now (the read model shows it so until its next request). */
  record CloseSession(String session) implements AdminCommand {}

  /** An outcome an application reported with one of the org's keys (already checked). */
  record ReportOutcome(BusinessOutcome outcome) implements AdminCommand {}

  /** The markup of the org's invoices, in millionths; null for none. */
  record SetMarkup(Long markupPpm) implements AdminCommand {}

  /** A webhook, its URL already checked and its secret made. */
  record AddWebhook(Webhook webhook) implements AdminCommand {}

  record RemoveWebhook(String webhookId) implements AdminCommand {}

  record ListWebhooks() implements AdminCommand {}

  /** Replaces the org's alert policy. */
  record SetAlerts(AlertPolicy policy) implements AdminCommand {}

  record DescribeAlerts() implements AdminCommand {}

  /** Replaces the org's policy ({@code keyId} null) or a key's; an empty key policy removes it. */
  record SetPolicy(String keyId, Policy policy) implements AdminCommand {}

  /** The org's policy ({@code keyId} null) or a key's. */
  record DescribePolicy(String keyId) implements AdminCommand {}

  /** Lifts the block of an agent or key ({@code agent:bot}, {@code key:k1}) before its time. */
  record LiftBlock(String scope) implements AdminCommand {}

  /** Queues a test message to the webhook. */
  record TestWebhook(String webhookId) implements AdminCommand {}

  /** Puts an admin change on the org's audit trail. */
  record Audit(AuditEntry entry) implements AdminCommand {}

  /** Confirms or rejects a reported outcome; {@code by} says who. */
  record ReviewOutcome(String outcomeId, boolean confirmed, String by) implements AdminCommand {}

  record EnableOrg() implements AdminCommand {}

  /** {@code stop_stream} (true) or budgets kept by holds alone (false). */
  record SetBudgetEnforcement(boolean stopStreams) implements AdminCommand {}

  /** A new secret for the key; the old one works {@code graceMillis} longer. */
  record RotateKey(String keyId, String secretHash, long graceMillis) implements AdminCommand {}

  /** Sent by the plans' actor: the org's plan as of the plans' sequence number {@code plan.seq()}. */
  record ApplyPlan(OrgPlan plan) implements AdminCommand {}

  record SetLimits(Limits limits) implements AdminCommand {}

  /** The node generates the key id and secret and sends only the secret's hash. */
  /** @param expiresAtMillis when the key stops working; null: never */
  record IssueKey(String keyId, String name, String secretHash, List<String> allowedModels, Limits limits,
      Map<String, String> binds, Long expiresAtMillis) implements AdminCommand {
    public IssueKey(String keyId, String name, String secretHash, List<String> allowedModels) {
      this(keyId, name, secretHash, allowedModels, null, null, null);
    }
  }

  record RevokeKey(String keyId) implements AdminCommand {}

  record DescribeOrg() implements AdminCommand {}

  record ListKeys() implements AdminCommand {}

  /** The org's own price for a model, replacing the catalog's for its requests. */
  record SetPrice(String model, ModelPrice price) implements AdminCommand {}

  record RemovePrice(String model) implements AdminCommand {}

  record SetUnpricedModels(UnpricedModels policy) implements AdminCommand {}

  record DescribePricing() implements AdminCommand {}

  /** Limits for one value of a team, customer, user or agent ({@code team:research}), or its {@code *} default. */
  record SetScopeLimits(String scope, Limits limits) implements AdminCommand {}

  record RemoveScopeLimits(String scope) implements AdminCommand {}

  /** A key's own limits; null removes them. */
  record SetKeyLimits(String keyId, Limits limits) implements AdminCommand {}

  /** The org's limits, every scope value's and every key's. */
  record ListLimits() implements AdminCommand {}
}
