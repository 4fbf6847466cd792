using PerpGuard.Core.Margin;
using PerpGuard.Core.Venues;

namespace PerpGuard.Core.Liquidation;

/// <summary>
/// Liquidation and bankruptcy prices the way each venue computes them (see docs in README: liquidation rules).
/// Every venue reduces to one equation, <c>equity(p) = maintenance(p)</c> at the mark, solved in closed form:
/// <list type="bullet">
/// <item>linear: <c>f(p) = C + Σcum − Σ s·Q·E + p·(Σ s·Q − Σ Q·(MMR + fee))</c>;</item>
/// <item>inverse (coin): <c>f(p) = C + Σcum + Σ s·Q·CS/E − (1/p)·Σ Q·CS·(MMR + fee + s)</c>.</item>
/// </list>
/// Venues differ only in the collateral <c>C</c> that enters (cross: wallet + UPNL1 − TMM1; Bybit inverse discounts
/// added margin by its fee to close), the fee inside the requirement (OKX), and where brackets come from. The
/// bracket used is the one containing the notional <em>at the liquidation price</em>.
/// </summary>
public static class LiquidationEngine
{
    private const int MaxHedgeIterations = 16;

    /// <summary>The mark price at which the venue liquidates the position, or why there is none.</summary>
    public static PriceLevel LiquidationPrice(in PositionTerms p)
    {
        if (p.Venue == Venue.Bybit && p.BybitFormula == BybitFormula.PublishedAtEntry && p.HedgeLegs is null)
            return BybitPublishedAtEntry(p);

        var collateral = LiquidationCollateral(p);
        var fee = MaintenanceFeeRate(p);
        if (p.HedgeLegs is not null) return SolveWithHedgeLegs(p, collateral, fee);

        var schedule = p.Maintenance;
        if (!schedule.DependsOnPrice)
        {
            var tier = schedule.At(p.Contract, p.Quantity, p.ContractSize, p.Entry);
            return Solve(p, collateral, tier.MaintenanceRate + fee, tier.MaintenanceAmount);
        }

        // Try each bracket: the answer is the root whose own notional lies in the bracket that produced it.
        // With a continuous schedule (cum/deduction) exactly one does; otherwise keep the nearest miss.
        var best = PriceLevel.Unreachable;
        var bestMiss = double.PositiveInfinity;
        for (var i = 0; i < schedule.Count; i++)
        {
            var tier = schedule[i];
            var level = Solve(p, collateral, tier.MaintenanceRate + fee, tier.MaintenanceAmount);
            if (level.Kind != PriceLevelKind.AtPrice)
            {
                // Only the lowest bracket can decide "unreachable"/"breached": it governs the region where the
                // solution would have to lie (see the monotonicity argument in the README).
                if (i == 0) return level;
                continue;
            }
            var basis = schedule.BasisValue(p.Contract, p.Quantity, p.ContractSize, level.RawValue);
            if (tier.Contains(basis)) return level;
            var miss = basis < tier.Floor ? (tier.Floor - basis) / tier.Floor : (basis - tier.Cap) / tier.Cap;
            if (miss < bestMiss) { bestMiss = miss; best = level; }
        }
        return best;
    }

    /// <summary>The price at which equity reaches zero (the venue closes the position there at the latest).</summary>
    public static PriceLevel BankruptcyPrice(in PositionTerms p)
    {
        var collateral = p.Collateral + (p.Mode == MarginMode.Cross ? p.OtherUnrealizedPnl : 0);
        if (p.HedgeLegs is null) return Solve(p, collateral, 0, 0);
        Accumulate(p, p.Side, p.Quantity, p.Entry, 0, 0, out var a, out var b);
        foreach (var leg in p.HedgeLegs) Accumulate(p, leg.Side, leg.Quantity, leg.Entry, 0, 0, out a, out b, a, b);
        return Finish(p.Contract, collateral, a, b);
    }

    /// <summary>
    /// Maintenance margin of this symbol (all its legs) at <paramref name="price"/>, each leg in the bracket of its
    /// notional at that price; OKX includes the taker fee. Excludes the other symbols' maintenance (see <see cref="Requirement"/>).
    /// </summary>
    public static double MaintenanceMargin(in PositionTerms p, double price)
    {
        var fee = MaintenanceFeeRate(p);
        var mm = LegMaintenance(p, p.Quantity, price, fee);
        foreach (var leg in p.HedgeLegs ?? []) mm += LegMaintenance(p, leg.Quantity, price, fee);
        return mm;
    }

    /// <summary>The bracket of the main leg at <paramref name="price"/>.</summary>
    public static MarginTier TierAt(in PositionTerms p, double price) =>
        p.Maintenance.At(p.Contract, p.Quantity, p.ContractSize, price);

