package io.tollgate.protocol.org;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.tollgate.protocol.CborSerializable;
import java.util.List;

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
    @JsonSubTypes.Type(value = AdminCommand.ListKeys.class, name = "list-keys")})
public sealed interface AdminCommand extends CborSerializable {
  record CreateOrg(String name, Limits limits) implements AdminCommand {}

  record SetLimits(Limits limits) implements AdminCommand {}

  /** The node generates the key id and secret and sends only the secret's hash. */
  record IssueKey(String keyId, String name, String secretHash, List<String> allowedModels) implements AdminCommand {}

  record RevokeKey(String keyId) implements AdminCommand {}

  record DescribeOrg() implements AdminCommand {}

  record ListKeys() implements AdminCommand {}
}
