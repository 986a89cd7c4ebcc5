package io.tollgate.protocol.provider;

import io.tollgate.protocol.Json;
import io.tollgate.protocol.usage.ReportedUsage;
import io.tollgate.protocol.usage.SseEvent;
import io.tollgate.protocol.usage.TokenUsage;
import io.tollgate.protocol.usage.UsageJson;
import java.util.Optional;

/** Usage of an API whose answers are read whole, never streamed: images, audio, files, batches. */
public abstract class WholeBodyUsage implements UsageExtractor {

  @Override
  public String completionText(byte[] body) {
    return "";
  }

  @Override
  public StreamUsageReader streamReader(boolean hideForcedUsage) {
    return new EventStreamReader((event, text) -> { }) {
      @Override
      protected boolean handle(SseEvent event) {
        return true;
      }
    };
  }

  /** Nothing billed: the call is recorded with no tokens, under the model its answer names if {@code modelFromBody}. */
  public static WholeBodyUsage free(boolean modelFromBody) {
    return new WholeBodyUsage() {
      @Override
      public Optional<ReportedUsage> fromBody(byte[] body) {
        String model = modelFromBody ? UsageJson.text(Json.treeOrNull(body), "model") : null;
        return Optional.of(new ReportedUsage(model, TokenUsage.ZERO));
      }
    };
  }
}
