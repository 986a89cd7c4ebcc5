package io.tollgate.protocol;

/**
 * Marker for every message, event and snapshot that crosses nodes or reaches the journal. The node binds it
 * to Pekko's Jackson CBOR serializer; nothing here depends on Pekko.
 */
public interface CborSerializable {}
