package io.tollgate.node.config;

import io.tollgate.persistence.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The admin token and key pepper: from the environment when set, else generated once and kept in the data
 * folder (readable by its owner only) so a single node keeps them across restarts. A token made here is
 * printed once, when it is made; after that it is only in its file.
 */
public final class NodeSecrets {
  private NodeSecrets() {}

  /** Settings with both secrets filled in; {@code adminTokenCreated} tells the caller to print the new token, once. */
  public record Resolved(NodeSettings settings, boolean adminTokenCreated) {}

  public static Resolved resolve(NodeSettings settings) {
    Path tokenFile = settings.dataDir().resolve("admin-token");
    boolean created = settings.adminToken() == null && !Files.exists(tokenFile);
    String token = settings.adminToken() == null ? readOrCreate(tokenFile) : settings.adminToken();
    String pepper = settings.keyPepper() == null ? readOrCreate(settings.dataDir().resolve("key-pepper")) : settings.keyPepper();
    return new Resolved(settings.withSecrets(token, pepper), created);
  }

  private static String readOrCreate(Path file) {
    try {
      return Secret.readOrCreate(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep secrets in " + file.getParent() + ": " + e.getMessage(), e);
    }
  }
}
