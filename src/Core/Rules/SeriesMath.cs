using System.Buffers;
using PerpGuard.Core.Market;

namespace PerpGuard.Core.Rules;

/// <summary>Taker flow over a window: buy and sell notional (USD) and the bars that had no taker split.</summary>
/// <param name="BuyUsd">Σ taker buy volume × price (the bar's VWAP when quote volume is given, else its close).</param>
/// <param name="SellUsd">Σ (volume − taker buy) × price.</param>
/// <param name="Bars">Bars in the window.</param>
/// <param name="BarsWithoutTaker">Bars in the window whose taker buy volume is NaN (left out of the sums).</param>
public readonly record struct TakerFlow(double BuyUsd, double SellUsd, int Bars, int BarsWithoutTaker)
{
    /// <summary>At least one bar in the window had a taker split.</summary>
    public bool Available => Bars > BarsWithoutTaker;
    /// <summary>Cumulative volume delta, buy minus sell (USD); NaN when not available.</summary>
    public double Cvd => Available ? BuyUsd - SellUsd : double.NaN;
    /// <summary>Taker-buy share of the taker notional in [0, 1]; NaN when not available or no volume.</summary>
    public double BuyShare => Available && BuyUsd + SellUsd > 0 ? BuyUsd / (BuyUsd + SellUsd) : double.NaN;
}

/// <summary>Series helpers of risk-model §e: resampling by time buckets, medians, robust z, CVD.</summary>
public static class SeriesMath
{
    /// <summary>The MAD of a normal sample times this estimates its standard deviation.</summary>
    public const double MadScale = 1.4826;

    /// <summary>The mean absolute deviation of a normal sample times this estimates its standard deviation (fallback when MAD = 0).</summary>
    public const double MeanAbsScale = 1.253314;

    /// <summary>
    /// Resamples bars (ascending, any interval) into UTC-aligned buckets of <paramref name="bucket"/>. A bar goes into
    /// the bucket that contains its close time (so an hourly bar lands in the last 15-minute bucket of its hour: its
    /// close is the price at that bucket's end). Open is the first bar's, close the last's, high/low the extremes,
    /// volumes the sums (taker buy NaN when any bar lacks it). A bucket is <see cref="Bar.Closed"/> when all its bars
    /// are; whether it is complete at a given time is for the caller (its <see cref="Bar.CloseTime"/> ≤ now).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bucket"/> is not positive.</exception>
    public static IReadOnlyList<Bar> Resample(IReadOnlyList<Bar> bars, TimeSpan bucket)
    {
        ArgumentNullException.ThrowIfNull(bars);
        if (bucket <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(bucket), bucket, "The bucket must be positive.");
        var s = BarSeries.Resample(bars, bucket);
        var result = new Bar[s.Count];
        for (var i = 0; i < s.Count; i++)
        {
            result[i] = new Bar
            {
                OpenTime = new DateTimeOffset(s.EndTicks[i] - bucket.Ticks, TimeSpan.Zero),
                Interval = bucket,
                Open = s.Open[i],
                High = s.High[i],
                Low = s.Low[i],
                Close = s.Close[i],
                Volume = s.Volume[i],
                QuoteVolume = s.QuoteVolume[i],
                TakerBuyVolume = s.TakerBuy[i],
                Closed = s.AllClosed[i],
            };
        }
        return result;
    }

    /// <summary>Median of the finite values of <paramref name="values"/> (the average of the two middle ones for an even count); NaN when none.</summary>
    public static double Median(ReadOnlySpan<double> values)
    {
        var buffer = ArrayPool<double>.Shared.Rent(Math.Max(1, values.Length));
        try
        {
            var n = CopyFinite(values, buffer);
            return MedianInPlace(buffer.AsSpan(0, n));
        }
        finally
        {
            ArrayPool<double>.Shared.Return(buffer);
        }
    }

