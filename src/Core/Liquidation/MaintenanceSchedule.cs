using PerpGuard.Core.Margin;
using PerpGuard.Core.Venues;

namespace PerpGuard.Core.Liquidation;

/// <summary>
/// Where a position's maintenance rate and amount come from: a venue tier table (bracket chosen by the
/// notional at the price in question), or one explicit bracket given by the caller.
/// </summary>
public readonly struct MaintenanceSchedule
{
    private readonly MarginTier _override;

    private MaintenanceSchedule(TierTable? table, MarginTier fixedTier)
    {
        Table = table;
        _override = fixedTier;
    }

    /// <summary>Brackets from a venue table.</summary>
    public static MaintenanceSchedule FromTable(TierTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return new(table, default);
    }

    /// <summary>One explicit bracket for every notional (the request's <c>mmr</c> and <c>maintenance_amount</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The rate is outside [0, 1) or the amount is negative or not finite.</exception>
    public static MaintenanceSchedule Fixed(double rate, double amount, double maxLeverage = double.PositiveInfinity)
    {
        if (!(rate is >= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(rate), rate, "Maintenance rate must be in [0, 1).");
        if (!(amount >= 0) || double.IsInfinity(amount)) throw new ArgumentOutOfRangeException(nameof(amount), amount, "Maintenance amount must be finite and not negative.");
        return new(null, new MarginTier(0, double.PositiveInfinity, rate, amount, maxLeverage));
    }

    /// <summary>The venue table, or null for an explicit bracket.</summary>
    public TierTable? Table { get; }

    /// <summary>Whether the bracket depends on price (notional-based table) rather than being fixed.</summary>
    public bool DependsOnPrice => Table is { Basis: TierBasis.Notional } && Table.Tiers.Length > 1;

    /// <summary>Number of brackets to consider.</summary>
    public int Count => Table?.Tiers.Length ?? 1;

    /// <summary>The <paramref name="index"/>-th bracket.</summary>
    public MarginTier this[int index] => Table is null ? _override : Table.Tiers[index];

    /// <summary>
    /// Converts a position to the table's basis at <paramref name="price"/>: notional in the settle currency,
    /// or contracts (OKX: linear quantity in base units divided by the contract value).
    /// </summary>
    public double BasisValue(ContractType contract, double quantity, double contractSize, double price)
    {
        if (Table is { Basis: TierBasis.Contracts } t)
            return contract == ContractType.Linear ? quantity / (t.ContractSize ?? 1) : quantity;
        return Notional(contract, quantity, contractSize, price);
    }

    /// <summary>The bracket that applies at <paramref name="price"/>.</summary>
    public MarginTier At(ContractType contract, double quantity, double contractSize, double price) =>
        Table is null ? _override : Table.Find(BasisValue(contract, quantity, contractSize, price));

    /// <summary>Notional in the settle currency: linear <c>Q·p</c>, inverse <c>Q·CS/p</c> (coin).</summary>
    public static double Notional(ContractType contract, double quantity, double contractSize, double price) =>
        contract == ContractType.Linear ? quantity * price : quantity * contractSize / price;
}
