package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;

/**
 * The plan an org is on, as last applied to it: the plan's name, its limits, and the plan book's sequence
 * number of that change, so a change applied twice or out of order counts once, the latest.
 */
public record OrgPlan(String name, long seq, Limits limits) implements CborSerializable {}
