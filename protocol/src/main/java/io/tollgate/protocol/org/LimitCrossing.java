package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;

/**
 * A limit other than a budget's share that a write carried usage across: a monthly request quota reaching one
 * of the org's thresholds ({@code percent}), or a soft limit passed ({@code soft}, percent 100). {@code used}
 * and {@code limit} are in the limit's unit: requests, tokens or nano-USD.
 *
 * @param limit the limit's name: {@code monthly_requests}, {@code tokens_per_day},
 *     {@code models:claude-opus* daily_budget_usd}
 */
public record LimitCrossing(String scope, String limit, boolean soft, int percent, long used, long limitValue,
    long periodStartMillis, long periodEndMillis) implements CborSerializable {}
