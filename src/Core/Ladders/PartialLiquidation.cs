using System.Globalization;
using PerpGuard.Core.Liquidation;
using PerpGuard.Core.Margin;
using PerpGuard.Core.Venues;

namespace PerpGuard.Core.Ladders;

/// <summary>
/// Partial-liquidation ladders: where each venue would cut a position down instead of taking all of it, and where
/// the rest then goes. Traders see how much survives the first liquidation price and how far the next one is.
/// <para>
/// Common model. The first step is at <see cref="LiquidationEngine.LiquidationPrice"/>. A closed slice realizes its
/// PnL at that price and the remainder keeps the rest of the collateral (isolated margin less the realized loss;
/// in cross the wallet less it, other symbols unchanged), so equity carries over unchanged and only the maintenance
/// drops. Liquidation fees and slippage are ignored: they only make real ladders slightly worse. The remainder's
/// next price is the engine's liquidation price of the reduced terms, so it is always farther away.
/// </para>
/// <para>
/// Bybit and Binance step down: above the lowest tier (tier of the notional at the price) the venue reduces the
/// position just below the cap of the nearest lower tier whose maintenance the carried equity still covers; if no
/// lower tier qualifies it takes everything; in the lowest tier it liquidates in full. OKX does the same from tier 3
/// up and liquidates tiers 1–2 in full (its tiers count contracts). Hyperliquid closes 20 % first when the notional
/// exceeds 100,000 USDC, then the rest. A single-tier schedule never steps down.
/// </para>
/// </summary>
public static class PartialLiquidation
{
    /// <summary>Hyperliquid sends only a partial order above this notional at the liquidation price (USDC, mainnet).</summary>
    public const double HyperliquidPartialAbove = 100_000;

    /// <summary>Share of the position Hyperliquid closes first when the notional is above <see cref="HyperliquidPartialAbove"/>.</summary>
    public const double HyperliquidFirstShare = 0.2;

    /// <summary>Hyperliquid's backstop (liquidator vault) takes over when equity falls below this share of maintenance.</summary>
    public const double HyperliquidBackstopShare = 2.0 / 3.0;

    /// <summary>
    /// A reduction lands this relatively far below the tier cap: caps are exclusive and the engine must see the
    /// remainder in the lower tier, while the real venue rounds to a lot anyway.
    /// </summary>
    private const double JustBelowCap = 1 - 1e-9;

    /// <summary>The ladder of <paramref name="position"/> under its venue's partial-liquidation rule.</summary>
    public static LiquidationLadder For(in PositionTerms position)
    {
        var first = LiquidationEngine.LiquidationPrice(position);
        if (first.Kind != PriceLevelKind.AtPrice) return new LiquidationLadder([]);
        var steps = new List<LadderStep>();
        if (position.Venue == Venue.Hyperliquid) Hyperliquid(position, first.RawValue, steps);
        else StepDown(position, first.RawValue, steps);
        return new LiquidationLadder(steps);
    }

    /// <summary>
    /// Tier step-down (Bybit, Binance, OKX). When a short linear or long inverse position is cut, its notional grows
    /// again as the price keeps moving against it; reducing only to the cap at this price would put it back in the
    /// higher tier at its next liquidation and repeat with ever smaller cuts. The cut therefore goes to the size that
    /// is still in the lower tier at its own next liquidation price (closed form below): one step per tier.
    /// </summary>
    private static void StepDown(PositionTerms terms, double price, List<LadderStep> steps)
    {
        var original = terms.Quantity;
        var schedule = terms.Maintenance;
        var lowestTarget = terms.Venue == Venue.Okx ? 1 : 0;
        for (var guard = 0; guard <= schedule.Count; guard++)
        {
            var tier = TierIndex(schedule, schedule.BasisValue(terms.Contract, terms.Quantity, terms.ContractSize, price));
            if (tier <= lowestTarget)
            {
                steps.Add(Full(price, terms.Quantity, original, "full liquidation"));
                return;
            }
            if (!TryReduce(terms, price, tier, lowestTarget, out var reduced, out var target, out var targetBasis))
            {
                steps.Add(Full(price, terms.Quantity, original, "full takeover: no lower tier's maintenance is met"));
                return;
            }
            var next = LiquidationEngine.LiquidationPrice(reduced);
            var reaches = next.Kind == PriceLevelKind.AtPrice;
            if (reaches && !Farther(terms.Side, next.RawValue, price) || next.Kind == PriceLevelKind.BreachedEverywhere)
            {
                steps.Add(Full(price, terms.Quantity, original, "full takeover: the reduced position is still below maintenance"));
                return;
            }
            var closed = terms.Quantity - reduced.Quantity;
            steps.Add(new LadderStep(price, closed, reduced.Quantity, closed / original,
                Invariant($"tier {tier + 1} → {target + 1}: reduce to {Format(targetBasis)} {Unit(schedule)}")));
            if (!reaches) return; // The cut freed enough margin that the rest can no longer be liquidated.
            terms = reduced;
            price = next.RawValue;
        }
        steps.Add(Full(price, terms.Quantity, original, "full liquidation"));
    }

