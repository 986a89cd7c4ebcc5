package io.tollgate.node.testkit;

import io.tollgate.persistence.DatabaseSettings;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP hop between a node and its database that fails the way a database host does when it dies:
 * {@link #blackhole()} silences every connection, open and new, without a reset or an error on the node's side
 * (the server's side is closed, so its transactions end as they would with the host); {@link #failover()}
 * lets new connections through again while the old ones stay silent for good (a standby took over the
 * address).
 */
public final class TcpRelay implements AutoCloseable {
  private final ServerSocket listener;
  private final String targetHost;
  private final int targetPort;
  private final List<Link> links = new CopyOnWriteArrayList<>();
  private volatile boolean blackholed;

  private TcpRelay(String targetHost, int targetPort) throws IOException {
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    daemon("relay-accept", this::acceptLoop).start();
  }

  public static TcpRelay to(String host, int port) {
    try {
      return new TcpRelay(host, port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** A relay in front of the database of these settings, and the settings that reach it through the relay. */
  public record ToDatabase(TcpRelay relay, DatabaseSettings settings) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      relay.close();
    }
  }

  public static ToDatabase toDatabase(DatabaseSettings db) {
    Matcher hostPort = Pattern.compile("//([^/:?]+)(?::(\\d+))?").matcher(db.url());
    if (!hostPort.find()) {
      throw new IllegalArgumentException("no host in " + db.url());
    }
    TcpRelay relay = to(hostPort.group(1), hostPort.group(2) == null ? 5432 : Integer.parseInt(hostPort.group(2)));
    String url = db.url().substring(0, hostPort.start()) + "//127.0.0.1:" + relay.port() + db.url().substring(hostPort.end());
    return new ToDatabase(relay, new DatabaseSettings(url, db.user(), db.password(), db.schema(), db.dataDir(),
        db.poolSize(), db.socketTimeout()));
  }

  public void blackhole() {
    blackholed = true;
    for (Link link : links) {
      link.lost = true;
      Link.closeQuietly(link.server);
    }
  }

  public void failover() {
    blackholed = false;
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Link link : links) {
      link.close();
    }
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Link link = new Link(client);
        links.add(link);
        if (blackholed) {
          link.lost = true;
          daemon("relay-lost", () -> link.pump(client, null)).start(); // read and drop, never answer
        } else {
          link.server = new Socket(targetHost, targetPort);
          daemon("relay-up", () -> link.pump(client, link.server)).start();
          daemon("relay-down", () -> link.pump(link.server, client)).start();
        }
      } catch (IOException e) {
        // closed, or the target refused one connection: the client sees it closed
      }
    }
  }

  private static Thread daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    return thread;
  }

  private static final class Link {
    private final Socket client;
    private volatile Socket server;
    private volatile boolean lost;

    Link(Socket client) {
      this.client = client;
    }

    /** Copies from one side to the other until either closes; once lost, what is read goes nowhere. */
    void pump(Socket from, Socket to) {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream()) {
        OutputStream out = to == null ? null : to.getOutputStream();
        int n;
        while ((n = in.read(buffer)) >= 0) {
          if (!lost && out != null) {
            out.write(buffer, 0, n);
            out.flush();
          }
        }
      } catch (IOException e) {
        // one side closed
      }
      if (!lost) {
        close();
      }
    }

    void close() {
      closeQuietly(client);
      closeQuietly(server);
    }

    private static void closeQuietly(Socket socket) {
      try {
        if (socket != null) {
          socket.close();
        }
      } catch (IOException e) {
        // already closed
      }
    }
  }
}
