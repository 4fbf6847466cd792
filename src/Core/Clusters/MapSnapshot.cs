using PerpGuard.Core.Cascade;
using PerpGuard.Core.Venues;

namespace PerpGuard.Core.Clusters;

/// <summary>
/// One price bin of a snapshot, raw USD. Long notional is binned half-open downwards, <c>(PriceLow, PriceHigh]</c>,
/// short notional upwards, <c>[PriceLow, PriceHigh)</c>, so a level exactly at the reference price counts on its own
/// side and each bin covers distances <c>[u, u + BinPct)</c> in the direction studied.
/// </summary>
/// <param name="PriceLow">Lower edge.</param>
/// <param name="PriceHigh">Upper edge.</param>
/// <param name="LongUsd">Long notional whose liquidation price falls in the bin, USD (raw).</param>
/// <param name="ShortUsd">Short notional whose liquidation price falls in the bin, USD (raw).</param>
public readonly record struct MapBin(double PriceLow, double PriceHigh, double LongUsd, double ShortUsd);

/// <summary>A cluster of estimated liquidations on one side (risk-model §a.5 step 4).</summary>
/// <param name="Side">Long clusters sit below the reference price, short clusters above.</param>
/// <param name="PriceLow">Lower edge of the cluster's lowest bin.</param>
/// <param name="PriceHigh">Upper edge of the cluster's highest bin.</param>
/// <param name="PricePeak">Middle of the bin where the smoothed map peaks.</param>
/// <param name="NotionalUsd">Raw notional of the cluster's bins, USD.</param>
/// <param name="CalibratedUsd"><paramref name="NotionalUsd"/> × φ.</param>
/// <param name="DistancePct">
/// <c>(PricePeak − p0)/p0</c> as a fraction, signed: negative for long clusters, positive for short ones (−0.02 = 2% below).
/// </param>
/// <param name="ShareOfSide">Raw notional over the side's whole-map total (in view or not), in [0, 1].</param>
/// <param name="MedianAgeHours">
/// Notional-weighted median age of the cluster's merged cohorts at the snapshot time. Approximate: each merged cohort
/// counts at its notional-weighted mean entry time.
/// </param>
public sealed record LiquidationCluster(PositionSide Side, double PriceLow, double PriceHigh, double PricePeak, double NotionalUsd,
    double CalibratedUsd, double DistancePct, double ShareOfSide, double MedianAgeHours);

/// <summary>
/// Where a position's liquidation price sits among its own side's clusters (risk-model §a.5, nearest-cluster API).
/// </summary>
/// <param name="Between">Clusters entirely between the reference price and the liquidation price, nearest first.</param>
/// <param name="Containing">The cluster whose price range contains the liquidation price, if any.</param>
/// <param name="Beyond">The first cluster entirely past the liquidation price, if any.</param>
public sealed record ClusterPlacement(IReadOnlyList<LiquidationCluster> Between, LiquidationCluster? Containing, LiquidationCluster? Beyond);

/// <summary>A merged cohort as a snapshot keeps it.</summary>
internal readonly record struct SnapshotCohort(PositionSide Side, double LiquidationPrice, double NotionalUsd, double AgeHours);

/// <summary>
/// The cluster map read at one reference price and moment (risk-model §a.5): dense bins of width
/// <c>BinPct × ReferencePrice</c> within ±<c>RangePct</c>, with the reference price on a bin edge, and the clusters of
/// each side. Immutable and independent of the map it came from. Raw values are USD sums of cohort notionals, an upper
/// bound on what could be force-closed; calibrated values are raw × φ.
/// </summary>
public sealed class MapSnapshot
{
    private const int KernelRadius = 3;
    private const double PeakPercentile = 0.80;
    private const double MinClusterShare = 0.0005;
    private const double ExtendShare = 0.5;

    private readonly SnapshotCohort[] _cohorts;
    private readonly MapBin[] _bins;
    private readonly int[] _binOf;
    private readonly int _perSide;
    private readonly double _binPct;
    private readonly double _phi;
    private readonly double _longTotal, _shortTotal;
    private readonly LiquidationCluster[] _longClusters, _shortClusters;

