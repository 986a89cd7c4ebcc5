package io.tollgate.protocol.provider;

import io.tollgate.protocol.provider.openai.OpenAiChatInspector;
import io.tollgate.protocol.provider.openai.OpenAiChatUsage;
import io.tollgate.protocol.provider.openai.OpenAiErrorFormat;
import java.util.EnumMap;
import java.util.Map;

/** The registry of provider formats. Adding a provider means adding its classes and one line here. */
public final class Providers {
  private static final Map<ProviderId, Provider> BY_ID = new EnumMap<>(ProviderId.class);

  static {
    register(new Provider(ProviderId.OPENAI, new OpenAiChatInspector(), new OpenAiChatUsage(), new OpenAiErrorFormat()));
  }

  private Providers() {}

  private static void register(Provider provider) {
    BY_ID.put(provider.id(), provider);
  }

  public static Provider get(ProviderId id) {
    Provider provider = BY_ID.get(id);
    if (provider == null) {
      throw new IllegalArgumentException("no wire format registered for " + id);
    }
    return provider;
  }
}
