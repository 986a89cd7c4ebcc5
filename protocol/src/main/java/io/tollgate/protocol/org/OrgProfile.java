package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;

public record OrgProfile(String id, String name, long createdAtMillis) implements CborSerializable {}
