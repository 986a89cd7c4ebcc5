package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;
import java.util.List;
import java.util.Map;

/**
 * What the admin API may show about a key: everything but its hash.
 *
 * @param lastUsedAtMillis when a request of the key was last admitted, as journaled (null: never)
 * @param previousValidUntilMillis after a rotation, until when the secret before it works (null: none)
 */
public record KeyInfo(String id, String name, List<String> allowedModels, long createdAtMillis, Long revokedAtMillis,
    Limits limits, Map<String, String> binds, Long expiresAtMillis, Long lastUsedAtMillis, Long previousValidUntilMillis)
    implements CborSerializable {}