    /// <summary>
    /// Finds the nearest lower tier (not below <paramref name="lowestTarget"/>) whose maintenance the carried equity
    /// covers at <paramref name="price"/>, and the reduced terms. The cushion is the part of equity that backs this
    /// leg (equity less the other symbols' and hedge legs' requirement); at the liquidation price it equals the leg's
    /// maintenance. Drift case (notional rising as price moves against the position): with the remainder's equity
    /// <c>cushion + N₁ − N(p)</c>, it is liquidated in tier j exactly at notional <c>cap</c> when
    /// <c>N₁ = cap·(1 + rate + fee) − amount − cushion</c>.
    /// </summary>
    private static bool TryReduce(in PositionTerms terms, double price, int tier, int lowestTarget,
        out PositionTerms reduced, out int target, out double targetBasis)
    {
        var schedule = terms.Maintenance;
        var fee = terms.Venue == Venue.Okx ? terms.TakerFee : 0;
        var legTier = LiquidationEngine.TierAt(terms, price);
        var legMaintenance = Notional(terms, terms.Quantity, price) * (legTier.MaintenanceRate + fee) - legTier.MaintenanceAmount;
        var cushion = LiquidationEngine.Equity(terms, price) - LiquidationEngine.Requirement(terms, price) + legMaintenance;
        var drift = schedule.DependsOnPrice && (terms.Contract == ContractType.Linear) == (terms.Side == PositionSide.Short);
        for (target = tier - 1; target >= lowestTarget; target--)
        {
            var t = schedule[target];
            var cap = t.Cap * JustBelowCap;
            targetBasis = drift ? Math.Min(cap, cap * (1 + t.MaintenanceRate + fee) - t.MaintenanceAmount - cushion) : cap;
            if (!(targetBasis > 0)) continue;
            var quantity = QuantityAt(schedule, terms, price, targetBasis);
            if (!(quantity < terms.Quantity)) continue;
            var maintenance = Notional(terms, quantity, price) * (t.MaintenanceRate + fee) - t.MaintenanceAmount;
            if (!(cushion > maintenance)) continue;
            reduced = Remainder(terms, quantity, price);
            return true;
        }
        reduced = default;
        targetBasis = double.NaN;
        return false;
    }

    /// <summary>
    /// Hyperliquid: above 100,000 USDC notional at the liquidation price, 20 % goes first; after the 30 s cooldown
    /// the rest is liquidated if still below maintenance, modelled as the liquidation price of the 80 % remainder.
    /// The backstop (equity below 2/3 of maintenance) would take the rest at its own price only if that came first.
    /// With non-negative maintenance it never does: equity equals maintenance at the remainder's liquidation price,
    /// which is above 2/3 of it, and equity falls faster than maintenance as the price moves on. So the backstop
    /// is what happens when the book cannot absorb the market orders; its price is named in the last step's text.
    /// </summary>
    private static void Hyperliquid(in PositionTerms terms, double price, List<LadderStep> steps)
    {
        var quantity = terms.Quantity;
        if (!(Notional(terms, quantity, price) > HyperliquidPartialAbove))
        {
            steps.Add(Full(price, quantity, quantity, "full liquidation"));
            return;
        }
        var left = quantity * (1 - HyperliquidFirstShare);
        var remainder = Remainder(terms, left, price);
        var next = LiquidationEngine.LiquidationPrice(remainder);
        if (next.Kind == PriceLevelKind.BreachedEverywhere || next.Kind == PriceLevelKind.AtPrice && !Farther(terms.Side, next.RawValue, price))
        {
            steps.Add(Full(price, quantity, quantity, "full liquidation"));
            return;
        }
        steps.Add(new LadderStep(price, quantity - left, left, HyperliquidFirstShare, "20% of the position (over 100k USDC)"));
        if (next.Kind != PriceLevelKind.AtPrice) return;
        var backstop = BackstopPrice(remainder);
        if (backstop is { } b && Farther(terms.Side, b, price) && Farther(terms.Side, next.RawValue, b))
            steps.Add(Full(b, left, quantity, "backstop: rest handed to the liquidator vault"));
        else
            steps.Add(Full(next.RawValue, left, quantity, backstop is { } at
                ? Invariant($"rest after the 30 s cooldown (backstop below 2/3 of maintenance at {Format(at)})")
                : "rest after the 30 s cooldown"));
    }