    /// <summary>
    /// Equity backing the position at <paramref name="price"/>, as the venue's liquidation check sees it:
    /// collateral (cross: plus the other symbols' unrealized PnL) plus this symbol's unrealized PnL.
    /// </summary>
    public static double Equity(in PositionTerms p, double price) =>
        LiquidationCollateral(p) + p.OtherMaintenance + UnrealizedPnl(p, price);

    /// <summary>What equity must stay above at <paramref name="price"/>: this symbol's maintenance plus, in cross, the others'.</summary>
    public static double Requirement(in PositionTerms p, double price) => MaintenanceMargin(p, price) + p.OtherMaintenance;

    /// <summary>Requirement ÷ equity at <paramref name="mark"/> (Binance style): liquidation at ≥ 1; infinite when equity ≤ 0.</summary>
    public static double MarginRatio(in PositionTerms p, double mark)
    {
        var equity = Equity(p, mark);
        return equity > 0 ? Requirement(p, mark) / equity : double.PositiveInfinity;
    }

    /// <summary>Unrealized PnL of this symbol's legs at <paramref name="price"/>, in the settle currency.</summary>
    public static double UnrealizedPnl(in PositionTerms p, double price)
    {
        var pnl = LegPnl(p, p.Side, p.Quantity, p.Entry, price);
        foreach (var leg in p.HedgeLegs ?? []) pnl += LegPnl(p, leg.Side, leg.Quantity, leg.Entry, price);
        return pnl;
    }

    private static double LegPnl(in PositionTerms p, PositionSide side, double quantity, double entry, double price) =>
        p.Contract == ContractType.Linear
            ? (int)side * quantity * (price - entry)
            : (int)side * quantity * p.ContractSize * (1 / entry - 1 / price);

    private static double LegMaintenance(in PositionTerms p, double quantity, double price, double fee)
    {
        var tier = p.Maintenance.At(p.Contract, quantity, p.ContractSize, price);
        return MaintenanceSchedule.Notional(p.Contract, quantity, p.ContractSize, price) * (tier.MaintenanceRate + fee) - tier.MaintenanceAmount;
    }

    /// <summary>Collateral entering the liquidation equation, per venue.</summary>
    private static double LiquidationCollateral(in PositionTerms p)
    {
        if (p.Mode == MarginMode.Cross) return p.Collateral + p.OtherUnrealizedPnl - p.OtherMaintenance;
        if (p.Venue == Venue.Bybit && p.Contract == ContractType.Inverse)
        {
            // Bybit UTA inverse: margin added beyond the initial margin is net of the fee to close it.
            var initial = p.InitialMargin;
            return initial + (p.Collateral - initial) / (1 + p.Sign * p.TakerFee);
        }
        return p.Collateral;
    }

    /// <summary>OKX counts the taker fee of closing inside the maintenance requirement; other venues do not.</summary>
    private static double MaintenanceFeeRate(in PositionTerms p) => p.Venue == Venue.Okx ? p.TakerFee : 0;

    private static PriceLevel Solve(in PositionTerms p, double collateral, double rate, double amount)
    {
        Accumulate(p, p.Side, p.Quantity, p.Entry, rate, amount, out var a, out var b);
        return Finish(p.Contract, collateral, a, b);
    }

    /// <summary>
    /// Adds one leg to the equation's two coefficients. Linear: <c>a += cum − s·Q·E</c>, <c>b += s·Q − Q·rate</c>
    /// (f = C + a + b·p). Inverse: <c>a += cum + s·Q·CS/E</c>, <c>b += Q·CS·(rate + s)</c> (f = C + a − b/p).
    /// </summary>
    private static void Accumulate(in PositionTerms p, PositionSide side, double quantity, double entry, double rate,
        double amount, out double a, out double b, double a0 = 0, double b0 = 0)
    {
        var s = (int)side;
        if (p.Contract == ContractType.Linear)
        {
            a = a0 + amount - s * quantity * entry;
            b = b0 + quantity * (s - rate);
        }
        else
        {
            var value = quantity * p.ContractSize;
            a = a0 + amount + s * value / entry;
            b = b0 + value * (rate + s);
        }
    }

