using System.Globalization;
using System.Text;

namespace PerpGuard.Core.Clusters;

/// <summary>Where the long share <c>wL</c> of new open interest comes from (risk-model §a.3 step 4).</summary>
public enum LongShareSource
{
    /// <summary>
    /// Taker buy share of the bar's base volume, <c>TB/(TB+TS)</c>. Falls back to <see cref="Candle"/> for a bar
    /// whose <see cref="Market.Bar.TakerBuyVolume"/> is NaN or whose volume is zero.
    /// </summary>
    Taker,
    /// <summary>Candle colour: 1 when close &gt; open, 0 when close &lt; open, 0.5 otherwise.</summary>
    Candle,
}

/// <summary>How open interest that disappears without a price cross is taken off the map (§a.3 step 3).</summary>
public enum CloseRule
{
    /// <summary>Every cohort of a side shrinks by the same factor.</summary>
    Proportional,
    /// <summary>The cohorts furthest from their liquidation price (the biggest winners) close first.</summary>
    ProfitFirst,
}

/// <summary>One leverage bucket of the mix that new open interest is spread over (§a.4).</summary>
/// <param name="Leverage">Leverage L &gt; 1 (10 = 10x).</param>
/// <param name="Weight">Share of new notional in this bucket, in [0, 1]; the weights of a mix sum to 1.</param>
public readonly record struct LeverageWeight(double Leverage, double Weight);

/// <summary>
/// The knobs of the estimated liquidation map (risk-model §a.3–a.5). Every default is a starting value to calibrate,
/// not a validated result. Check with <see cref="Validate"/>; <see cref="ClusterMap"/> refuses invalid settings.
/// </summary>
public sealed record ClusterMapSettings
{
    /// <summary>5/10/25/50/100x at 15/30/25/20/10% (§a.4 <c>DefaultMix</c>, from one open-source replica's guess).</summary>
    public static IReadOnlyList<LeverageWeight> DefaultMix { get; } =
        [new(5, 0.15), new(10, 0.30), new(25, 0.25), new(50, 0.20), new(100, 0.10)];

    /// <summary>25/50/100x at 40/35/25% (§a.4 <c>HighLevOnly</c>, Hyblock-style; the weights are ours).</summary>
    public static IReadOnlyList<LeverageWeight> HighLeverageOnly { get; } = [new(25, 0.40), new(50, 0.35), new(100, 0.25)];

    /// <summary>Leverage buckets new notional is spread over. Default <see cref="DefaultMix"/>.</summary>
    public IReadOnlyList<LeverageWeight> Mix { get; init; } = DefaultMix;

