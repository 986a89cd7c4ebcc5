package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;

/**
 * One admin change of an org, as its audit trail keeps it: who (the token, its name and role), what (the call),
 * the answer's status, and the part of the org it changed before and after, as the admin API shows it.
 *
 * @param action the call: {@code PUT /admin/orgs/acme/limits/team/research}
 * @param before the changed part's JSON before the change; null when the call changes no such part
 * @param after its JSON after
 */
public record AuditEntry(String tokenId, String tokenName, String role, String action, int status, String before,
    String after, long atMillis) implements CborSerializable {}
