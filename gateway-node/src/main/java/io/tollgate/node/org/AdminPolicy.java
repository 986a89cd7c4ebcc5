package io.tollgate.node.org;

import io.tollgate.node.org.OrgAccount.AdminDecision;
import io.tollgate.protocol.Saturating;
import io.tollgate.protocol.org.AdminCommand.CreateOrg;
import io.tollgate.protocol.org.AdminCommand.DescribePricing;
import io.tollgate.protocol.org.AdminCommand.IssueKey;
import io.tollgate.protocol.org.AdminCommand.ListKeys;
import io.tollgate.protocol.org.AdminCommand.ListLimits;
import io.tollgate.protocol.org.AdminCommand.RemoveScopeLimits;
import io.tollgate.protocol.org.AdminCommand.SetKeyLimits;
import io.tollgate.protocol.org.AdminCommand.SetScopeLimits;
import io.tollgate.protocol.org.AdminCommand.RemovePrice;
import io.tollgate.protocol.org.AdminCommand.RevokeKey;
import io.tollgate.protocol.org.AdminCommand.SetLimits;
import io.tollgate.protocol.org.AdminCommand.SetPrice;
import io.tollgate.protocol.org.AdminCommand.SetUnpricedModels;
import io.tollgate.protocol.org.AdminCommand;
import io.tollgate.protocol.org.AdminReply.Problem;
import io.tollgate.protocol.org.AdminReply;
import io.tollgate.protocol.org.ApiKey;
import io.tollgate.protocol.org.Block;
import io.tollgate.protocol.org.Limits;
import io.tollgate.protocol.org.OrgBook;
import io.tollgate.protocol.org.OrgEvent;
import io.tollgate.protocol.org.OrgPricing;
import io.tollgate.protocol.org.OrgProfile;
import io.tollgate.protocol.org.PriceOverride;
import io.tollgate.protocol.org.Webhook;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Which admin changes an org accepts, given its book: each command is either answered at once (a refusal,
 * a read, a change already made) or becomes the one event to journal before it is answered.
 */
final class AdminPolicy {
  private final String orgId;

  AdminPolicy(String orgId) {
    this.orgId = orgId;
  }