    /// <summary>Half-life h of the voluntary-closing decay <c>exp(−ln2·Δ/h)</c>. Default 7 days (24 h for intraday views).</summary>
    public TimeSpan HalfLife { get; init; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Consumption tolerance τ in [0, 1) (§a.3 step 1): a long cohort is consumed when its liquidation price is
    /// ≥ <c>low·(1 − τ)</c>, a short one when ≤ <c>high·(1 + τ)</c>, so τ &gt; 0 also consumes cohorts the bar came
    /// within τ of (e.g. to cover mark-versus-trade wick differences). Default 0: a touch consumes.
    /// </summary>
    public double ConsumeTolerance { get; init; }

    /// <summary>
    /// κc ≥ 0: the share of consumed notional subtracted from a negative ΔOI before closing, so open interest that
    /// vanished as liquidations is not removed twice. Default 1.
    /// </summary>
    public double DoubleCountFactor { get; init; } = 1;

    /// <summary>How negative ΔOI is taken off each side. Default <see cref="CloseRule.Proportional"/>.</summary>
    public CloseRule Close { get; init; } = CloseRule.Proportional;

    /// <summary>Where the long share comes from. Default <see cref="LongShareSource.Taker"/>.</summary>
    public LongShareSource LongShare { get; init; } = LongShareSource.Taker;

    /// <summary>Shrink s ∈ [0, 1] of the long share towards one half: <c>wL = 0.5 + s·(wL_raw − 0.5)</c>. Default 1.</summary>
    public double Shrink { get; init; } = 1;

    /// <summary>
    /// Bin width as a share of price, in (0, 0.1]: the log grid cohorts are merged on and the width of snapshot bins
    /// (<c>BinPct × reference price</c>). Default 0.001 (0.1%; §a.5 suggests 0.0025 for 30-day views).
    /// </summary>
    public double BinPct { get; init; } = 0.001;

    /// <summary>Half-width of a snapshot's grid as a share of the reference price, in (0, 1). Default 0.30.</summary>
    public double RangePct { get; init; } = 0.30;

    /// <summary>φ &gt; 0, the realized-to-mapped ratio fitted in validation (§a.7). 1 means uncalibrated. Default 1.</summary>
    public double Calibration { get; init; } = 1;

    /// <summary>Maintenance margin rate m in [0, 1) used when no notional-based tier table is given. Default 0.004.</summary>
    public double DefaultMaintenanceRate { get; init; } = 0.004;

    /// <summary>Whether <see cref="Calibration"/> differs from 1.</summary>
    public bool IsCalibrated => Calibration != 1;

    /// <summary>Null when the settings are usable, otherwise a one-line message naming the first bad setting.</summary>
    public string? Validate()
    {
        if (Mix is null || Mix.Count == 0) return "Mix: at least one leverage bucket is required.";
        var sum = 0.0;
        for (var i = 0; i < Mix.Count; i++)
        {
            var (leverage, weight) = Mix[i];
            if (!double.IsFinite(leverage) || leverage <= 1)
                return Invariant($"Mix[{i}]: leverage must be finite and > 1 (got {leverage}).");
            if (!double.IsFinite(weight) || weight < 0 || weight > 1)
                return Invariant($"Mix[{i}]: weight must be in [0, 1] (got {weight}).");
            sum += weight;
        }
        if (Math.Abs(sum - 1) > 1e-6) return Invariant($"Mix: weights must sum to 1 ± 1e-6 (got {sum:R}).");
        if (HalfLife <= TimeSpan.Zero) return Invariant($"HalfLife must be positive (got {HalfLife}).");
        if (!(ConsumeTolerance is >= 0 and < 1)) return Invariant($"ConsumeTolerance must be in [0, 1) (got {ConsumeTolerance}).");
        if (!(DoubleCountFactor >= 0) || !double.IsFinite(DoubleCountFactor))
            return Invariant($"DoubleCountFactor must be finite and ≥ 0 (got {DoubleCountFactor}).");
        if (!Enum.IsDefined(Close)) return Invariant($"Close: unknown rule {(int)Close}.");
        if (!Enum.IsDefined(LongShare)) return Invariant($"LongShare: unknown source {(int)LongShare}.");
        if (!(Shrink is >= 0 and <= 1)) return Invariant($"Shrink must be in [0, 1] (got {Shrink}).");
        if (!(BinPct is > 0 and <= 0.1)) return Invariant($"BinPct must be in (0, 0.1] (got {BinPct}).");
        if (!(RangePct is > 0 and < 1)) return Invariant($"RangePct must be in (0, 1) (got {RangePct}).");
        if (RangePct < BinPct) return Invariant($"RangePct ({RangePct}) must be at least BinPct ({BinPct}).");
        if (RangePct / BinPct > 100_000) return Invariant($"RangePct / BinPct must be ≤ 100,000 bins per side (got {RangePct / BinPct:F0}).");
        if (!(Calibration > 0) || !double.IsFinite(Calibration)) return Invariant($"Calibration must be finite and > 0 (got {Calibration}).");
        if (!(DefaultMaintenanceRate is >= 0 and < 1))
            return Invariant($"DefaultMaintenanceRate must be in [0, 1) (got {DefaultMaintenanceRate}).");
        return null;
    }

    /// <summary>
    /// One line for labels, e.g. <c>estimate: 5/10/25/50/100x at 15/30/25/20/10%, half-life 7 d, taker split, uncalibrated</c>.
    /// Settings left at their defaults beyond these are not mentioned.
    /// </summary>
    public string Describe()
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("estimate: ");
        var mix = Mix ?? [];
        sb.AppendJoin('/', mix.Select(b => b.Leverage.ToString("0.##", ci))).Append("x at ");
        sb.AppendJoin('/', mix.Select(b => (b.Weight * 100).ToString("0.##", ci))).Append('%');
        sb.Append(", half-life ").Append(Duration(HalfLife));
        sb.Append(LongShare == LongShareSource.Candle ? ", candle split" : ", taker split");
        if (Shrink != 1) sb.Append(ci, $" shrunk ×{Shrink:0.##}");
        if (Close == CloseRule.ProfitFirst) sb.Append(", profit-first closes");
        if (ConsumeTolerance != 0) sb.Append(ci, $", consumed within {ConsumeTolerance * 100:0.###}%");
        if (DoubleCountFactor != 1) sb.Append(ci, $", κc {DoubleCountFactor:0.##}");
        sb.Append(IsCalibrated ? string.Create(ci, $", calibrated φ {Calibration:0.####}") : ", uncalibrated");
        return sb.ToString();
    }

    private static string Duration(TimeSpan span)
    {
        var ci = CultureInfo.InvariantCulture;
        if (span > TimeSpan.Zero && span.Ticks % TimeSpan.TicksPerDay == 0) return string.Create(ci, $"{span.Days} d");
        if (span.Ticks % TimeSpan.TicksPerHour == 0) return string.Create(ci, $"{(long)span.TotalHours} h");
        return string.Create(ci, $"{span.TotalMinutes:0.##} min");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
