package io.tollgate.node.stream;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.stream.Materializer;

/** Reads whole bodies, without running a stream for one that already arrived whole. */
public final class Bodies {
  private Bodies() {}

  /**
   * The entity as a strict one, failing with {@link EntityStreamSizeException} past {@code maxBytes}.
   * Pekko's {@code toStrict(timeout, maxBytes)} materializes a stream even for a strict entity; most
   * request and response bodies here are strict already, so that cost is skipped.
   */
  public static CompletionStage<HttpEntity.Strict> strict(HttpEntity entity, long maxBytes, long timeoutMillis,
      Materializer materializer) {
    if (entity instanceof HttpEntity.Strict whole) {
      return whole.getData().size() > maxBytes
          ? CompletableFuture.failedFuture(new EntityStreamSizeException(maxBytes, scala.Option.apply((Object) (long) whole.getData().size())))
          : CompletableFuture.completedFuture(whole);
    }
    // withSizeLimit fails first (at maxBytes + 1) and with a size exception, whatever the framing.
    return Stages.direct(entity.withSizeLimit(maxBytes).toStrict(timeoutMillis, maxBytes + 1, materializer));
  }
}
