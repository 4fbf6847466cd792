using PerpGuard.Core.Venues;

namespace PerpGuard.Core.Market;

/// <summary>One venue's price for an asset, per single coin (a 1000PEPE mark divided by 1000).</summary>
/// <param name="Venue">The venue.</param>
/// <param name="Mark">Mark price per coin.</param>
/// <param name="Index">Index price per coin, or NaN when the venue gives none.</param>
public readonly record struct VenuePrice(Venue Venue, double Mark, double Index);

/// <summary>How far the venues' marks for one asset are apart at one moment.</summary>
/// <param name="Spread">(highest − lowest) / median mark; 0.012 = 1.2%.</param>
/// <param name="High">The venue with the highest mark.</param>
/// <param name="Low">The venue with the lowest mark.</param>
/// <param name="Prices">Every venue's price used, highest mark first.</param>
public sealed record DivergenceReading(double Spread, VenuePrice High, VenuePrice Low, IReadOnlyList<VenuePrice> Prices);

/// <summary>
/// Cross-venue divergence of one asset: venues drifting apart under stress is where cascades and bad fills start (prices
/// differed by up to 30% between venues when FTX collapsed). Measured on marks per coin; prices that are not positive
/// and finite are left out, and fewer than two venues measure nothing.
/// </summary>
public static class VenueDivergence
{
    /// <summary>The spread across <paramref name="prices"/>, or null with fewer than two usable venues.</summary>
    public static DivergenceReading? Measure(IEnumerable<VenuePrice> prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        var usable = prices.Where(p => p.Mark > 0 && double.IsFinite(p.Mark)).OrderByDescending(p => p.Mark).ToList();
        if (usable.Count < 2) return null;
        var n = usable.Count;
        var median = n % 2 == 1 ? usable[n / 2].Mark : (usable[n / 2 - 1].Mark + usable[n / 2].Mark) / 2;
        return new DivergenceReading((usable[0].Mark - usable[^1].Mark) / median, usable[0], usable[^1], usable);
    }
}

/// <summary>
/// Whether an asset's venues count as diverged: the spread has stayed at or above <see cref="Threshold"/> for at least
/// <see cref="MinDuration"/> (a one-tick dislocation is noise), and stays diverged until the spread falls below
/// <c>Threshold·(1 − Hysteresis)</c>, so a spread hovering at the threshold does not flap. A missing reading (fewer
/// than two fresh venues) holds the state: no news is not convergence. Time comes in as a parameter.
/// </summary>
public sealed class DivergenceTracker(double threshold, TimeSpan minDuration, double hysteresis)
{
    private DateTimeOffset? _above;

    /// <summary>Spread that starts the clock.</summary>
    public double Threshold { get; } = threshold > 0 && double.IsFinite(threshold) ? threshold : throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "Must be a positive fraction.");
    /// <summary>How long the spread must last.</summary>
    public TimeSpan MinDuration { get; } = minDuration >= TimeSpan.Zero ? minDuration : throw new ArgumentOutOfRangeException(nameof(minDuration), minDuration, "Must not be negative.");
    /// <summary>Re-arm margin as a fraction of the threshold.</summary>
    public double Hysteresis { get; } = hysteresis is >= 0 and < 1 ? hysteresis : throw new ArgumentOutOfRangeException(nameof(hysteresis), hysteresis, "Must be in [0, 1).");

    /// <summary>Whether the venues count as diverged now.</summary>
    public bool Diverged { get; private set; }
    /// <summary>Since when the spread has been at or above the threshold (null when it is not).</summary>
    public DateTimeOffset? Since => _above;
    /// <summary>The last reading.</summary>
    public DivergenceReading? Last { get; private set; }

    /// <summary>Takes a reading (null: not measurable now) and returns <see cref="Diverged"/>.</summary>
    public bool Update(DivergenceReading? reading, DateTimeOffset now)
    {
        if (reading is null) return Diverged;
        Last = reading;
        if (reading.Spread >= Threshold) _above ??= now;
        else _above = null;
        if (!Diverged) Diverged = _above is { } since && now - since >= MinDuration;
        else if (reading.Spread < Threshold * (1 - Hysteresis)) Diverged = false;
        return Diverged;
    }
}