  AdminDecision decide(OrgBook book, AdminCommand command, long now) {
    if (command instanceof CreateOrg c) {
      return book.exists()
          ? answer(new AdminReply.Rejected(Problem.ALREADY_EXISTS, "Org '" + orgId + "' already exists."))
          : journal(new OrgEvent.OrgCreated(new OrgProfile(orgId, c.name(), now, c.timeZone()), c.limits()));
    }
    if (!book.exists()) {
      return answer(noOrg());
    }
    if (command instanceof SetLimits c) {
      return journal(new OrgEvent.LimitsChanged(c.limits(), now));
    } else if (command instanceof IssueKey c) {
      return book.keys().containsKey(c.keyId())
          ? answer(new AdminReply.Rejected(Problem.ALREADY_EXISTS, "Key '" + c.keyId() + "' already exists."))
          : journal(new OrgEvent.KeyIssued(new ApiKey(c.keyId(), c.name(), c.secretHash(), c.allowedModels(), now, null,
              c.limits(), c.binds(), c.expiresAtMillis(), null, null)));
    } else if (command instanceof AdminCommand.RotateKey c) {
      ApiKey key = book.keys().get(c.keyId());
      if (key == null) {
        return answer(noKey(c.keyId()));
      }
      return key.revoked() ? answer(new AdminReply.Rejected(Problem.INVALID, "Key '" + c.keyId() + "' is revoked."))
          : journal(new OrgEvent.KeyRotated(key.id(), c.secretHash(), Saturating.add(now, c.graceMillis()), now));
    } else if (command instanceof AdminCommand.SetBudgetEnforcement c) {
      return book.profile().stopStreams() == c.stopStreams() ? answer(answer(book, command, now))
          : journal(new OrgEvent.BudgetEnforcementSet(c.stopStreams(), now));
    } else if (command instanceof AdminCommand.DisableOrg) {
      return book.profile().disabled() ? answer(answer(book, command, now)) : journal(new OrgEvent.OrgDisabled(now));
    } else if (command instanceof AdminCommand.EnableOrg) {
      return book.profile().disabled() ? journal(new OrgEvent.OrgEnabled(now)) : answer(answer(book, command, now));
    } else if (command instanceof AdminCommand.SetMarkup c) {
      return Objects.equals(book.profile().markupPpm(), c.markupPpm()) ? answer(answer(book, command, now))
          : journal(new OrgEvent.MarkupSet(c.markupPpm(), now));
    } else if (command instanceof AdminCommand.AddWebhook c) {
      return book.alerts().webhooks().containsKey(c.webhook().id())
          ? answer(new AdminReply.Rejected(Problem.ALREADY_EXISTS, "Webhook '" + c.webhook().id() + "' already exists."))
          : journal(new OrgEvent.WebhookAdded(c.webhook()));
    } else if (command instanceof AdminCommand.RemoveWebhook c) {
      return book.alerts().webhooks().containsKey(c.webhookId())
          ? journal(new OrgEvent.WebhookRemoved(c.webhookId(), now)) : answer(noWebhook(c.webhookId()));
    } else if (command instanceof AdminCommand.TestWebhook c) {
      return book.alerts().webhooks().containsKey(c.webhookId())
          ? journal(new OrgEvent.WebhookTested(c.webhookId(), now)) : answer(noWebhook(c.webhookId()));
    } else if (command instanceof AdminCommand.SetAlerts c) {
      return c.policy().equals(book.alerts().policy()) ? answer(alerts(book, now))
          : journal(new OrgEvent.AlertsConfigured(c.policy(), now));
    } else if (command instanceof AdminCommand.SetPolicy c) {
      if (c.keyId() != null && !book.keys().containsKey(c.keyId())) {
        return answer(noKey(c.keyId()));
      }
      return c.policy().equals(book.policies().of(c.keyId())) ? answer(answer(book, command, now))
          : journal(new OrgEvent.PolicySet(c.keyId(), c.policy(), now));
    } else if (command instanceof AdminCommand.DescribePolicy c) {
      return c.keyId() != null && !book.keys().containsKey(c.keyId()) ? answer(noKey(c.keyId()))
          : answer(answer(book, command, now));
    } else if (command instanceof AdminCommand.DescribeAlerts) {
      return answer(alerts(book, now));
    } else if (command instanceof AdminCommand.LiftBlock c) {
      return book.alerts().blockOf(c.scope(), now) != null ? journal(new OrgEvent.BlockLifted(c.scope(), now))
          : answer(new AdminReply.Rejected(Problem.NOT_FOUND, "No block on " + c.scope() + " in org '" + orgId + "'."));
    } else if (command instanceof AdminCommand.CloseSession c) {
      return journal(new OrgEvent.SessionClosed(c.session(), now));
    } else if (command instanceof AdminCommand.ReportOutcome c) {
      return journal(new OrgEvent.OutcomeReported(c.outcome()));
    } else if (command instanceof AdminCommand.ReviewOutcome c) {
      return journal(new OrgEvent.OutcomeReviewed(c.outcomeId(), c.confirmed(), c.by(), now));
    } else if (command instanceof AdminCommand.Audit c) {
      return journal(new OrgEvent.AdminAudited(c.entry()));
    } else if (command instanceof AdminCommand.SetTimeZone c) {
      return journal(new OrgEvent.TimeZoneSet(c.timeZone(), now));
    } else if (command instanceof AdminCommand.ApplyPlan c) {
      boolean stale = book.plan() != null && book.plan().seq() >= c.plan().seq(); // heard already, or a later one
      return stale ? answer(answer(book, command, now)) : journal(new OrgEvent.PlanApplied(c.plan(), now));
    } else if (command instanceof SetKeyLimits c) {
      return book.keys().containsKey(c.keyId()) ? journal(new OrgEvent.KeyLimitsSet(c.keyId(), c.limits(), now))
          : answer(noKey(c.keyId()));
    } else if (command instanceof SetScopeLimits c) {
      return journal(new OrgEvent.ScopeLimitsSet(c.scope(), c.limits(), now));
    } else if (command instanceof RemoveScopeLimits c) {
      return book.rules().byScope().containsKey(c.scope()) ? journal(new OrgEvent.ScopeLimitsRemoved(c.scope(), now))
          : answer(new AdminReply.Rejected(Problem.NOT_FOUND, "Org '" + orgId + "' has no limits for " + c.scope() + "."));
    } else if (command instanceof RevokeKey c) {
      ApiKey key = book.keys().get(c.keyId());
      if (key == null) {
        return answer(noKey(c.keyId()));
      }
      return key.revoked() ? answer(new AdminReply.KeyDescription(key.info())) : journal(new OrgEvent.KeyRevoked(key.id(), now));
    } else if (command instanceof SetPrice c) {
      return journal(new OrgEvent.PriceOverrideSet(new PriceOverride(OrgPricing.key(c.model()), c.price(), now)));
    } else if (command instanceof RemovePrice c) {
      if (book.pricing().overrideFor(c.model()) == null) {
        return answer(new AdminReply.Rejected(Problem.NOT_FOUND, "Org '" + orgId + "' has no price of its own for '"
            + c.model() + "'."));
      }
      return journal(new OrgEvent.PriceOverrideRemoved(OrgPricing.key(c.model()), now));
    } else if (command instanceof SetUnpricedModels c) {
      return journal(new OrgEvent.UnpricedModelsSet(c.policy(), now));
    }
    return answer(answer(book, command, now));
  }

