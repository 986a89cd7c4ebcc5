package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;

/**
 * A budget whose spend passed one of the org's alert thresholds: the scope value ({@code team:research}),
 * which budget ({@code daily_budget_usd} or {@code monthly_budget_usd}), the threshold in percent, the spend
 * (settled and abandoned holds, as the budget counts it) and the budget, in nano-USD, and its period
 * {@code [start, end)}.
 */
public record BudgetCrossing(String scope, String budget, int percent, long spentNanos, long budgetNanos,
    long periodStartMillis, long periodEndMillis) implements CborSerializable {}