    /// <summary>
    /// Price where equity = 2/3·(maintenance + other cross maintenance), linear (Hyperliquid has no inverse):
    /// <c>C + s·Q·(p − E) = k·(Q·p·rate − amount + other)</c>, the root whose notional lies in its own tier.
    /// Null for hedge legs (not modelled) or when no tier has a positive root in it.
    /// </summary>
    private static double? BackstopPrice(in PositionTerms p)
    {
        if (p.HedgeLegs is not null || p.Contract != ContractType.Linear) return null;
        const double k = HyperliquidBackstopShare;
        var collateral = p.Collateral + (p.Mode == MarginMode.Cross ? p.OtherUnrealizedPnl : 0);
        for (var i = 0; i < p.Maintenance.Count; i++)
        {
            var tier = p.Maintenance[i];
            var slope = p.Quantity * (p.Sign - k * tier.MaintenanceRate);
            if (slope == 0) continue;
            var root = -(collateral - p.Sign * p.Quantity * p.Entry + k * (tier.MaintenanceAmount - p.OtherMaintenance)) / slope;
            if (root > 0 && LiquidationEngine.TierAt(p, root) == tier) return root;
        }
        return null;
    }

    /// <summary>The position cut to <paramref name="quantity"/> at <paramref name="price"/>, equity carried over.</summary>
    private static PositionTerms Remainder(in PositionTerms p, double quantity, double price)
    {
        var closed = p.Quantity - quantity;
        var realized = p.Contract == ContractType.Linear
            ? p.Sign * closed * (price - p.Entry)
            : p.Sign * closed * p.ContractSize * (1 / p.Entry - 1 / price);
        var collateral = p.Collateral + realized;
        var otherPnl = p.OtherUnrealizedPnl;
        // Isolated collateral stays positive (the realized share of a loss is less than the margin). A cross wallet
        // may not, when other symbols' profit carries the account: move the deficit there, equity is the same.
        if (collateral < 0) { otherPnl += collateral; collateral = 0; }
        return PositionTerms.Create(p.Venue, p.Contract, p.Mode, p.Side, quantity, p.Entry, p.Leverage, p.Maintenance,
            collateral, p.ContractSize, p.TakerFee, p.OtherMaintenance, otherPnl, p.BybitFormula, p.HedgeLegs);
    }

    /// <summary>Index of the bracket containing <paramref name="basis"/> (as <see cref="TierTable.Find"/>).</summary>
    private static int TierIndex(in MaintenanceSchedule schedule, double basis)
    {
        for (var i = 0; i < schedule.Count - 1; i++)
            if (basis < schedule[i].Cap) return i;
        return schedule.Count - 1;
    }

    /// <summary>Inverse of <see cref="MaintenanceSchedule.BasisValue"/>: the quantity with that basis at <paramref name="price"/>.</summary>
    private static double QuantityAt(in MaintenanceSchedule schedule, in PositionTerms p, double price, double basis)
    {
        if (schedule.Table is { Basis: TierBasis.Contracts } t)
            return p.Contract == ContractType.Linear ? basis * (t.ContractSize ?? 1) : basis;
        return p.Contract == ContractType.Linear ? basis / price : basis * price / p.ContractSize;
    }

    private static double Notional(in PositionTerms p, double quantity, double price) =>
        MaintenanceSchedule.Notional(p.Contract, quantity, p.ContractSize, price);

    /// <summary>Whether <paramref name="price"/> lies strictly farther against the position than <paramref name="than"/>.</summary>
    private static bool Farther(PositionSide side, double price, double than) =>
        side == PositionSide.Long ? price < than : price > than;

    private static LadderStep Full(double price, double quantity, double original, string what) =>
        new(price, quantity, 0, quantity / original, what);

    private static string Unit(in MaintenanceSchedule schedule) => schedule.Table switch
    {
        null => "notional",
        { Basis: TierBasis.Contracts } => "contracts",
        var t => t.Settle + " notional",
    };

    private static string Format(double value) => value.ToString("#,0.##", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
