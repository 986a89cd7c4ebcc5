package io.tollgate.bench;

import com.typesafe.config.ConfigFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.ConnectHttp;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The floor the benchmark compares Tollgate with: a Pekko HTTP server that forwards every request to one
 * upstream through a materialized host connection pool (the same client path Tollgate uses) and passes the
 * response back, with no authentication, accounting or journal.
 * {@code java -cp tollgate-load-tests-*-simulator.jar io.tollgate.bench.BareProxy <port> <upstream host> <upstream port>}
 */
public final class BareProxy {
  private BareProxy() {}

  public static void main(String[] args) throws Exception {
    if (System.getProperty("java.util.concurrent.ForkJoinPool.common.parallelism") == null) {
      System.setProperty("java.util.concurrent.ForkJoinPool.common.parallelism", "2");
    }
    int port = Integer.parseInt(args[0]);
    // The same dispatcher layout as a Tollgate node (gateway-node's application.conf), so the floor is fair.
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bare-proxy", ConfigFactory.parseString("""
        pekko.actor.default-dispatcher.fork-join-executor { parallelism-min = 2, parallelism-factor = 1.0, parallelism-max = 64 }
        pekko.actor.internal-dispatcher.fork-join-executor { parallelism-min = 1, parallelism-max = 2 }
        pekko.io.tcp { worker-dispatcher = "pekko.actor.default-dispatcher", management-dispatcher = "pekko.actor.default-dispatcher" }
        pekko.http.host-connection-pool { max-connections = 1024, max-open-requests = 4096 }
        pekko.loglevel = WARNING
        """).withFallback(ConfigFactory.load()));
    var pool = Http.get(system).<CompletableFuture<HttpResponse>>cachedHostConnectionPool(
        ConnectHttp.toHost(args[1], Integer.parseInt(args[2])));
    BoundedSourceQueue<Pair<HttpRequest, CompletableFuture<HttpResponse>>> queue =
        Source.<Pair<HttpRequest, CompletableFuture<HttpResponse>>>queue(8192)
            .via(pool)
            .to(Sink.foreach(done -> {
              if (done.first().isSuccess()) {
                done.second().complete(done.first().get());
              } else {
                done.second().completeExceptionally(done.first().failed().get());
              }
            }))
            .run(system);
    org.apache.pekko.japi.function.Function<HttpRequest, CompletionStage<HttpResponse>> handler =
        request -> forward(queue, request);
    Http.get(system).newServerAt("127.0.0.1", port).bind(handler)
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    System.out.println("bare proxy on 127.0.0.1:" + port + " -> " + args[1] + ":" + args[2]);
  }

  private static CompletionStage<HttpResponse> forward(
      BoundedSourceQueue<Pair<HttpRequest, CompletableFuture<HttpResponse>>> queue, HttpRequest request) {
    CompletableFuture<HttpResponse> response = new CompletableFuture<>();
    queue.offer(Pair.create(request.removeHeader("Timeout-Access"), response));
    return response;
  }
}
