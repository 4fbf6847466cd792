using PerpGuard.Core.Venues;

namespace PerpGuard.Core.Liquidation;

/// <summary>An extra leg of the same symbol sharing the collateral (hedge mode in cross margin).</summary>
/// <param name="Side">Direction of the leg.</param>
/// <param name="Quantity">Absolute size: base units (linear) or contracts (inverse).</param>
/// <param name="Entry">Entry price of the leg.</param>
public readonly record struct HedgeLeg(PositionSide Side, double Quantity, double Entry);

/// <summary>
/// Everything the liquidation engine needs about one position, already validated. Build it with
/// <see cref="Create"/>; user input is checked with friendly messages by <c>RiskCalculator</c> first.
/// </summary>
public readonly struct PositionTerms
{
    private PositionTerms(Venue venue, ContractType contract, MarginMode mode, PositionSide side, double quantity,
        double entry, double contractSize, double leverage, double collateral, MaintenanceSchedule maintenance,
        double takerFee, double otherMaintenance, double otherUnrealizedPnl, BybitFormula bybitFormula, HedgeLeg[]? hedgeLegs)
    {
        Venue = venue; Contract = contract; Mode = mode; Side = side; Quantity = quantity; Entry = entry;
        ContractSize = contractSize; Leverage = leverage; Collateral = collateral; Maintenance = maintenance;
        TakerFee = takerFee; OtherMaintenance = otherMaintenance; OtherUnrealizedPnl = otherUnrealizedPnl;
        BybitFormula = bybitFormula; HedgeLegs = hedgeLegs;
    }

    /// <summary>Venue whose rules apply.</summary>
    public Venue Venue { get; }
    /// <summary>Linear or inverse.</summary>
    public ContractType Contract { get; }
    /// <summary>Isolated or cross.</summary>
    public MarginMode Mode { get; }
    /// <summary>Long or short.</summary>
    public PositionSide Side { get; }
    /// <summary>Absolute size: base units (linear) or contracts (inverse).</summary>
    public double Quantity { get; }
    /// <summary>Average entry price.</summary>
    public double Entry { get; }
    /// <summary>Inverse: quote value of one contract. Linear: 1.</summary>
    public double ContractSize { get; }
    /// <summary>Leverage setting; sets the default isolated margin and the initial margin.</summary>
    public double Leverage { get; }
    /// <summary>Isolated margin, or the cross wallet balance, in the settle currency.</summary>
    public double Collateral { get; }
    /// <summary>Maintenance brackets.</summary>
    public MaintenanceSchedule Maintenance { get; }
    /// <summary>Taker fee rate (OKX adds it to the maintenance requirement; Bybit inverse discounts added margin by it).</summary>
    public double TakerFee { get; }
    /// <summary>Cross only: maintenance margin of the account's other symbols (Binance TMM1), at their own marks.</summary>
    public double OtherMaintenance { get; }
    /// <summary>Cross only: unrealized PnL of the account's other symbols (Binance UPNL1), at their own marks.</summary>
    public double OtherUnrealizedPnl { get; }
    /// <summary>Bybit only: which published formula to use.</summary>
    public BybitFormula BybitFormula { get; }
    /// <summary>Cross hedge mode: other legs of the same symbol, which move with the same price. Usually null.</summary>
    public HedgeLeg[]? HedgeLegs { get; }

    /// <summary>+1 long, −1 short.</summary>
    public int Sign => (int)Side;

    /// <summary>Initial margin at entry: notional at entry divided by leverage.</summary>
    public double InitialMargin => MaintenanceSchedule.Notional(Contract, Quantity, ContractSize, Entry) / Leverage;

    /// <summary>Creates validated terms; each parameter is described by the property of the same name.</summary>
    /// <param name="venue">See <see cref="Venue"/>.</param>
    /// <param name="contract">See <see cref="Contract"/>.</param>
    /// <param name="mode">See <see cref="Mode"/>.</param>
    /// <param name="side">See <see cref="Side"/>.</param>
    /// <param name="quantity">See <see cref="Quantity"/>.</param>
    /// <param name="entry">See <see cref="Entry"/>.</param>
    /// <param name="leverage">See <see cref="Leverage"/>.</param>
    /// <param name="maintenance">See <see cref="Maintenance"/>.</param>
    /// <param name="collateral">Isolated margin or cross wallet; null means isolated margin = initial margin.</param>
    /// <param name="contractSize">See <see cref="ContractSize"/>; ignored (1) for linear.</param>
    /// <param name="takerFee">See <see cref="TakerFee"/>.</param>
    /// <param name="otherMaintenance">See <see cref="OtherMaintenance"/>.</param>
    /// <param name="otherUnrealizedPnl">See <see cref="OtherUnrealizedPnl"/>.</param>
    /// <param name="bybitFormula">See <see cref="BybitFormula"/>.</param>
    /// <param name="hedgeLegs">See <see cref="HedgeLegs"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A number is not finite or out of its range.</exception>
    /// <exception cref="ArgumentException">A hedge leg is given for isolated margin.</exception>
    public static PositionTerms Create(Venue venue, ContractType contract, MarginMode mode, PositionSide side,
        double quantity, double entry, double leverage, MaintenanceSchedule maintenance, double? collateral = null,
        double contractSize = 1, double takerFee = 0, double otherMaintenance = 0, double otherUnrealizedPnl = 0,
        BybitFormula bybitFormula = BybitFormula.AtMark, HedgeLeg[]? hedgeLegs = null)
    {
        RequirePositive(quantity, nameof(quantity));
        RequirePositive(entry, nameof(entry));
        RequirePositive(leverage, nameof(leverage));
        RequirePositive(contractSize, nameof(contractSize));
        if (!(takerFee is >= 0 and < 0.1)) throw new ArgumentOutOfRangeException(nameof(takerFee), takerFee, "Taker fee must be in [0, 0.1).");
        if (!double.IsFinite(otherMaintenance) || otherMaintenance < 0) throw new ArgumentOutOfRangeException(nameof(otherMaintenance), otherMaintenance, "Must be finite and not negative.");
        if (!double.IsFinite(otherUnrealizedPnl)) throw new ArgumentOutOfRangeException(nameof(otherUnrealizedPnl), otherUnrealizedPnl, "Must be finite.");
        if (mode == MarginMode.Isolated && (otherMaintenance != 0 || otherUnrealizedPnl != 0 || hedgeLegs is { Length: > 0 }))
            throw new ArgumentException("Other positions and hedge legs only enter in cross margin.", nameof(mode));
        if (contract == ContractType.Inverse && venue == Venue.Hyperliquid)
            throw new ArgumentOutOfRangeException(nameof(contract), contract, "Hyperliquid has no inverse contracts.");
        if (contract == ContractType.Linear) contractSize = 1;
        foreach (var leg in hedgeLegs ?? [])
        {
            RequirePositive(leg.Quantity, nameof(hedgeLegs));
            RequirePositive(leg.Entry, nameof(hedgeLegs));
        }
        var initial = MaintenanceSchedule.Notional(contract, quantity, contractSize, entry) / leverage;
        var c = collateral ?? initial;
        if (!double.IsFinite(c) || c < 0) throw new ArgumentOutOfRangeException(nameof(collateral), collateral, "Collateral must be finite and not negative.");
        return new PositionTerms(venue, contract, mode, side, quantity, entry, contractSize, leverage, c, maintenance,
            takerFee, otherMaintenance, otherUnrealizedPnl, bybitFormula, hedgeLegs is { Length: > 0 } ? hedgeLegs : null);
    }

    /// <summary>The same position with a different collateral (e.g. after funding payments).</summary>
    public PositionTerms WithCollateral(double collateral)
    {
        if (!double.IsFinite(collateral)) throw new ArgumentOutOfRangeException(nameof(collateral), collateral, "Collateral must be finite.");
        return new PositionTerms(Venue, Contract, Mode, Side, Quantity, Entry, ContractSize, Leverage, collateral, Maintenance,
            TakerFee, OtherMaintenance, OtherUnrealizedPnl, BybitFormula, HedgeLegs);
    }

    private static void RequirePositive(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value)) throw new ArgumentOutOfRangeException(name, value, "Must be a finite number greater than zero.");
    }
}
