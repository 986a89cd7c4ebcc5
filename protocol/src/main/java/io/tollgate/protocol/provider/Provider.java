package io.tollgate.protocol.provider;

/** Everything the gateway knows about one provider's wire format, found through {@link Providers}. */
public record Provider(
    ProviderId id, RequestInspector inspector, UsageExtractor usage, ErrorFormat errors) {}