    internal MapSnapshot(ClusterMapSettings settings, double referencePrice, DateTimeOffset asOf, SnapshotCohort[] cohorts,
        double longTotal, double shortTotal)
    {
        ReferencePrice = referencePrice;
        AsOf = asOf;
        _binPct = settings.BinPct;
        BinWidth = settings.BinPct * referencePrice;
        Parameters = settings.Describe();
        Calibrated = settings.IsCalibrated;
        _phi = settings.Calibration;
        _cohorts = cohorts;
        _longTotal = longTotal;
        _shortTotal = shortTotal;

        _perSide = (int)Math.Ceiling(settings.RangePct / settings.BinPct - 1e-9);
        _bins = new MapBin[2 * _perSide];
        var longs = new double[_bins.Length];
        var shorts = new double[_bins.Length];
        _binOf = new int[cohorts.Length];
        for (var i = 0; i < cohorts.Length; i++)
        {
            var c = cohorts[i];
            var t = (c.LiquidationPrice - referencePrice) / BinWidth;
            var j = c.Side == PositionSide.Long ? _perSide + (int)Math.Clamp(Math.Ceiling(t), -1e9, 1e9) - 1
                : _perSide + (int)Math.Clamp(Math.Floor(t), -1e9, 1e9);
            if ((uint)j >= (uint)_bins.Length) { _binOf[i] = -1; continue; }
            _binOf[i] = j;
            if (c.Side == PositionSide.Long) longs[j] += c.NotionalUsd; else shorts[j] += c.NotionalUsd;
        }
        for (var j = 0; j < _bins.Length; j++)
            _bins[j] = new MapBin(Edge(j), Edge(j + 1), longs[j], shorts[j]);
        Bins = Array.AsReadOnly(_bins);
        _longClusters = Extract(PositionSide.Long);
        _shortClusters = Extract(PositionSide.Short);
    }

    /// <summary>p0: the price distances are measured from.</summary>
    public double ReferencePrice { get; }

    /// <summary>The moment cluster ages are measured at.</summary>
    public DateTimeOffset AsOf { get; }

    /// <summary>Bin width in price units, <c>BinPct × ReferencePrice</c>.</summary>
    public double BinWidth { get; }

    /// <summary>Every bin within ±RangePct of the reference, ascending price, empty ones included.</summary>
    public IReadOnlyList<MapBin> Bins { get; }

    /// <summary>The settings' one-line description (<see cref="ClusterMapSettings.Describe"/>), for labels.</summary>
    public string Parameters { get; }

    /// <summary>Whether φ ≠ 1; when false, calibrated values equal raw ones and should be labelled "uncalibrated".</summary>
    public bool Calibrated { get; }

    /// <summary>Raw long notional of the whole map (in view or not), USD.</summary>
    public double LongUsd => _longTotal;

    /// <summary>Raw short notional of the whole map (in view or not), USD.</summary>
    public double ShortUsd => _shortTotal;

    /// <summary>
    /// The clusters of one side, nearest the reference first (§a.5): the side's bins are smoothed with a Gaussian of
    /// σ = 1 bin (truncated at ±3 bins); a peak is a local maximum of the smoothed values that is ≥ their 80th
    /// percentile over the side's non-zero smoothed bins (nearest rank) and ≥ 0.05% of the side's whole-map total;
    /// peaks are taken highest first and each extends both ways while the smoothed value stays ≥ half its peak,
    /// stopping at a cluster already taken. Long clusters come from the bins below the reference, short ones from above.
    /// </summary>
    public IReadOnlyList<LiquidationCluster> Clusters(PositionSide side) => side == PositionSide.Long ? _longClusters : _shortClusters;

    /// <summary>The nearest cluster of a side (long: below price, short: above), or null when there is none.</summary>
    public LiquidationCluster? Nearest(PositionSide side)
    {
        var list = Clusters(side);
        return list.Count > 0 ? list[0] : null;
    }

