using PerpGuard.Core.Liquidation;
using PerpGuard.Core.Venues;

namespace PerpGuard.Core.Ladders;

/// <summary>
/// Where a profitable position would stand in the auto-deleveraging queue, from its own public inputs only.
/// </summary>
/// <param name="UnrealizedPnl">PnL of the position at the mark, in the settle currency.</param>
/// <param name="PnlShare">PnL as a share of the margin: <c>uPnL / max(margin, 1e-12)</c> (1 = +100 %).</param>
/// <param name="EffectiveLeverage">Notional at the mark ÷ (margin + uPnL); +∞ when that equity is not positive.</param>
/// <param name="Score">Binance's ranking value <c>PnlShare × EffectiveLeverage</c> when profitable, else 0.</param>
/// <param name="Quantile">Estimated indicator light 1..5 (5 = first in line); 0 when not profitable.</param>
/// <param name="Profitable">Whether uPnL is positive: only winners are deleveraged against a liquidation.</param>
public readonly record struct AdlEstimate(double UnrealizedPnl, double PnlShare, double EffectiveLeverage, double Score, int Quantile, bool Profitable);

/// <summary>
/// Auto-deleveraging estimate. Binance ranks profitable positions by PnL % × effective leverage and shows the
/// quantile of that rank among all traders as five lights. The other traders' scores are not public, so the light
/// here is an estimate from fixed thresholds (<see cref="LightThresholds"/>), not the venue's rank.
/// </summary>
public static class AutoDeleveraging
{
    /// <summary>
    /// Lowest score for lights 2, 3, 4 and 5 (below the first: light 1). The score is a product of two ratios and
    /// spans orders of magnitude, so the buckets double. Score 1 is about a 10x position 1 % in the money (PnL 10 %
    /// of margin at ≈ 9x effective), 4 about a 10x position 6 % in the money or a 20x one 2 % in: highly leveraged
    /// winners, the first to be cut.
    /// </summary>
    public static readonly IReadOnlyList<double> LightThresholds = [0.5, 1, 2, 4];

    private const double TinyMargin = 1e-12;

    /// <summary>
    /// Estimates the ADL standing of <paramref name="position"/> at <paramref name="mark"/>. Margin is the isolated
    /// margin, or in cross the wallet plus the other symbols' unrealized PnL (the equity the position shares). Only
    /// the main leg counts: hedge legs are ranked as positions of their own.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The mark is not a finite positive price.</exception>
    public static AdlEstimate Estimate(in PositionTerms position, double mark)
    {
        if (!(mark > 0) || !double.IsFinite(mark)) throw new ArgumentOutOfRangeException(nameof(mark), mark, "Mark must be a finite price greater than zero.");
        var p = position;
        var pnl = p.Contract == ContractType.Linear
            ? p.Sign * p.Quantity * (mark - p.Entry)
            : p.Sign * p.Quantity * p.ContractSize * (1 / p.Entry - 1 / mark);
        var margin = p.Collateral + (p.Mode == MarginMode.Cross ? p.OtherUnrealizedPnl : 0);
        return Estimate(pnl, margin, MaintenanceSchedule.Notional(p.Contract, p.Quantity, p.ContractSize, mark));
    }

    /// <summary>
    /// The same estimate from its parts (the alert sweep has no <see cref="PositionTerms"/>): unrealized PnL, the margin
    /// behind the position, and the notional at the mark, all in the settle currency.
    /// </summary>
    public static AdlEstimate Estimate(double unrealizedPnl, double margin, double notionalAtMark)
    {
        var share = unrealizedPnl / Math.Max(margin, TinyMargin);
        var equity = margin + unrealizedPnl;
        var leverage = equity > 0 ? notionalAtMark / equity : double.PositiveInfinity;
        var profitable = unrealizedPnl > 0;
        var score = profitable ? share * leverage : 0;
        return new AdlEstimate(unrealizedPnl, share, leverage, score, profitable ? Light(score) : 0, profitable);
    }

    private static int Light(double score)
    {
        var light = 1;
        foreach (var threshold in LightThresholds)
            if (score >= threshold) light++;
        return light;
    }
}
