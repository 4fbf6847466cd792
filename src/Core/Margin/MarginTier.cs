namespace PerpGuard.Core.Margin;

/// <summary>
/// One maintenance bracket: half-open <c>[Floor, Cap)</c> on the table's basis (notional or contracts),
/// with maintenance margin <c>MM = notional · MaintenanceRate − MaintenanceAmount</c>.
/// </summary>
/// <param name="Floor">Inclusive lower bound on the table's basis.</param>
/// <param name="Cap">Exclusive upper bound on the table's basis.</param>
/// <param name="MaintenanceRate">Maintenance margin rate as a fraction (0.004 = 0.4%).</param>
/// <param name="MaintenanceAmount">Binance "cum", Bybit "mmDeduction", Hyperliquid deduction, in the settle currency.</param>
/// <param name="MaxLeverage">Highest leverage the venue allows in this bracket.</param>
public readonly record struct MarginTier(double Floor, double Cap, double MaintenanceRate, double MaintenanceAmount, double MaxLeverage)
{
    /// <summary>Whether <paramref name="value"/> (on the table's basis) falls in this bracket.</summary>
    public bool Contains(double value) => value >= Floor && value < Cap;
}

/// <summary>What a tier table's floor and cap measure.</summary>
public enum TierBasis
{
    /// <summary>Position notional in the settle currency (quote for linear, coin for inverse).</summary>
    Notional,
    /// <summary>Position size in contracts (OKX swaps): the bracket does not move with price.</summary>
    Contracts,
}