    /// <summary>
    /// L_s(x) of risk-model §c: calibrated notional of a side whose liquidation price lies between the reference and
    /// <c>reference·(1 ∓ pct)</c>, both ends inclusive (long: below, short: above). Counted from the cohorts themselves,
    /// so it is not limited to the grid's range.
    /// </summary>
    /// <param name="side">Long (downside) or short (upside).</param>
    /// <param name="pct">Band x ≥ 0 as a fraction (0.02 = 2%).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pct"/> is negative or not finite.</exception>
    public double NotionalWithin(PositionSide side, double pct)
    {
        if (!double.IsFinite(pct) || pct < 0) throw new ArgumentOutOfRangeException(nameof(pct), pct, "The band must be finite and ≥ 0.");
        double lo, hi;
        if (side == PositionSide.Long) { lo = ReferencePrice * (1 - pct); hi = ReferencePrice; }
        else { lo = ReferencePrice; hi = ReferencePrice * (1 + pct); }
        var sum = 0.0;
        foreach (var c in _cohorts)
            if (c.Side == side && c.LiquidationPrice >= lo && c.LiquidationPrice <= hi) sum += c.NotionalUsd;
        return sum * _phi;
    }

    /// <summary>
    /// Where a position's liquidation price sits among the clusters of its own side (§a.5): for a long position
    /// (liquidation below price) the long clusters between price and LP, the one containing LP and the first one below
    /// LP; mirrored for a short. A cluster "contains" LP when <c>PriceLow ≤ LP ≤ PriceHigh</c>.
    /// </summary>
    /// <param name="positionSide">Side of the user's position.</param>
    /// <param name="liquidationPrice">The position's liquidation price, finite and &gt; 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="liquidationPrice"/> is not finite and positive.</exception>
    public ClusterPlacement Place(PositionSide positionSide, double liquidationPrice)
    {
        if (!double.IsFinite(liquidationPrice) || liquidationPrice <= 0)
            throw new ArgumentOutOfRangeException(nameof(liquidationPrice), liquidationPrice, "The liquidation price must be finite and positive.");
        var between = new List<LiquidationCluster>();
        LiquidationCluster? containing = null, beyond = null;
        var isLong = positionSide == PositionSide.Long;
        foreach (var c in Clusters(positionSide)) // nearest first
        {
            if (c.PriceLow <= liquidationPrice && liquidationPrice <= c.PriceHigh)
            {
                containing ??= c;
                continue;
            }
            var before = isLong ? c.PriceLow > liquidationPrice : c.PriceHigh < liquidationPrice;
            if (before) between.Add(c);
            else { beyond = c; break; }
        }
        return new ClusterPlacement(between.AsReadOnly(), containing, beyond);
    }

    /// <summary>
    /// The cascade simulator's input (risk-model §b.2): one level per non-empty bin of the side's half of the grid,
    /// at the distance u from the reference to the bin's middle (long: <c>1 − mid/p0</c>, short: <c>mid/p0 − 1</c>),
    /// with the calibrated notional, ascending u.
    /// </summary>
    public IReadOnlyList<ForcedLevel> Forced(PositionSide side)
    {
        var levels = new List<ForcedLevel>();
        for (var k = 0; k < _perSide; k++)
        {
            var bin = _bins[BinAt(side, k)];
            var usd = side == PositionSide.Long ? bin.LongUsd : bin.ShortUsd;
            if (usd > 0) levels.Add(new ForcedLevel((k + 0.5) * _binPct, usd * _phi));
        }
        return levels.AsReadOnly();
    }

    /// <summary>The grid index of the bin k steps away from the reference on a side (k = 0 touches the reference).</summary>
    private int BinAt(PositionSide side, int k) => side == PositionSide.Long ? _perSide - 1 - k : _perSide + k;

    private double Edge(int j) => ReferencePrice + (j - _perSide) * BinWidth;

