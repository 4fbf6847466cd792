using PerpGuard.Core.Market;

namespace PerpGuard.Core.Probability;

/// <summary>
/// Annualized volatility from closed candles (risk-model §d.2, close-to-close): the standard deviation of log returns
/// over a window, scaled by √(bars per year) on a 365-day year (crypto trades around the clock).
/// </summary>
public static class RealizedVolatility
{
    /// <summary>Fewest returns an estimate is made from; below it the answer is NaN (not enough data).</summary>
    public const int MinReturns = 12;

    /// <summary>
    /// σ per year from the closes of <paramref name="bars"/> (ascending, one interval) inside the last
    /// <paramref name="window"/> before <paramref name="asOf"/>. Returns between bars further apart than one interval
    /// (a gap in the data) are skipped. NaN when fewer than <see cref="MinReturns"/> returns remain.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The window is not positive.</exception>
    public static double CloseToClose(IReadOnlyList<Bar> bars, DateTimeOffset asOf, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(bars);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        var from = asOf - window;
        double sum = 0, sumSq = 0;
        var n = 0;
        TimeSpan interval = default;
        for (var i = 1; i < bars.Count; i++)
        {
            Bar a = bars[i - 1], b = bars[i];
            if (b.OpenTime < from || b.CloseTime > asOf || !b.Closed || !a.Closed) continue;
            if (b.OpenTime - a.OpenTime != b.Interval || !(a.Close > 0) || !(b.Close > 0)) continue;
            interval = b.Interval;
            var r = Math.Log(b.Close / a.Close);
            sum += r;
            sumSq += r * r;
            n++;
        }
        if (n < MinReturns) return double.NaN;
        var mean = sum / n;
        var variance = Math.Max(0, (sumSq - n * mean * mean) / (n - 1));
        var barsPerYear = HitProbability.DaysPerYear * TimeSpan.TicksPerDay / (double)interval.Ticks;
        return Math.Sqrt(variance * barsPerYear);
    }
}
