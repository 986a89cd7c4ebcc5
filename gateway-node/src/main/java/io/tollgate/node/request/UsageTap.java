package io.tollgate.node.request;

import io.tollgate.protocol.provider.StreamUsageReader;
import io.tollgate.protocol.usage.SseSplitter;
import java.io.ByteArrayOutputStream;
import java.util.function.Consumer;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * Sits in a streamed response between upstream and client: passes the bytes on as they come while a
 * {@link StreamUsageReader} reads the usage out of them, and reports once how the stream ended. When the
 * reader rewrites (to hide usage the client did not ask for), whole events are passed instead of chunks.
 * A client that goes away cancels the upstream through this stage. With a {@link StreamStop}, the stream is
 * passed event by event and, once its running cost reaches the stop, ended with the provider's end of
 * stream and the upstream cancelled.
 */
public final class UsageTap extends GraphStage<FlowShape<ByteString, ByteString>> {

  /** How a stream ended. */
  public enum End {
    COMPLETED,
    UPSTREAM_FAILED,
    CLIENT_CANCELLED,
    /** Ended by the gateway at a budget. */
    STOPPED
  }

  /** Called on the stream's thread; the reader is no longer touched by the stage afterwards. */
  public interface Listener {
    void started();

    /** The bytes about to go to the client, each piece before the end is told. */
    default void passed(ByteString bytes) {}

    void ended(End end, Throwable cause);
  }

  private final Inlet<ByteString> in = Inlet.create("UsageTap.in");
  private final Outlet<ByteString> out = Outlet.create("UsageTap.out");
  private final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);
  private final StreamUsageReader reader;
  private final StreamStop stop;
  private final Listener listener;

  /** @param stop where to end the stream; null: never */
  public UsageTap(StreamUsageReader reader, StreamStop stop, Listener listener) {
    this.reader = reader;
    this.stop = stop;
    this.listener = listener;
  }

  @Override
  public FlowShape<ByteString, ByteString> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new GraphStageLogic(shape) {
      private final SseSplitter splitter = new SseSplitter();
      private final boolean byEvent = reader.rewrites() || stop != null;
      private boolean ended;
      private boolean stopped;

      {
        setHandler(in, new AbstractInHandler() {
          @Override
          public void onPush() {
            ByteString chunk = grab(in);
            byte[] bytes = chunk.toArray();
            if (!byEvent) {
              splitter.feed(bytes, reader::onEvent);
              listener.passed(chunk);
              push(out, chunk);
              return;
            }
            ByteString rewritten = rewrite(sink -> splitter.feed(bytes, sink));
            listener.passed(rewritten);
            if (stopped) {
              end(End.STOPPED, null);
              emit(out, rewritten, () -> completeStage()); // completing cancels the upstream
            } else if (rewritten.isEmpty()) {
              pull(in);
            } else {
              push(out, rewritten);
            }
          }

          @Override
          public void onUpstreamFinish() {
            ByteString rest = rewrite(splitter::finish);
            listener.passed(rest);
            end(stopped ? End.STOPPED : End.COMPLETED, null);
            if (byEvent && !rest.isEmpty()) {
              emit(out, rest, () -> completeStage());
            } else {
              completeStage();
            }
          }

          @Override
          public void onUpstreamFailure(Throwable ex) {
            splitter.finish(reader::onEvent);
            end(End.UPSTREAM_FAILED, ex);
            failStage(ex);
          }
        });
        setHandler(out, new AbstractOutHandler() {
          @Override
          public void onPull() {
            pull(in);
          }

          @Override
          public void onDownstreamFinish(Throwable cause) {
            end(End.CLIENT_CANCELLED, cause);
            cancelStage(cause);
          }
        });
      }

      @Override
      public void preStart() {
        listener.started();
      }

      @Override
      public void postStop() {
        end(End.CLIENT_CANCELLED, null); // stopped without finishing, e.g. the connection was torn down
      }

      private ByteString rewrite(Consumer<Consumer<io.tollgate.protocol.usage.SseEvent>> feed) {
        ByteArrayOutputStream rewritten = new ByteArrayOutputStream();
        feed.accept(event -> {
          if (stopped) {
            return; // past the stop: what the provider still sends goes nowhere
          }
          rewritten.writeBytes(reader.onEvent(event));
          if (stop != null && stop.reached(event, reader)) {
            stopped = true;
            rewritten.writeBytes(stop.end());
          }
        });
        return rewritten.size() == 0 ? ByteString.emptyByteString() : ByteString.fromArrayUnsafe(rewritten.toByteArray());
      }

      private void end(End end, Throwable cause) {
        if (!ended) {
          ended = true;
          listener.ended(end, cause);
        }
      }
    };
  }
}
