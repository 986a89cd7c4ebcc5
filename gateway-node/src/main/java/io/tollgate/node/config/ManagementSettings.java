package io.tollgate.node.config;

import com.typesafe.config.Config;

/** Where {@code /metrics} and the health probes listen ({@code tollgate.management}), apart from the proxy; port 0 picks one. */
public record ManagementSettings(String host, int port) {
  public static ManagementSettings from(Config management) {
    return new ManagementSettings(management.getString("host"), management.getInt("port"));
  }
}
