package io.tollgate.node.admin;

import io.tollgate.node.stream.Stages;
import io.tollgate.node.keys.ClientKey;
import io.tollgate.node.keys.KeyHasher;
import io.tollgate.node.org.OrgCommand;
import io.tollgate.node.org.OrgEntity;
import io.tollgate.protocol.org.AdminCommand;
import io.tollgate.protocol.org.AdminReply;
import io.tollgate.protocol.org.AuditEntry;
import io.tollgate.protocol.org.AlertPolicy;
import io.tollgate.protocol.org.Policy;
import io.tollgate.protocol.org.Webhook;
import io.tollgate.protocol.org.BusinessOutcome;
import io.tollgate.protocol.org.Limits;
import io.tollgate.protocol.org.ScopeKey;
import io.tollgate.protocol.org.ScopeUsage;
import io.tollgate.protocol.org.QuotaView;
import io.tollgate.protocol.org.UnpricedModels;
import io.tollgate.protocol.pricing.ModelPrice;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/** The admin API's operations, each one ask to the org's actor wherever it lives in the cluster. */
public final class OrgAdmin {
  private final ClusterSharding sharding;
  private final KeyHasher hasher;
  private final Duration timeout;

  /** A key just issued: the reply, and the plaintext key to show once. */
  public record IssuedKey(AdminReply reply, ClientKey key) {}

  public OrgAdmin(ClusterSharding sharding, KeyHasher hasher, Duration timeout) {
    this.sharding = sharding;
    this.hasher = hasher;
    this.timeout = timeout;
  }

  public CompletionStage<AdminReply> createOrg(String orgId, String name, Limits limits, String timeZone) {
    return administer(orgId, new AdminCommand.CreateOrg(name, limits, timeZone));
  }

  public CompletionStage<AdminReply> setTimeZone(String orgId, String timeZone) {
    return administer(orgId, new AdminCommand.SetTimeZone(timeZone));
  }

  public CompletionStage<AdminReply> describe(String orgId) {
    return administer(orgId, new AdminCommand.DescribeOrg());
  }

  public CompletionStage<AdminReply> setLimits(String orgId, Limits limits) {
    return administer(orgId, new AdminCommand.SetLimits(limits));
  }

  public CompletionStage<IssuedKey> issueKey(String orgId, String name, List<String> allowedModels, Limits limits,
      Map<String, String> binds, Long expiresAtMillis) {
    ClientKey key = hasher.newKey(orgId);
    return administer(orgId, new AdminCommand.IssueKey(key.keyId(), name, hasher.hash(key.secret()), allowedModels,
        limits, binds, expiresAtMillis)).thenApply(reply -> new IssuedKey(reply, key));
  }

  /** A new secret for the key; the old one works for {@code grace} longer. */
  public CompletionStage<IssuedKey> rotateKey(String orgId, String keyId, Duration grace) {
    ClientKey key = hasher.newSecret(orgId, keyId);
    return administer(orgId, new AdminCommand.RotateKey(keyId, hasher.hash(key.secret()), grace.toMillis()))
        .thenApply(reply -> new IssuedKey(reply, key));
  }

  /** {@code stop_stream} (true): streams are ended at a budget; false: budgets are kept by holds alone. */
  public CompletionStage<AdminReply> setBudgetEnforcement(String orgId, boolean stopStreams) {
    return administer(orgId, new AdminCommand.SetBudgetEnforcement(stopStreams));
  }

  public CompletionStage<AdminReply> closeSession(String orgId, String session) {
    return administer(orgId, new AdminCommand.CloseSession(session));
  }

  public CompletionStage<AdminReply> reportOutcome(String orgId, BusinessOutcome outcome) {
    return administer(orgId, new AdminCommand.ReportOutcome(outcome));
  }

  public CompletionStage<AdminReply> reviewOutcome(String orgId, String outcomeId, boolean confirmed, String by) {
    return administer(orgId, new AdminCommand.ReviewOutcome(outcomeId, confirmed, by));
  }

  public CompletionStage<AdminReply> audit(String orgId, AuditEntry entry) {
    return administer(orgId, new AdminCommand.Audit(entry));
  }

  public CompletionStage<AdminReply> setMarkup(String orgId, Long markupPpm) {
    return administer(orgId, new AdminCommand.SetMarkup(markupPpm));
  }

