package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;
import java.util.List;

/** Answers to {@link AdminCommand}s. */
public sealed interface AdminReply extends CborSerializable {
  record OrgDescription(OrgProfile profile, Limits limits, int activeKeys) implements AdminReply {}

  record KeyDescription(KeyInfo key) implements AdminReply {}

  record KeyList(List<KeyInfo> keys) implements AdminReply {}

  record PricingDescription(OrgPricing pricing) implements AdminReply {}

  record Rejected(Problem problem, String message) implements AdminReply {}

  enum Problem {
    NOT_FOUND,
    ALREADY_EXISTS
  }
}
