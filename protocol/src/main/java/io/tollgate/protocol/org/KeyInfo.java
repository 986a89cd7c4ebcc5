package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;
import java.util.List;
import java.util.Map;

/** What the admin API may show about a key: everything but its hash. */
public record KeyInfo(String id, String name, List<String> allowedModels, long createdAtMillis, Long revokedAtMillis,
    Limits limits, Map<String, String> binds)
    implements CborSerializable {}