  public CompletionStage<AdminReply> addWebhook(String orgId, Webhook webhook) {
    return administer(orgId, new AdminCommand.AddWebhook(webhook));
  }

  public CompletionStage<AdminReply> removeWebhook(String orgId, String webhookId) {
    return administer(orgId, new AdminCommand.RemoveWebhook(webhookId));
  }

  public CompletionStage<AdminReply> listWebhooks(String orgId) {
    return administer(orgId, new AdminCommand.ListWebhooks());
  }

  public CompletionStage<AdminReply> testWebhook(String orgId, String webhookId) {
    return administer(orgId, new AdminCommand.TestWebhook(webhookId));
  }

  public CompletionStage<AdminReply> alerts(String orgId) {
    return administer(orgId, new AdminCommand.DescribeAlerts());
  }

  public CompletionStage<AdminReply> setAlerts(String orgId, AlertPolicy policy) {
    return administer(orgId, new AdminCommand.SetAlerts(policy));
  }

  /** The org's policy ({@code keyId} null) or a key's. */
  public CompletionStage<AdminReply> policy(String orgId, String keyId) {
    return administer(orgId, new AdminCommand.DescribePolicy(keyId));
  }

  public CompletionStage<AdminReply> setPolicy(String orgId, String keyId, Policy policy) {
    return administer(orgId, new AdminCommand.SetPolicy(keyId, policy));
  }

  public CompletionStage<AdminReply> liftBlock(String orgId, String scope) {
    return administer(orgId, new AdminCommand.LiftBlock(scope));
  }

  public CompletionStage<AdminReply> disable(String orgId) {
    return administer(orgId, new AdminCommand.DisableOrg());
  }

  public CompletionStage<AdminReply> enable(String orgId) {
    return administer(orgId, new AdminCommand.EnableOrg());
  }

  public CompletionStage<AdminReply> setKeyLimits(String orgId, String keyId, Limits limits) {
    return administer(orgId, new AdminCommand.SetKeyLimits(keyId, limits));
  }

  public CompletionStage<AdminReply> setScopeLimits(String orgId, ScopeKey scope, Limits limits) {
    return administer(orgId, new AdminCommand.SetScopeLimits(scope.id(), limits));
  }

  public CompletionStage<AdminReply> removeScopeLimits(String orgId, ScopeKey scope) {
    return administer(orgId, new AdminCommand.RemoveScopeLimits(scope.id()));
  }

  public CompletionStage<AdminReply> listLimits(String orgId) {
    return administer(orgId, new AdminCommand.ListLimits());
  }

  public CompletionStage<AdminReply> listKeys(String orgId) {
    return administer(orgId, new AdminCommand.ListKeys());
  }

  public CompletionStage<AdminReply> revokeKey(String orgId, String keyId) {
    return administer(orgId, new AdminCommand.RevokeKey(keyId));
  }

  public CompletionStage<AdminReply> pricing(String orgId) {
    return administer(orgId, new AdminCommand.DescribePricing());
  }

  public CompletionStage<AdminReply> setPrice(String orgId, String model, ModelPrice price) {
    return administer(orgId, new AdminCommand.SetPrice(model, price));
  }

  public CompletionStage<AdminReply> removePrice(String orgId, String model) {
    return administer(orgId, new AdminCommand.RemovePrice(model));
  }

  public CompletionStage<AdminReply> setUnpricedModels(String orgId, UnpricedModels policy) {
    return administer(orgId, new AdminCommand.SetUnpricedModels(policy));
  }

  public CompletionStage<QuotaView> quota(String orgId) {
    return Stages.direct(org(orgId).ask(OrgCommand.GetQuota::new, timeout));
  }

  public CompletionStage<ScopeUsage> scopeUsage(String orgId, String scope) {
    return Stages.direct(org(orgId).ask(replyTo -> new OrgCommand.GetScopeUsage(scope, replyTo), timeout));
  }

  private CompletionStage<AdminReply> administer(String orgId, AdminCommand command) {
    return Stages.direct(org(orgId).ask(replyTo -> new OrgCommand.Administer(command, replyTo), timeout));
  }

  private EntityRef<OrgCommand> org(String orgId) {
    return sharding.entityRefFor(OrgEntity.TYPE_KEY, orgId);
  }
}
