package io.tollgate.node.request;

import io.tollgate.node.request.RequestActor.StreamEnded;
import io.tollgate.node.request.RequestActor.StreamStartTimedOut;
import io.tollgate.node.request.RequestActor.StreamStarted;
import io.tollgate.protocol.org.Admission.Admitted;
import io.tollgate.protocol.org.Outcome;
import io.tollgate.protocol.provider.StreamUsageReader;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;

/**
 * The upstream answered with a stream: it passes to the client byte for byte through a {@link UsageTap}, which
 * reads its usage on the way and says when it ends.
 */
final class Streaming extends Phase {
  /** If the client is gone before the body is even subscribed, the tap never starts; don't wait forever. */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private final HttpResponse answer;
  private final StreamUsageReader reader;
  private boolean started;
  /** With an Idempotency-Key: the bytes passed on, for repeats, up to the most kept; null otherwise. */
  private Recorded recorded;
  private List<HttpHeader> headers;

  /**
   * The bytes of a stream as they pass, up to a cap; past it, only that it was larger. Written on the stream's
   * thread, read by the actor after the tap said the stream ended (the message orders them).
   */
  private static final class Recorded {
    private final long cap;
    private final ByteStringBuilder bytes = new ByteStringBuilder();
    private boolean over;

    Recorded(long cap) {
      this.cap = cap;
    }

    void add(ByteString chunk) {
      if (!over && bytes.length() + chunk.size() <= cap) {
        bytes.append(chunk);
      } else {
        over = true;
      }
    }

    /** What passed, or null if it was more than the cap. */
    byte[] all() {
      return over ? null : bytes.result().toArray();
    }
  }

  Streaming(RequestActor request, Admitted grant, HttpResponse answer) {
    super(request, grant);
    this.answer = answer;
    this.reader = request.call.endpoint().usage().streamReader(request.call.hidesStreamUsage());
  }

  @Override
  Behavior<Object> start() {
    ActorRef<Object> self = request.self();
    StreamStop stop = StreamStop.of(request.call, grant, request.deps.metering());
    Recorded recording = request.keepsAnswer() ? new Recorded(request.keptAnswerMaxBytes()) : null;
    recorded = recording;
    UsageTap tap = new UsageTap(reader, stop, new UsageTap.Listener() {
      @Override
      public void started() {
        self.tell(StreamStarted.INSTANCE);
      }

      @Override
      public void passed(ByteString bytes) {
        if (recording != null) {
          recording.add(bytes);
        }
      }

      @Override
      public void ended(UsageTap.End end, Throwable cause) {
        self.tell(new StreamEnded(end, cause));
      }
    });
    Source<ByteString, Object> body = answer.entity().getDataBytes().via(tap);
    if (request.waitsForJournal(grant)) {
      request.journaled = new CompletableFuture<>();
      body = body.concat(Source.completionStage(request.journaled).flatMapConcat(done -> Source.<ByteString>empty()));
    }
    headers = GatewayResponses.responseHeaders(answer.getHeaders(), request.call.requestId(),
        grant == null ? null : grant.limits(), request.now());
    headers.add(GatewayResponses.servedBy(request.call));
    if (request.cacheKey != null) {
      headers.add(RawHeader.create(ResponseCache.HEADER, "miss"));
    }
    HttpResponse response = HttpResponse.create()
        .withStatus(answer.status())
        .addHeaders(headers)
        .withEntity(HttpEntities.createChunked(answer.entity().getContentType(), body));
    request.await(StreamStartTimedOut.INSTANCE, START_TIMEOUT);
    request.respond(response, answer.status().intValue());
    return this;
  }

  @Override
  Behavior<Object> on(Object msg) {
    if (msg instanceof StreamEnded ended) {
      return ended(ended.end());
    } else if (msg == StreamStarted.INSTANCE) {
      started = true; // its wait, if it still comes, is ignored; the end of the stream cancels it
      return this;
    } else if (msg == StreamStartTimedOut.INSTANCE) {
      return started ? this : ended(UsageTap.End.CLIENT_CANCELLED);
    }
    return late(msg);
  }

  @Override
  void release() {
    abandon();
  }

  private Behavior<Object> ended(UsageTap.End end) {
    request.cancelWait();
    request.deps.faults().at(RequestFaults.Stage.STREAMED, request.call);
    Metering.Metered metered = request.deps.metering().streamed(request.call, grant, reader);
    Outcome outcome = Metering.outcome(end, reader);
    if (outcome != Outcome.COMPLETED) {
      RequestActor.log.atInfo().addKeyValue("request_id", request.call.requestId()).addKeyValue("outcome", outcome)
          .addKeyValue("usage_reported", reader.usage().isPresent()).log("stream ended early");
    }
    if (request.journaled != null) {
      request.awaitJournal();
    }
    if (recorded != null && outcome == Outcome.COMPLETED) {
      request.replayable = request.deps.idempotency().answer(request.call.requestId(), answer.status().intValue(),
          answer.entity().getContentType(), headers, recorded.all());
    }
    return finish(outcome, metered);
  }
}
