using PerpGuard.Core.Market;

namespace PerpGuard.Core.Rules;

/// <summary>Automatic support levels for R3 (risk-model §e R3, "auto options").</summary>
public static class SupportLevels
{
    /// <summary>Default fractal width: a 5-bar (Williams) fractal, two bars each side.</summary>
    public const int DefaultWidth = 5;

    /// <summary>
    /// The latest swing low over the 7 days before <paramref name="now"/>, on 1-hour closes of
    /// <paramref name="perp"/> (resampled by time, any input interval; pass mark bars): the low of the most recent
    /// complete hour whose low is below the lows of the <c>width/2</c> hours before it and not above those of the
    /// <c>width/2</c> hours after it (all inside the 7 days). Null when there is none.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> is not an odd number ≥ 3.</exception>
    public static double? SwingLow(IReadOnlyList<Bar> perp, DateTimeOffset now, int width = DefaultWidth)
    {
        ArgumentNullException.ThrowIfNull(perp);
        return SwingLow(BarSeries.Resample(perp, TimeSpan.FromHours(1)), now, width);
    }

    /// <summary>As <see cref="SwingLow(IReadOnlyList{Bar}, DateTimeOffset, int)"/> on the cached hourly series of <paramref name="inputs"/>.</summary>
    public static double? SwingLow(RuleInputs inputs, DateTimeOffset now, int width = DefaultWidth)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return SwingLow(inputs.PerpHourly, now, width);
    }

    internal static double? SwingLow(BarSeries hourly, DateTimeOffset now, int width)
    {
        if (width < 3 || width % 2 == 0) throw new ArgumentOutOfRangeException(nameof(width), width, "The fractal width must be an odd number of at least 3.");
        var half = width / 2;
        var end = hourly.CompleteBy(now.UtcTicks);
        var start = Search.UpperBound(hourly.EndTicks, end, now.UtcTicks - TimeSpan.FromDays(7).Ticks);
        for (var i = end - 1 - half; i >= start + half; i--)
        {
            var low = hourly.Low[i];
            var ok = true;
            for (var j = 1; j <= half && ok; j++) ok = low < hourly.Low[i - j] && low <= hourly.Low[i + j];
            if (ok) return low;
        }
        return null;
    }
}
