package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;
import java.util.List;

/** Administrative changes and reads of one org. Changes are answered once journaled. */
public sealed interface AdminCommand extends CborSerializable {
  record CreateOrg(String name, Limits limits) implements AdminCommand {}

  record SetLimits(Limits limits) implements AdminCommand {}

  /** The node generates the key id and secret and sends only the secret's hash. */
  record IssueKey(String keyId, String name, String secretHash, List<String> allowedModels) implements AdminCommand {}

  record RevokeKey(String keyId) implements AdminCommand {}

  record DescribeOrg() implements AdminCommand {}

  record ListKeys() implements AdminCommand {}
}
