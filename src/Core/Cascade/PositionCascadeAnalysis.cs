using PerpGuard.Core.Probability;
using PerpGuard.Core.Venues;

namespace PerpGuard.Core.Cascade;

/// <summary>Cascade view of one position (risk-model §d.3.3).</summary>
/// <param name="ChainReachesLiquidation">True when the chain set off by Q*·1.01 at the nearest cluster between the
/// reference and the liquidation price (the score's reach) carries price through the liquidation price; false when
/// there is no such cluster.</param>
/// <param name="LiquidationDistance">Distance of the liquidation price from the reference, in the adverse direction.</param>
/// <param name="ShockUsd">The cheapest shock whose chain runs through the liquidation price; +∞ if none within MaxMove.</param>
/// <param name="ShockShareOfTakerVolume"><paramref name="ShockUsd"/> / 1 h taker volume; NaN when that volume is unknown (NaN or 0).</param>
/// <param name="BaseProbability">P(touch LP within the horizon), GBM with continuous monitoring (§d.1).</param>
/// <param name="AdjustedProbability">max(P(LP), P(first edge of the critical cluster)) when a critical cluster lies
/// between the reference and LP; otherwise the base probability.</param>
/// <param name="CriticalClusterEdgeDistance">Distance of the nearest critical cluster (CRS* ≥ 1 in its band) within
/// MaxMove, whether or not it lies before LP; NaN when none.</param>
/// <param name="ProbabilityReachCriticalCluster">P(touch that cluster's edge within the horizon); NaN when none.</param>
public sealed record PositionCascade(
    bool ChainReachesLiquidation,
    double LiquidationDistance,
    double ShockUsd,
    double ShockShareOfTakerVolume,
    double BaseProbability,
    double AdjustedProbability,
    double CriticalClusterEdgeDistance,
    double ProbabilityReachCriticalCluster);

/// <summary>Couples the cascade model with the first-passage probability of a position (risk-model §d.3.3).</summary>
public static class PositionCascadeAnalysis
{
    /// <summary>
    /// Assesses a position: the shock that would carry price through its liquidation price, and the hit probability
    /// raised to P(first edge of a critical cluster) when a cluster with CRS* ≥ 1 lies between price and LP, because
    /// reaching a critical cluster is treated as likely to carry price beyond it.
    /// </summary>
    /// <param name="referencePrice">Price the distances are measured from (the map's and the depth curve's reference).</param>
    /// <param name="positionSide">Long: the adverse direction is down; short: up.</param>
    /// <param name="liquidationPrice">LP: below the reference for a long, above it for a short (equal allowed: distance 0).</param>
    /// <param name="depth">Depth in the adverse direction: bids for a long, asks for a short.</param>
    /// <param name="forced">Forced levels of the same side as the position (long clusters for a long).</param>
    /// <param name="annualVolatility">Annualized σ &gt; 0.</param>
    /// <param name="horizonHours">Horizon in hours &gt; 0.</param>
    /// <param name="takerVolume1hUsd">Average 1 h taker volume in USD; NaN or 0 when unknown.</param>
    /// <param name="stressed">Settings of the stressed scenario (W_stress, φ, δmark, MaxMove).</param>
    /// <param name="minClusterUsd">Smallest raw notional of a level that counts as a cluster; 0 = every level with notional.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter or forced level is out of range, or LP is on the wrong side of the reference.</exception>
    public static PositionCascade Assess(double referencePrice, PositionSide positionSide, double liquidationPrice, IDepthCurve depth, IReadOnlyList<ForcedLevel> forced, double annualVolatility, double horizonHours, double takerVolume1hUsd, CascadeSettings stressed, double minClusterUsd = 0)
    {
        ArgumentNullException.ThrowIfNull(depth);
        ArgumentNullException.ThrowIfNull(stressed);
        RequirePositive(referencePrice, nameof(referencePrice));
        RequirePositive(liquidationPrice, nameof(liquidationPrice));
        RequirePositive(annualVolatility, nameof(annualVolatility));
        RequirePositive(horizonHours, nameof(horizonHours));
        if (takerVolume1hUsd < 0) throw new ArgumentOutOfRangeException(nameof(takerVolume1hUsd), takerVolume1hUsd, "Taker volume must be zero or more (NaN when unknown).");
        CascadeSimulator.RequireUsd(minClusterUsd, nameof(minClusterUsd));
        stressed.ThrowIfInvalid(nameof(stressed));
        var down = positionSide switch
        {
            PositionSide.Long => true,
            PositionSide.Short => false,
            _ => throw new ArgumentOutOfRangeException(nameof(positionSide), positionSide, "Unknown side."),
        };
        if (down ? liquidationPrice > referencePrice : liquidationPrice < referencePrice)
            throw new ArgumentOutOfRangeException(nameof(liquidationPrice), liquidationPrice, down
                ? "A long's liquidation price must be at or below the reference price."
                : "A short's liquidation price must be at or above the reference price.");
        var levels = SortedLevels.Of(forced, nameof(forced));
        var years = HitProbability.Years(horizonHours);
        var distance = down ? 1 - liquidationPrice / referencePrice : liquidationPrice / referencePrice - 1;

        var shock = CascadeSimulator.MinimumShock(depth, levels, distance, stressed);
        var share = takerVolume1hUsd > 0 ? shock / takerVolume1hUsd : double.NaN;
        var baseProbability = HitProbability.Continuous(referencePrice, liquidationPrice, annualVolatility, years);

        // Nearest critical cluster within MaxMove (and above a zero price for a long).
        double criticalDistance = double.NaN, criticalProbability = double.NaN;
        for (var i = 0; i < levels.Count; i++)
        {
            var d = levels.Distance[i];
            if (d > stressed.MaxMove || down && d >= 1) break;
            if (levels.Notional[i] < minClusterUsd) continue;
            if (CascadeRisk.Coverage(depth, levels, CascadeRisk.BandFor(d), stressed).StressedCoverage < 1) continue;
            criticalDistance = d;
            criticalProbability = HitProbability.Continuous(referencePrice, referencePrice * (down ? 1 - d : 1 + d), annualVolatility, years);
            break;
        }
        var adjusted = criticalDistance <= distance + CascadeSimulator.Tolerance ? Math.Max(baseProbability, criticalProbability) : baseProbability;

        // Does a chain, once started at the nearest cluster before LP, run through LP?
        var reaches = false;
        var nearest = levels.NearestAtLeast(minClusterUsd);
        if (nearest >= 0 && levels.Distance[nearest] <= distance + CascadeSimulator.Tolerance)
        {
            var trigger = CascadeSimulator.MinimumShock(depth, levels, levels.Distance[nearest], stressed);
            if (double.IsFinite(trigger))
            {
                var run = CascadeSimulator.Walk(depth, levels, trigger * 1.01, stressed, null, null);
                reaches = run.Move >= distance - CascadeSimulator.Tolerance || run.Exhausted && distance <= stressed.MaxMove;
            }
        }
        return new PositionCascade(reaches, distance, shock, share, baseProbability, adjusted, criticalDistance, criticalProbability);
    }

    private static void RequirePositive(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value)) throw new ArgumentOutOfRangeException(name, value, "Must be a finite number greater than zero.");
    }
}
