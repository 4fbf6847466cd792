using PerpGuard.Core.Cascade;
using PerpGuard.Core.Probability;

namespace PerpGuard.Core.Portfolio;

/// <summary>Liquidity-adjusted value at risk of closing a position (risk-model §d.5), in USD.</summary>
/// <param name="VaR">Parametric price VaR <c>z·σ·√T·N</c>.</param>
/// <param name="SpreadCost">Exogenous spread cost <c>½·N·(S̄ + 3·σ_S)</c> (Bangia et al.).</param>
/// <param name="Slippage">Endogenous cost of selling N into the book with only part of it present.</param>
/// <param name="Total">The sum of the three.</param>
public sealed record LiquidityVaR(double VaR, double SpreadCost, double Slippage, double Total);

/// <summary>L-VaR = VaR + spread cost + slippage (risk-model §d.5); report it at survival 1 and 0.3.</summary>
public static class LiquidityRisk
{
    /// <summary>Multiple of the spread's standard deviation in the spread cost (a = 3 in §d.5).</summary>
    public const double SpreadStdevMultiple = 3;

    /// <summary>Midpoint-rule steps of the slippage integral: exact for linear depth, well within a basis point otherwise.</summary>
    public const int SlippageSteps = 64;

    /// <summary>Computes the three parts of the L-VaR.</summary>
    /// <param name="notionalUsd">Position notional N in USD.</param>
    /// <param name="volatility">Annualized σ.</param>
    /// <param name="horizonHours">Horizon; T in years of 365 days.</param>
    /// <param name="confidence">One-sided confidence, e.g. 0.99.</param>
    /// <param name="meanSpread">Mean relative spread S̄ (0.0002 = 2 bp).</param>
    /// <param name="spreadStdev">Standard deviation of the relative spread σ_S.</param>
    /// <param name="depth">Resting depth in the direction of the close (bids for a long).</param>
    /// <param name="survival">Share W of that depth still there when the close hits it, in (0, 1]: the book thins in
    /// a stress, so the sale walks further (u(q) = depth.DistanceFor(q / W)).</param>
    /// <exception cref="ArgumentOutOfRangeException">An input is out of range or not finite.</exception>
    public static LiquidityVaR Compute(double notionalUsd, double volatility, double horizonHours, double confidence,
        double meanSpread, double spreadStdev, IDepthCurve depth, double survival)
    {
        ArgumentNullException.ThrowIfNull(depth);
        RequireNonNegative(notionalUsd, nameof(notionalUsd));
        RequireNonNegative(volatility, nameof(volatility));
        RequireNonNegative(meanSpread, nameof(meanSpread));
        RequireNonNegative(spreadStdev, nameof(spreadStdev));
        if (!(horizonHours > 0) || !double.IsFinite(horizonHours)) throw new ArgumentOutOfRangeException(nameof(horizonHours), horizonHours, "Must be finite and above zero.");
        if (!(confidence is > 0.5 and < 1)) throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "Must be in (0.5, 1), e.g. 0.99.");
        if (!(survival is > 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(survival), survival, "Must be in (0, 1].");

        var var = Quantiles.InverseNormal(confidence) * volatility * Math.Sqrt(HitProbability.Years(horizonHours)) * notionalUsd;
        var spread = 0.5 * notionalUsd * (meanSpread + SpreadStdevMultiple * spreadStdev);
        var slippage = 0.0;
        if (notionalUsd > 0)
        {
            var h = notionalUsd / SlippageSteps;
            for (var k = 0; k < SlippageSteps; k++) slippage += depth.DistanceFor((k + 0.5) * h / survival);
            slippage *= h;
        }
        return new LiquidityVaR(var, spread, slippage, var + spread + slippage);
    }

    private static void RequireNonNegative(double value, string name)
    {
        if (!(value >= 0) || !double.IsFinite(value)) throw new ArgumentOutOfRangeException(name, value, "Must be finite and not negative.");
    }
}