    private LiquidationCluster[] Extract(PositionSide side)
    {
        var n = _perSide;
        var raw = new double[n];
        for (var k = 0; k < n; k++)
        {
            var bin = _bins[BinAt(side, k)];
            raw[k] = side == PositionSide.Long ? bin.LongUsd : bin.ShortUsd;
        }
        var smooth = Smooth(raw);

        var nonZero = smooth.Where(v => v > 0).ToArray();
        if (nonZero.Length == 0) return [];
        Array.Sort(nonZero);
        var p80 = nonZero[Math.Max(0, (int)Math.Ceiling(PeakPercentile * nonZero.Length) - 1)];
        var sideTotal = side == PositionSide.Long ? _longTotal : _shortTotal;
        var threshold = Math.Max(p80, MinClusterShare * sideTotal);

        var peaks = new List<int>();
        for (var k = 0; k < n; k++)
        {
            var v = smooth[k];
            if (!(v > 0) || v < threshold) continue;
            var left = k > 0 ? smooth[k - 1] : double.NegativeInfinity;
            var right = k < n - 1 ? smooth[k + 1] : double.NegativeInfinity;
            if (v >= left && v > right) peaks.Add(k);
        }
        peaks.Sort((a, b) => smooth[b].CompareTo(smooth[a]));

        var taken = new bool[n];
        var clusters = new List<(int Peak, int From, int To)>();
        foreach (var peak in peaks)
        {
            if (taken[peak]) continue;
            var floor = ExtendShare * smooth[peak];
            var from = peak;
            while (from > 0 && !taken[from - 1] && smooth[from - 1] >= floor) from--;
            var to = peak;
            while (to < n - 1 && !taken[to + 1] && smooth[to + 1] >= floor) to++;
            for (var k = from; k <= to; k++) taken[k] = true;
            clusters.Add((peak, from, to));
        }
        clusters.Sort((a, b) => a.Peak.CompareTo(b.Peak));
        return [.. clusters.Select(c => Describe(side, raw, c.Peak, c.From, c.To, sideTotal))];
    }

    private LiquidationCluster Describe(PositionSide side, double[] raw, int peak, int from, int to, double sideTotal)
    {
        var notional = 0.0;
        for (var k = from; k <= to; k++) notional += raw[k];
        int jLow = BinAt(side, from), jHigh = BinAt(side, to);
        if (jLow > jHigh) (jLow, jHigh) = (jHigh, jLow);
        var jPeak = BinAt(side, peak);
        var pricePeak = (Edge(jPeak) + Edge(jPeak + 1)) / 2;
        return new LiquidationCluster(side, Edge(jLow), Edge(jHigh + 1), pricePeak, notional, notional * _phi,
            (pricePeak - ReferencePrice) / ReferencePrice, sideTotal > 0 ? Math.Min(1, notional / sideTotal) : 0,
            MedianAge(side, jLow, jHigh));
    }

    /// <summary>Notional-weighted median age of the side's cohorts binned in [jLow, jHigh].</summary>
    private double MedianAge(PositionSide side, int jLow, int jHigh)
    {
        var ages = new List<(double Age, double Usd)>();
        var total = 0.0;
        for (var i = 0; i < _cohorts.Length; i++)
        {
            var j = _binOf[i];
            if (j < jLow || j > jHigh || _cohorts[i].Side != side || !(_cohorts[i].NotionalUsd > 0)) continue;
            ages.Add((_cohorts[i].AgeHours, _cohorts[i].NotionalUsd));
            total += _cohorts[i].NotionalUsd;
        }
        if (ages.Count == 0) return double.NaN;
        ages.Sort((a, b) => a.Age.CompareTo(b.Age));
        var cumulative = 0.0;
        foreach (var (age, usd) in ages)
        {
            cumulative += usd;
            if (cumulative >= total / 2) return age;
        }
        return ages[^1].Age;
    }

    /// <summary>Gaussian smoothing, σ = 1 bin, truncated at ±3 bins; mass beyond the ends is dropped.</summary>
    private static double[] Smooth(double[] raw)
    {
        Span<double> kernel = stackalloc double[2 * KernelRadius + 1];
        var sum = 0.0;
        for (var d = -KernelRadius; d <= KernelRadius; d++) sum += kernel[d + KernelRadius] = Math.Exp(-0.5 * d * d);
        for (var i = 0; i < kernel.Length; i++) kernel[i] /= sum;
        var result = new double[raw.Length];
        for (var k = 0; k < raw.Length; k++)
        {
            if (raw[k] == 0) continue;
            for (var d = -KernelRadius; d <= KernelRadius; d++)
            {
                var t = k + d;
                if ((uint)t < (uint)raw.Length) result[t] += raw[k] * kernel[d + KernelRadius];
            }
        }
        return result;
    }
}
