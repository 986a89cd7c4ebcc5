package io.tollgate.node.org;

import io.tollgate.protocol.CborSerializable;
import io.tollgate.protocol.org.AdminCommand;
import io.tollgate.protocol.org.AdminReply;
import io.tollgate.protocol.org.Admission;
import io.tollgate.protocol.org.AdmitRequest;
import io.tollgate.protocol.org.OrgBook;
import io.tollgate.protocol.org.QuotaView;
import io.tollgate.protocol.org.ScopeUsage;
import io.tollgate.protocol.org.UsageAck;
import io.tollgate.protocol.org.UsageRecord;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What an {@link OrgEntity} understands. Those marked serializable come from any node; the rest are its
 * own timers and its ledger's answers, which never leave the node.
 */
public sealed interface OrgCommand {
  record Admit(AdmitRequest request, ActorRef<Admission> replyTo) implements OrgCommand, CborSerializable {}

  /** Checks key and model only, for calls passed through unmetered; nothing is held or counted. */
  record Authenticate(AdmitRequest request, ActorRef<Admission> replyTo) implements OrgCommand, CborSerializable {}

  /** A question answered from the account as it is, changing nothing. */
  sealed interface Read extends OrgCommand {
    void answer(OrgAccount account, long now);
  }

  /** Checks a key alone, for the model listings: answered with {@link Admission.ModelAccess} or a denial, never counted. */
  record CheckKey(String keyId, String secretHash, ActorRef<Admission> replyTo) implements Read, CborSerializable {
    @Override
    public void answer(OrgAccount account, long now) {
      replyTo.tell(account.keyAccess(keyId, secretHash, now));
    }
  }

  record Settle(UsageRecord record, ActorRef<UsageAck> replyTo) implements OrgCommand, CborSerializable {}

  /**
   * The requester stopped waiting for its admission (and answered 503): release the hold if the org did
   * admit it, so a request the client never got is not counted.
   */
  record Withdraw(String requestId) implements OrgCommand, CborSerializable {}

  /**
   * The requester failed after calling the upstream, so what it used is unknown: journal its hold as
   * abandoned now (the hold stays against the budget), not when the hold expires.
   */
  record Abandon(String requestId) implements OrgCommand, CborSerializable {}

  record GetQuota(ActorRef<QuotaView> replyTo) implements Read, CborSerializable {
    @Override
    public void answer(OrgAccount account, long now) {
      replyTo.tell(account.quota(now));
    }
  }

  /**
   * The live usage of one scope value ({@code team:research}, its limits as its own or its scope's
   * default) or of every tracked value of a scope ({@code team}).
   */
  record GetScopeUsage(String scope, ActorRef<ScopeUsage> replyTo) implements Read, CborSerializable {
    @Override
    public void answer(OrgAccount account, long now) {
      replyTo.tell(account.scopeUsage(scope, now));
    }
  }

  record Administer(AdminCommand command, ActorRef<AdminReply> replyTo) implements OrgCommand, CborSerializable {}

  /** Sent by sharding to passivate or hand off: flush what is pending, then stop. */
  enum Stop implements OrgCommand, CborSerializable {
    INSTANCE
  }

  record LedgerRecovered(OrgBook book) implements OrgCommand {}

  record LedgerWritten(OrgBook book) implements OrgCommand {}

  enum Flush implements OrgCommand {
    INSTANCE
  }

  enum Sweep implements OrgCommand {
    INSTANCE
  }
}
