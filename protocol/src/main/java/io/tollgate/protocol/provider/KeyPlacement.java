package io.tollgate.protocol.provider;

/**
 * Where a credential travels: a header (with an optional value prefix such as {@code "Bearer "}) or a query
 * parameter. Clients present their Tollgate key the way their provider's SDK presents the provider's key.
 */
public record KeyPlacement(String header, String prefix, String queryParam) {
  public static final KeyPlacement BEARER = header("Authorization", "Bearer ");

  public static KeyPlacement header(String name, String prefix) {
    return new KeyPlacement(name, prefix, null);
  }

  public static KeyPlacement header(String name) {
    return new KeyPlacement(name, "", null);
  }

  public static KeyPlacement query(String param) {
    return new KeyPlacement(null, "", param);
  }
}