  /** The reply to an admin command given the book as it is now (after its event, if any, is journaled). */
  AdminReply answer(OrgBook book, AdminCommand command, long now) {
    if (!book.exists()) {
      return noOrg();
    }
    if (command instanceof AdminCommand.SetAlerts || command instanceof AdminCommand.LiftBlock) {
      return alerts(book, now);
    }
    if (command instanceof AdminCommand.SetPolicy c) {
      return new AdminReply.PolicyDescription(c.keyId(), book.policies().of(c.keyId()));
    } else if (command instanceof AdminCommand.DescribePolicy c) {
      return new AdminReply.PolicyDescription(c.keyId(), book.policies().of(c.keyId()));
    }
    if (command instanceof IssueKey c) {
      return new AdminReply.KeyDescription(book.keys().get(c.keyId()).info());
    } else if (command instanceof SetKeyLimits c) {
      return new AdminReply.KeyDescription(book.keys().get(c.keyId()).info());
    } else if (command instanceof AdminCommand.RotateKey c) {
      return new AdminReply.KeyDescription(book.keys().get(c.keyId()).info(book.lastUsed().get(c.keyId())));
    } else if (command instanceof SetScopeLimits c) {
      return new AdminReply.ScopeLimitsDescription(c.scope(), book.rules().byScope().get(c.scope()));
    } else if (command instanceof RemoveScopeLimits c) {
      return new AdminReply.ScopeLimitsDescription(c.scope(), null);
    } else if (command instanceof ListLimits) {
      Map<String, Limits> keys = new TreeMap<>();
      book.keys().values().stream().filter(k -> k.limits() != null).forEach(k -> keys.put(k.id(), k.limits()));
      return new AdminReply.LimitsList(book.limits(), new TreeMap<>(book.rules().byScope()), keys);
    } else if (command instanceof RevokeKey c) {
      return new AdminReply.KeyDescription(book.keys().get(c.keyId()).info());
    } else if (command instanceof AdminCommand.AddWebhook c) {
      return new AdminReply.WebhookDescription(book.alerts().webhooks().get(c.webhook().id()));
    } else if (command instanceof AdminCommand.TestWebhook c) {
      return new AdminReply.WebhookDescription(book.alerts().webhooks().get(c.webhookId()));
    } else if (command instanceof AdminCommand.RemoveWebhook || command instanceof AdminCommand.ListWebhooks) {
      return new AdminReply.WebhookList(webhooks(book));
    } else if (command instanceof ListKeys) {
      return new AdminReply.KeyList(book.keys().values().stream()
          .sorted(Comparator.comparingLong(ApiKey::createdAtMillis).thenComparing(ApiKey::id))
          .map(k -> k.info(book.lastUsed().get(k.id()))).toList());
    }
    if (command instanceof SetPrice || command instanceof RemovePrice || command instanceof SetUnpricedModels
        || command instanceof DescribePricing) {
      return new AdminReply.PricingDescription(book.pricing());
    }
    // CreateOrg, SetLimits, DescribeOrg, SetTimeZone, ApplyPlan, DisableOrg, EnableOrg, SetBudgetEnforcement,
    // CloseSession, ReportOutcome, ReviewOutcome, SetMarkup, Audit
    int active = (int) book.keys().values().stream().filter(k -> !k.revoked()).count();
    return new AdminReply.OrgDescription(book.profile(), book.limits(), active, book.planName(), book.orgLimits());
  }

  private static AdminReply alerts(OrgBook book, long now) {
    List<Block> blocks = book.alerts().blocks().values().stream().filter(b -> b.holds(now))
        .sorted(Comparator.comparing(Block::scope)).toList();
    return new AdminReply.AlertsDescription(book.alerts().policy(), blocks, book.alerts().anomalies(),
        new TreeMap<>(book.alerts().baselines()), now);
  }

  private static List<Webhook> webhooks(OrgBook book) {
    return book.alerts().webhooks().values().stream()
        .sorted(Comparator.comparingLong(Webhook::createdAtMillis).thenComparing(Webhook::id)).toList();
  }

  private AdminReply noWebhook(String webhookId) {
    return new AdminReply.Rejected(Problem.NOT_FOUND, "No webhook '" + webhookId + "' in org '" + orgId + "'.");
  }

  private AdminReply noKey(String keyId) {
    return new AdminReply.Rejected(Problem.NOT_FOUND, "No key '" + keyId + "' in org '" + orgId + "'.");
  }

  private AdminReply noOrg() {
    return new AdminReply.Rejected(Problem.NOT_FOUND, "No org '" + orgId + "'.");
  }

  private static AdminDecision journal(OrgEvent event) {
    return new AdminDecision.Journal(event);
  }

  private static AdminDecision answer(AdminReply reply) {
    return new AdminDecision.Answer(reply);
  }
}
