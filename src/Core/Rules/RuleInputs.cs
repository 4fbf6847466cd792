using PerpGuard.Core.Market;

namespace PerpGuard.Core.Rules;

/// <summary>One funding period's rate converted to an 8-hour equivalent (rate × 8 / interval hours).</summary>
/// <param name="Time">Settlement time (or the sampling time of a predicted rate).</param>
/// <param name="RatePer8h">Rate per 8 h as a fraction (0.0001 = 0.01%).</param>
public readonly record struct FundingPoint(DateTimeOffset Time, double RatePer8h);

/// <summary>Mark and index at one time; the perp premium is <c>(mark − index)/index</c>.</summary>
/// <param name="Time">Sampling time.</param>
/// <param name="Mark">Mark price.</param>
/// <param name="Index">Index (spot reference) price.</param>
public readonly record struct PremiumPoint(DateTimeOffset Time, double Mark, double Index)
{
    /// <summary><c>(mark − index)/index</c>; NaN when the index is not a positive number.</summary>
    public double Premium => Index > 0 ? (Mark - Index) / Index : double.NaN;
}

/// <summary>Annualised basis of a dated future: <c>(F − S)/S · 365/daysToExpiry</c>.</summary>
/// <param name="Time">Sampling time.</param>
/// <param name="AnnualizedBasis">As a fraction per year (0.12 = 12% a year).</param>
public readonly record struct BasisPoint(DateTimeOffset Time, double AnnualizedBasis);

/// <summary>Realised liquidations in one interval ending at <paramref name="Time"/>, in USD notional.</summary>
/// <param name="Time">End of the interval (or the time of the order).</param>
/// <param name="LongUsd">Longs liquidated (forced sells).</param>
/// <param name="ShortUsd">Shorts liquidated (forced buys).</param>
public readonly record struct LiquidationVolume(DateTimeOffset Time, double LongUsd, double ShortUsd);

/// <summary>
/// One symbol's series for the rules, each ascending in time (aggregated across the venues in scope by the caller).
/// Any list may be empty; a nullable one is null when the venue or feed does not provide it at all, which is not
/// the same as zero. The hourly resamplings are computed on first use and cached, so build one instance per data
/// snapshot and do not change the lists after the first evaluation; an instance may be evaluated at several
/// <c>now</c> values (only data up to each <c>now</c> is used). Safe for concurrent reads.
/// </summary>
public sealed class RuleInputs
{
    private BarSeries? _perpHourly;
    private BarSeries? _spotHourly;
    private HourlyMeans? _premiumHourly;
    private BarArrays? _perpRaw;
    private BarArrays? _spotRaw;
    private OiArrays? _oi;

    /// <summary>Perp bars (mark for R3, mark or last otherwise), any interval (5 minutes expected).</summary>
    public IReadOnlyList<Bar> Perp { get; init; } = [];
    /// <summary>Spot bars; null when the venue has no spot data.</summary>
    public IReadOnlyList<Bar>? Spot { get; init; }
    /// <summary>Open interest (USD used; coins when USD is not given).</summary>
    public IReadOnlyList<OpenInterestPoint> OpenInterest { get; init; } = [];
    /// <summary>One point per funding period, in 8-hour terms (settlement history, or the predicted rate sampled once per period).</summary>
    public IReadOnlyList<FundingPoint> Funding { get; init; } = [];
    /// <summary>Mark and index samples (5 minutes expected).</summary>
    public IReadOnlyList<PremiumPoint> Premium { get; init; } = [];
    /// <summary>Dated-future annualised basis; null for perps only (R4 then uses the premium path).</summary>
    public IReadOnlyList<BasisPoint>? Basis { get; init; }
    /// <summary>Realised liquidations; null when there is no liquidation feed (R1 then flushes on the OI and price drops alone).</summary>
    public IReadOnlyList<LiquidationVolume>? Liquidations { get; init; }
    /// <summary>Coinbase premium (Coinbase spot over offshore spot, fraction) now; null when unavailable.</summary>
    public double? CoinbasePremium { get; init; }

    internal BarSeries PerpHourly => _perpHourly ??= BarSeries.Resample(Perp, TimeSpan.FromHours(1));
    internal BarSeries? SpotHourly => Spot is null ? null : _spotHourly ??= BarSeries.Resample(Spot, TimeSpan.FromHours(1));
    internal HourlyMeans PremiumHourly => _premiumHourly ??= HourlyMeans.Of(Premium);
    /// <summary>The raw perp bars closing after <paramref name="from"/> (UTC ticks) as arrays; cached, rebuilt only for an earlier from.</summary>
    internal BarArrays PerpRaw(long from)
    {
        var cached = _perpRaw;
        if (cached is null || cached.From > from) _perpRaw = cached = BarArrays.Of(Perp, from);
        return cached;
    }

    /// <summary>As <see cref="PerpRaw"/> for spot; null without spot bars.</summary>
    internal BarArrays? SpotRaw(long from)
    {
        if (Spot is null) return null;
        var cached = _spotRaw;
        if (cached is null || cached.From > from) _spotRaw = cached = BarArrays.Of(Spot, from);
        return cached;
    }
    internal OiArrays OiRaw => _oi ??= OiArrays.Of(OpenInterest);
}
