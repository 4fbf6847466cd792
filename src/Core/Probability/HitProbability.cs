namespace PerpGuard.Core.Probability;

/// <summary>
/// Probability that price touches a barrier (the liquidation price) within a horizon, under geometric Brownian
/// motion (risk-model §d.1), with the Broadie–Glasserman–Kou correction for checks made on candles (§d.3.1).
/// </summary>
public static class HitProbability
{
    /// <summary>Crypto trades all year: horizons and bar lengths are converted with 365 days per year.</summary>
    public const double DaysPerYear = 365;

    /// <summary>BGK constant β = −ζ(½)/√(2π).</summary>
    public const double BroadieGlasserman = 0.5826;

    /// <summary>Converts hours to years (365-day year).</summary>
    public static double Years(double hours) => hours / (24 * DaysPerYear);

    /// <summary>
    /// P(touch <paramref name="barrier"/> within <paramref name="horizonYears"/>), continuous monitoring.
    /// A barrier below spot is a long's liquidation price, above spot a short's. 1 when spot is at the barrier.
    /// </summary>
    /// <param name="spot">Current (mark) price S0 &gt; 0.</param>
    /// <param name="barrier">Barrier B &gt; 0.</param>
    /// <param name="volatility">Annualized σ &gt; 0.</param>
    /// <param name="horizonYears">Horizon T &gt; 0, in years.</param>
    /// <param name="drift">Annualized μ; 0 by default. For scenarios, never a forecast.</param>
    /// <exception cref="ArgumentOutOfRangeException">An input is not finite and positive.</exception>
    public static double Continuous(double spot, double barrier, double volatility, double horizonYears, double drift = 0)
    {
        RequirePositive(spot, nameof(spot));
        RequirePositive(barrier, nameof(barrier));
        RequirePositive(volatility, nameof(volatility));
        RequirePositive(horizonYears, nameof(horizonYears));
        if (!double.IsFinite(drift)) throw new ArgumentOutOfRangeException(nameof(drift), drift, "Drift must be finite.");
        if (barrier == spot) return 1;

        var nu = drift - volatility * volatility / 2;
        var b = Math.Log(barrier / spot);
        var sd = volatility * Math.Sqrt(horizonYears);
        var nuT = nu * horizonYears;
        var reflection = Math.Exp(2 * nu * b / (volatility * volatility)); // (B/S0)^(2ν/σ²)
        var p = barrier < spot
            ? Normal.Cdf((b - nuT) / sd) + reflection * Normal.Cdf((b + nuT) / sd)
            : Normal.Cdf((-b + nuT) / sd) + reflection * Normal.Cdf((-b - nuT) / sd);
        return Math.Clamp(p, 0, 1);
    }

    /// <summary>
    /// The barrier moved away from spot for discrete monitoring on bars of <paramref name="barYears"/>:
    /// <c>B·exp(∓β·σ·√Δt)</c> (down for a barrier below spot, up for one above).
    /// </summary>
    public static double DiscreteBarrier(double spot, double barrier, double volatility, double barYears)
    {
        RequirePositive(barYears, nameof(barYears));
        var shift = BroadieGlasserman * volatility * Math.Sqrt(barYears);
        return barrier < spot ? barrier * Math.Exp(-shift) : barrier * Math.Exp(shift);
    }

    /// <summary>P(touch) when the touch is checked on closed bars of <paramref name="barYears"/> (BGK correction).</summary>
    public static double Discrete(double spot, double barrier, double volatility, double horizonYears, double barYears, double drift = 0) =>
        barrier == spot ? 1 : Continuous(spot, DiscreteBarrier(spot, barrier, volatility, barYears), volatility, horizonYears, drift);

    private static void RequirePositive(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value)) throw new ArgumentOutOfRangeException(name, value, "Must be a finite number greater than zero.");
    }
}