    private static PriceLevel Finish(ContractType contract, double collateral, double a, double b)
    {
        var k = collateral + a;
        if (contract == ContractType.Linear)
        {
            // f(p) = k + b·p
            if (b > 0) { var root = -k / b; return root > 0 ? PriceLevel.At(root) : PriceLevel.Unreachable; }
            if (b < 0) { var root = k / -b; return root > 0 ? PriceLevel.At(root) : PriceLevel.BreachedEverywhere; }
            return k > 0 ? PriceLevel.Unreachable : PriceLevel.BreachedEverywhere;
        }
        // f(p) = k − b/p
        if (b > 0) return k > 0 ? PriceLevel.At(b / k) : PriceLevel.BreachedEverywhere;
        if (b < 0) return k >= 0 ? PriceLevel.Unreachable : PriceLevel.At(b / k);
        return k > 0 ? PriceLevel.Unreachable : PriceLevel.BreachedEverywhere;
    }

    /// <summary>
    /// Hedge mode in cross: all legs of the symbol move with one price and share one liquidation price.
    /// Each leg's bracket follows its own notional at the candidate price; iterate to a fixed point.
    /// </summary>
    private static PriceLevel SolveWithHedgeLegs(in PositionTerms p, double collateral, double fee)
    {
        var legs = p.HedgeLegs!;
        var price = p.Entry;
        var level = PriceLevel.Unreachable;
        for (var iteration = 0; iteration < MaxHedgeIterations; iteration++)
        {
            var tier = p.Maintenance.At(p.Contract, p.Quantity, p.ContractSize, price);
            Accumulate(p, p.Side, p.Quantity, p.Entry, tier.MaintenanceRate + fee, tier.MaintenanceAmount, out var a, out var b);
            foreach (var leg in legs)
            {
                var legTier = p.Maintenance.At(p.Contract, leg.Quantity, p.ContractSize, price);
                Accumulate(p, leg.Side, leg.Quantity, leg.Entry, legTier.MaintenanceRate + fee, legTier.MaintenanceAmount, out a, out b, a, b);
            }
            level = Finish(p.Contract, collateral, a, b);
            if (level.Kind != PriceLevelKind.AtPrice || !p.Maintenance.DependsOnPrice || SameTiers(p, price, level.RawValue)) return level;
            price = level.RawValue;
        }
        return level;
    }

    private static bool SameTiers(in PositionTerms p, double before, double after)
    {
        if (p.Maintenance.At(p.Contract, p.Quantity, p.ContractSize, before) != p.Maintenance.At(p.Contract, p.Quantity, p.ContractSize, after)) return false;
        foreach (var leg in p.HedgeLegs!)
            if (p.Maintenance.At(p.Contract, leg.Quantity, p.ContractSize, before) != p.Maintenance.At(p.Contract, leg.Quantity, p.ContractSize, after)) return false;
        return true;
    }

    /// <summary>
    /// Bybit's older published form, maintenance taken at entry value (bracket of the entry notional), with
    /// <c>C</c> the isolated margin or, in cross, the wallet plus other PnL less other maintenance ("available + IM"):
    /// linear <c>L = E − s·(C − MM_E)/Q</c>; inverse <c>L = Q·CS / (PV + s·(C − MM_E − FTC))</c> with
    /// <c>PV = Q·CS/E</c> and the fee to close at bankruptcy <c>FTC = Q·CS·f/B</c>, <c>B = Q·CS·(1 + s·f)/(PV + s·C)</c>.
    /// </summary>
    private static PriceLevel BybitPublishedAtEntry(in PositionTerms p)
    {
        var tier = p.Maintenance.At(p.Contract, p.Quantity, p.ContractSize, p.Entry);
        var entryNotional = MaintenanceSchedule.Notional(p.Contract, p.Quantity, p.ContractSize, p.Entry);
        var collateral = p.Mode == MarginMode.Cross ? p.Collateral + p.OtherUnrealizedPnl - p.OtherMaintenance : p.Collateral;
        var cushion = collateral - (entryNotional * tier.MaintenanceRate - tier.MaintenanceAmount);
        if (p.Contract == ContractType.Linear)
        {
            var l = p.Entry - p.Sign * cushion / p.Quantity;
            return l > 0 ? PriceLevel.At(l) : p.Side == PositionSide.Long ? PriceLevel.Unreachable : PriceLevel.BreachedEverywhere;
        }
        var value = p.Quantity * p.ContractSize;
        var bankruptcyDenominator = entryNotional + p.Sign * collateral;
        if (bankruptcyDenominator <= 0) return p.Side == PositionSide.Short ? PriceLevel.Unreachable : PriceLevel.BreachedEverywhere;
        var feeToClose = p.TakerFee * bankruptcyDenominator / (1 + p.Sign * p.TakerFee);
        var denominator = entryNotional + p.Sign * (cushion - feeToClose);
        return denominator > 0
            ? PriceLevel.At(value / denominator)
            : p.Side == PositionSide.Short ? PriceLevel.Unreachable : PriceLevel.BreachedEverywhere;
    }
}
