package io.tollgate.node.http;

import java.time.Duration;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ResponseEntity;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.BidiShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * Closes a connection that has carried no request for the keep-alive timeout. Pekko's own idle timeout
 * counts silence inside a request too, so it must stay as long as a provider may think (the upstream
 * timeout); this one only runs while the connection has no request open, from its opening until a request
 * arrives and from the last byte of each answer until the next. Joined per connection, between the HTTP
 * layer and the handler: requests pass down, answers up.
 */
public final class KeepAliveTimeout
    extends GraphStage<BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse>> {
  private static final String TIMER = "keep-alive";

  private final Inlet<HttpRequest> requestsIn = Inlet.create("KeepAliveTimeout.requestsIn");
  private final Outlet<HttpRequest> requestsOut = Outlet.create("KeepAliveTimeout.requestsOut");
  private final Inlet<HttpResponse> answersIn = Inlet.create("KeepAliveTimeout.answersIn");
  private final Outlet<HttpResponse> answersOut = Outlet.create("KeepAliveTimeout.answersOut");
  private final BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse> shape =
      BidiShape.of(requestsIn, requestsOut, answersIn, answersOut);
  private final Duration timeout;

  private KeepAliveTimeout(Duration timeout) {
    this.timeout = timeout;
  }

  /** The handler behind a keep-alive timeout, for {@code bindFlow}. */
  public static Flow<HttpRequest, HttpResponse, NotUsed> around(Flow<HttpRequest, HttpResponse, NotUsed> handler,
      Duration timeout) {
    return BidiFlow.fromGraph(new KeepAliveTimeout(timeout)).join(handler);
  }

  @Override
  public BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new TimerGraphStageLogic(shape) {
      // Requests passed to the handler whose answer has not been sent to its last byte. The timer runs
      // only while this is zero.
      private int open;
      private final AsyncCallback<Object> answerSent = createAsyncCallback(ignored -> closed());

      {
        setHandler(requestsIn, new AbstractInHandler() {
          @Override
          public void onPush() {
            open++;
            cancelTimer(TIMER);
            push(requestsOut, grab(requestsIn));
          }

          // Each direction ends on its own: the HTTP layer stops reading requests (a body left unread, a
          // Connection: close) while an answer is still on its way, and that answer must still go out.
          @Override
          public void onUpstreamFinish() {
            complete(requestsOut);
          }
        });
        setHandler(requestsOut, new AbstractOutHandler() {
          @Override
          public void onPull() {
            pull(requestsIn);
          }

          @Override
          public void onDownstreamFinish(Throwable cause) {
            cancel(requestsIn, cause);
          }
        });
        setHandler(answersIn, new AbstractInHandler() {
          @Override
          public void onPush() {
            HttpResponse answer = grab(answersIn);
            ResponseEntity entity = answer.entity();
            if (entity instanceof HttpEntity.Strict) {
              push(answersOut, answer);
              closed();
            } else {
              push(answersOut, answer.withEntity(watched(entity)));
            }
          }

          @Override
          public void onUpstreamFinish() {
            complete(answersOut);
          }
        });
        setHandler(answersOut, new AbstractOutHandler() {
          @Override
          public void onPull() {
            pull(answersIn);
          }

          @Override
          public void onDownstreamFinish(Throwable cause) {
            cancel(answersIn, cause);
          }
        });
      }

      @Override
      public void preStart() {
        scheduleOnce(TIMER, timeout);
      }

      @Override
      public void onTimer(Object key) {
        if (open == 0) {
          completeStage();
        }
      }

      private void closed() {
        if (--open == 0) {
          scheduleOnce(TIMER, timeout);
        }
      }

      /** The same entity and framing, telling this stage when its last byte is sent (or the client left). */
      private ResponseEntity watched(ResponseEntity entity) {
        Flow<ByteString, ByteString, NotUsed> watch = Flow.<ByteString>create().watchTermination((mat, done) -> {
          // On the completing thread: Pekko's stages would otherwise run the callback on the common pool.
          done.whenCompleteAsync((d, e) -> answerSent.invoke(Boolean.TRUE), Runnable::run);
          return mat;
        });
        if (entity instanceof HttpEntity.Default sized) {
          return HttpEntities.create(sized.getContentType(), sized.getContentLength(), sized.getDataBytes().via(watch));
        }
        if (entity instanceof HttpEntity.CloseDelimited) {
          return HttpEntities.createCloseDelimited(entity.getContentType(), entity.getDataBytes().via(watch));
        }
        return HttpEntities.createChunked(entity.getContentType(), entity.getDataBytes().via(watch));
      }
    };
  }
}