    /// <summary>Median absolute deviation from the median of the finite values; NaN when none.</summary>
    public static double Mad(ReadOnlySpan<double> values)
    {
        var buffer = ArrayPool<double>.Shared.Rent(Math.Max(1, values.Length));
        try
        {
            var n = CopyFinite(values, buffer);
            var span = buffer.AsSpan(0, n);
            var median = MedianInPlace(span);
            for (var i = 0; i < span.Length; i++) span[i] = Math.Abs(span[i] - median);
            return MedianInPlace(span);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Robust z of <paramref name="x"/> against <paramref name="sample"/>: <c>(x − median)/(1.4826·MAD)</c>, finite
    /// sample values only. When MAD = 0 (more than half the sample identical) the scale falls back to
    /// 1.2533 × the mean absolute deviation from the median; when that is 0 too (a constant sample) the z is 0 for
    /// x equal to the median and ±∞ otherwise. NaN when the sample has no finite value or x is NaN.
    /// </summary>
    public static double RobustZ(double x, ReadOnlySpan<double> sample)
    {
        if (double.IsNaN(x)) return double.NaN;
        var buffer = ArrayPool<double>.Shared.Rent(Math.Max(1, sample.Length));
        try
        {
            var n = CopyFinite(sample, buffer);
            return RobustZInPlace(x, buffer.AsSpan(0, n));
        }
        finally
        {
            ArrayPool<double>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Taker flow of the bars whose close time is in (<paramref name="from"/>, <paramref name="to"/>]:
    /// TB = taker buy volume × price, TS = (volume − taker buy) × price, price = quote volume / volume when given, else
    /// the close. CVD over the window is <see cref="TakerFlow.Cvd"/>.
    /// </summary>
    public static TakerFlow Flow(IReadOnlyList<Bar> bars, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(bars);
        double buy = 0, sell = 0;
        int count = 0, without = 0;
        var end = Search.BarsClosedBy(bars, to.UtcTicks);
        for (var i = end - 1; i >= 0; i--)
        {
            var b = bars[i];
            if (b.CloseTime.UtcTicks <= from.UtcTicks) break;
            count++;
            if (double.IsNaN(b.TakerBuyVolume))
            {
                without++;
                continue;
            }
            var price = double.IsFinite(b.QuoteVolume) && b.Volume > 0 ? b.QuoteVolume / b.Volume : b.Close;
            buy += b.TakerBuyVolume * price;
            sell += (b.Volume - b.TakerBuyVolume) * price;
        }
        return new TakerFlow(buy, sell, count, without);
    }

    internal static double RobustZInPlace(double x, Span<double> sample)
    {
        if (sample.Length == 0 || double.IsNaN(x)) return double.NaN;
        var median = MedianInPlace(sample);
        double meanAbs = 0;
        for (var i = 0; i < sample.Length; i++)
        {
            sample[i] = Math.Abs(sample[i] - median);
            meanAbs += sample[i];
        }
        meanAbs /= sample.Length;
        var mad = MedianInPlace(sample);
        var scale = mad > 0 ? MadScale * mad : MeanAbsScale * meanAbs;
        if (scale > 0) return (x - median) / scale;
        return x == median ? 0 : x > median ? double.PositiveInfinity : double.NegativeInfinity;
    }

    /// <summary>Median by quickselect; reorders <paramref name="a"/>. Values must not be NaN.</summary>
    internal static double MedianInPlace(Span<double> a)
    {
        var n = a.Length;
        if (n == 0) return double.NaN;
        var k = n / 2;
        var upper = Select(a, k);
        if ((n & 1) == 1) return upper;
        var lower = double.NegativeInfinity;
        for (var i = 0; i < k; i++) lower = Math.Max(lower, a[i]);
        return (lower + upper) / 2;
    }

    // Hoare quickselect: on return a[k] is the k-th smallest, a[..k] ≤ a[k] ≤ a[(k+1)..].
    private static double Select(Span<double> a, int k)
    {
        int left = 0, right = a.Length - 1;
        while (right > left)
        {
            var mid = left + (right - left) / 2;
            double x = a[left], y = a[mid], z = a[right];
            var pivot = Math.Max(Math.Min(x, y), Math.Min(Math.Max(x, y), z));
            int i = left, j = right;
            while (i <= j)
            {
                while (a[i] < pivot) i++;
                while (a[j] > pivot) j--;
                if (i <= j)
                {
                    (a[i], a[j]) = (a[j], a[i]);
                    i++;
                    j--;
                }
            }
            if (k <= j) right = j;
            else if (k >= i) left = i;
            else break;
        }
        return a[k];
    }

    private static int CopyFinite(ReadOnlySpan<double> values, double[] buffer)
    {
        var n = 0;
        foreach (var v in values)
        {
            if (double.IsFinite(v)) buffer[n++] = v;
        }
        return n;
    }
}

/// <summary>Bars resampled into UTC-aligned buckets, as parallel arrays (bucket end times in UTC ticks).</summary>
internal sealed class BarSeries
{
    private BarSeries(int capacity, long bucketTicks)
    {
        BucketTicks = bucketTicks;
        EndTicks = new long[capacity];
        Open = new double[capacity];
        High = new double[capacity];
        Low = new double[capacity];
        Close = new double[capacity];
        Volume = new double[capacity];
        QuoteVolume = new double[capacity];
        TakerBuy = new double[capacity];
        MinClose = new double[capacity];
        AllClosed = new bool[capacity];
    }

    public long BucketTicks { get; }
    public int Count { get; private set; }
    public long[] EndTicks { get; }
    public double[] Open { get; }
    public double[] High { get; }
    public double[] Low { get; }
    public double[] Close { get; }
    public double[] Volume { get; }
    public double[] QuoteVolume { get; }
    public double[] TakerBuy { get; }
    public double[] MinClose { get; }
    public bool[] AllClosed { get; }

    public static BarSeries Resample(IReadOnlyList<Bar> bars, TimeSpan bucket)
    {
        var b = bucket.Ticks;
        var capacity = 0;
        if (bars.Count > 0)
        {
            var span = bars[^1].OpenTime.UtcTicks - bars[0].OpenTime.UtcTicks + bars[^1].Interval.Ticks;
            capacity = (int)Math.Min(bars.Count, span / b + 2);
        }
        var s = new BarSeries(capacity, b);
        var n = -1;
        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var end = ((bar.OpenTime.UtcTicks + bar.Interval.Ticks - 1) / b + 1) * b;
            if (n < 0 || s.EndTicks[n] != end)
            {
                n++;
                s.EndTicks[n] = end;
                s.Open[n] = bar.Open;
                s.High[n] = bar.High;
                s.Low[n] = bar.Low;
                s.Volume[n] = bar.Volume;
                s.QuoteVolume[n] = bar.QuoteVolume;
                s.TakerBuy[n] = bar.TakerBuyVolume;
                s.MinClose[n] = bar.Close;
                s.AllClosed[n] = bar.Closed;
            }
            else
            {
                if (bar.High > s.High[n]) s.High[n] = bar.High;
                if (bar.Low < s.Low[n]) s.Low[n] = bar.Low;
                s.Volume[n] += bar.Volume;
                s.QuoteVolume[n] += bar.QuoteVolume;
                s.TakerBuy[n] += bar.TakerBuyVolume;
                if (bar.Close < s.MinClose[n]) s.MinClose[n] = bar.Close;
                s.AllClosed[n] &= bar.Closed;
            }
            s.Close[n] = bar.Close;
        }
        s.Count = n + 1;
        return s;
    }

    /// <summary>Number of buckets complete by <paramref name="nowTicks"/> (end ≤ now).</summary>
    public int CompleteBy(long nowTicks) => Search.UpperBound(EndTicks, Count, nowTicks);

    /// <summary>Index of the bucket ending exactly at <paramref name="endTicks"/> among the first <paramref name="count"/>, or −1.</summary>
    public int IndexOf(long endTicks, int count)
    {
        var i = Search.UpperBound(EndTicks, count, endTicks) - 1;
        return i >= 0 && EndTicks[i] == endTicks ? i : -1;
    }
}

/// <summary>Premium samples summed per UTC hour, (h − 1 h, h] keyed by the hour's end.</summary>
internal sealed class HourlyMeans
{
    private HourlyMeans(int capacity)
    {
        EndTicks = new long[capacity];
        Sum = new double[capacity];
        Count = new int[capacity];
    }

    public long[] EndTicks { get; }
    public double[] Sum { get; }
    public int[] Count { get; }
    public int Length { get; private set; }

    public static HourlyMeans Of(IReadOnlyList<PremiumPoint> points)
    {
        var hour = TimeSpan.TicksPerHour;
        var capacity = 0;
        if (points.Count > 0) capacity = (int)Math.Min(points.Count, (points[^1].Time.UtcTicks - points[0].Time.UtcTicks) / hour + 2);
        var m = new HourlyMeans(capacity);
        var n = -1;
        for (var i = 0; i < points.Count; i++)
        {
            var premium = points[i].Premium;
            if (!double.IsFinite(premium)) continue;
            var end = ((points[i].Time.UtcTicks - 1) / hour + 1) * hour;
            if (n < 0 || m.EndTicks[n] != end)
            {
                n++;
                m.EndTicks[n] = end;
            }
            m.Sum[n] += premium;
            m.Count[n]++;
        }
        m.Length = n + 1;
        return m;
    }
}

/// <summary>Binary searches over ascending time series.</summary>
internal static class Search
{
    /// <summary>Number of elements ≤ <paramref name="value"/> in the first <paramref name="count"/> of an ascending array.</summary>
    public static int UpperBound(long[] sorted, int count, long value)
    {
        int lo = 0, hi = count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] <= value) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>Number of bars whose close time is ≤ <paramref name="ticks"/>.</summary>
    public static int BarsClosedBy(IReadOnlyList<Bar> bars, long ticks)
    {
        int lo = 0, hi = bars.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (bars[mid].CloseTime.UtcTicks <= ticks) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>Number of points at or before <paramref name="ticks"/>, by <paramref name="time"/>.</summary>
    public static int UpTo<T>(IReadOnlyList<T> points, long ticks, Func<T, DateTimeOffset> time)
    {
        int lo = 0, hi = points.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (time(points[mid]).UtcTicks <= ticks) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}

/// <summary>
/// Raw bars as parallel arrays (open/close times in UTC ticks, high, close) with prefix sums of taker buy and sell
/// notional, so a window's CVD is two lookups. Built once per <see cref="RuleInputs"/>.
/// </summary>
internal sealed class BarArrays
{
    private BarArrays(int n, long from)
    {
        From = from;
        OpenTicks = new long[n];
        CloseTicks = new long[n];
        High = new double[n];
        Close = new double[n];
        BuyPrefix = new double[n + 1];
        SellPrefix = new double[n + 1];
        NoTakerPrefix = new int[n + 1];
    }

    /// <summary>Only bars closing after this time (UTC ticks) are held.</summary>
    public long From { get; }
    public int Count => CloseTicks.Length;
    public long[] OpenTicks { get; }
    public long[] CloseTicks { get; }
    public double[] High { get; }
    public double[] Close { get; }
    public double[] BuyPrefix { get; }
    public double[] SellPrefix { get; }
    public int[] NoTakerPrefix { get; }

    /// <summary>The bars closing after <paramref name="from"/> (UTC ticks).</summary>
    public static BarArrays Of(IReadOnlyList<Bar> bars, long from)
    {
        var first = Search.BarsClosedBy(bars, from);
        var a = new BarArrays(bars.Count - first, from);
        for (var i = 0; i < a.Count; i++)
        {
            var b = bars[first + i];
            a.OpenTicks[i] = b.OpenTime.UtcTicks;
            a.CloseTicks[i] = b.OpenTime.UtcTicks + b.Interval.Ticks;
            a.High[i] = b.High;
            a.Close[i] = b.Close;
            var noTaker = double.IsNaN(b.TakerBuyVolume);
            double buy = 0, sell = 0;
            if (!noTaker)
            {
                var price = double.IsFinite(b.QuoteVolume) && b.Volume > 0 ? b.QuoteVolume / b.Volume : b.Close;
                buy = b.TakerBuyVolume * price;
                sell = (b.Volume - b.TakerBuyVolume) * price;
            }
            a.BuyPrefix[i + 1] = a.BuyPrefix[i] + buy;
            a.SellPrefix[i + 1] = a.SellPrefix[i] + sell;
            a.NoTakerPrefix[i + 1] = a.NoTakerPrefix[i] + (noTaker ? 1 : 0);
        }
        return a;
    }

    /// <summary>Number of bars closed by <paramref name="ticks"/>.</summary>
    public int ClosedBy(long ticks) => Search.UpperBound(CloseTicks, CloseTicks.Length, ticks);

    /// <summary>Taker flow of the bars closing in (from, to].</summary>
    public TakerFlow Flow(long from, long to)
    {
        var lo = ClosedBy(from);
        var hi = ClosedBy(to);
        if (hi <= lo) return new TakerFlow(0, 0, 0, 0);
        return new TakerFlow(BuyPrefix[hi] - BuyPrefix[lo], SellPrefix[hi] - SellPrefix[lo], hi - lo, NoTakerPrefix[hi] - NoTakerPrefix[lo]);
    }
}

/// <summary>Open interest as arrays: times (UTC ticks) and values (USD when the latest point has it, else coins).</summary>
internal sealed class OiArrays
{
    private OiArrays(int n, bool usd)
    {
        Ticks = new long[n];
        Value = new double[n];
        Usd = usd;
    }

    public long[] Ticks { get; }
    public double[] Value { get; }
    public bool Usd { get; }
    public int Count => Ticks.Length;

    /// <summary>Hour ends (UTC ticks) of the hourly summaries: points in (end − 1 h, end].</summary>
    public long[] HourEnd { get; private set; } = [];
    /// <summary>Largest finite value in each hour.</summary>
    public double[] HourMax { get; private set; } = [];
    /// <summary>Smallest finite value in each hour.</summary>
    public double[] HourMin { get; private set; } = [];
    /// <summary>Number of hourly summaries.</summary>
    public int Hours { get; private set; }

    public static OiArrays Of(IReadOnlyList<OpenInterestPoint> points)
    {
        var usd = points.Count == 0 || double.IsFinite(points[^1].Usd);
        var a = new OiArrays(points.Count, usd);
        var hour = TimeSpan.TicksPerHour;
        var capacity = points.Count == 0 ? 0 : (int)Math.Min(points.Count, (points[^1].Time.UtcTicks - points[0].Time.UtcTicks) / hour + 2);
        var ends = new long[capacity];
        var max = new double[capacity];
        var min = new double[capacity];
        var n = -1;
        for (var i = 0; i < points.Count; i++)
        {
            var t = points[i].Time.UtcTicks;
            var v = usd ? points[i].Usd : points[i].Coins;
            a.Ticks[i] = t;
            a.Value[i] = v;
            if (!double.IsFinite(v)) continue;
            var end = ((t - 1) / hour + 1) * hour;
            if (n < 0 || ends[n] != end)
            {
                n++;
                ends[n] = end;
                max[n] = v;
                min[n] = v;
            }
            else
            {
                max[n] = Math.Max(max[n], v);
                min[n] = Math.Min(min[n], v);
            }
        }
        a.HourEnd = ends;
        a.HourMax = max;
        a.HourMin = min;
        a.Hours = n + 1;
        return a;
    }
}
