using System.Globalization;
using PerpGuard.Core.Margin;
using PerpGuard.Core.Market;
using PerpGuard.Core.Venues;

namespace PerpGuard.Core.Clusters;

/// <summary>
/// What one <see cref="ClusterMap.Add"/> did, in USD (risk-model §a.3). Over a map's life
/// <c>Σ OpenedUsd − Σ (ConsumedLongUsd + ConsumedShortUsd + DecayedUsd + ClosedUsd) = LongUsd + ShortUsd</c>.
/// </summary>
/// <param name="ConsumedLongUsd">Long notional deleted because the bar's low crossed its liquidation price (step 1).</param>
/// <param name="ConsumedShortUsd">Short notional deleted because the bar's high crossed its liquidation price (step 1).</param>
/// <param name="DecayedUsd">Notional removed by the half-life decay (step 2), including negligible cohorts pruned.</param>
/// <param name="ClosedUsd">Notional removed on a negative ΔOI (step 3), both sides.</param>
/// <param name="OpenedUsd">Notional added on a positive ΔOI (step 4), both sides, after dropping impossible buckets.</param>
/// <param name="LongShare">The long share wL used for the bar (after shrink), whether or not anything was opened.</param>
/// <param name="ShareSource">Where <paramref name="LongShare"/> came from; <see cref="LongShareSource.Candle"/> when Taker fell back.</param>
public sealed record BarUpdate(double ConsumedLongUsd, double ConsumedShortUsd, double DecayedUsd, double ClosedUsd, double OpenedUsd,
    double LongShare, LongShareSource ShareSource);

/// <summary>
/// Estimated map of where other traders' positions liquidate (risk-model §a), built bar by bar from candles and open
/// interest. Each bar consumes crossed cohorts, decays the rest, closes on falling open interest and opens new
/// cohorts on rising open interest, in that order (§a.3). Cohorts are merged per side on a log grid of the
/// liquidation price (<see cref="ClusterMapSettings.BinPct"/> wide) and kept sorted, so a bar costs O(cohorts touched):
/// decay and proportional closes are side-wide lazy factors. <see cref="Snapshot"/> reads the map on demand.
/// Not thread-safe: one writer, and snapshots are taken between adds.
/// </summary>
public sealed class ClusterMap
{
    private readonly ClusterMapSettings _settings;
    private readonly TierTable? _tiers;
    private readonly LeverageWeight[] _mix;
    private readonly double _invLogStep;
    private readonly CohortBook _long = new();
    private readonly CohortBook _short = new();
    private double _anchorPrice;
    private DateTimeOffset _anchorTime;
    private DateTimeOffset _lastCloseTime;
    private double _previousOi;

    /// <summary>Creates an empty map.</summary>
    /// <param name="settings">The map's settings; must pass <see cref="ClusterMapSettings.Validate"/>.</param>
    /// <param name="tiers">
    /// The venue's tier table. When its basis is <see cref="TierBasis.Notional"/>, a new cohort's maintenance rate m
    /// is the rate of the bracket at the cohort's own notional (converted to coins for inverse contracts); otherwise,
    /// and without a table, m is <see cref="ClusterMapSettings.DefaultMaintenanceRate"/>.
    /// </param>
    /// <exception cref="ArgumentException">The settings are invalid.</exception>
    public ClusterMap(ClusterMapSettings settings, TierTable? tiers = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Validate() is { } problem) throw new ArgumentException(problem, nameof(settings));
        _settings = settings;
        _tiers = tiers is { Basis: TierBasis.Notional } ? tiers : null;
        _mix = [.. settings.Mix];
        _invLogStep = 1 / Math.Log(1 + settings.BinPct);
    }

    /// <summary>The settings the map was built with.</summary>
    public ClusterMapSettings Settings => _settings;

    /// <summary>Current long notional on the map, USD (raw, uncalibrated).</summary>
    public double LongUsd => _long.Total;

    /// <summary>Current short notional on the map, USD (raw, uncalibrated).</summary>
    public double ShortUsd => _short.Total;

    /// <summary>Bars added so far (the first one only seeds the open interest).</summary>
    public int BarCount { get; private set; }

    /// <summary>Open time of the last bar added; null before the first.</summary>
    public DateTimeOffset? LastBarTime { get; private set; }

    /// <summary>Close price of the last bar added; NaN before the first.</summary>
    public double LastClose { get; private set; } = double.NaN;

    /// <summary>Number of merged cohorts (both sides) currently held.</summary>
    public int CohortCount => _long.Count + _short.Count;

    /// <summary>
    /// The approximate liquidation price of an anonymous isolated cohort (§a.4): long <c>p_e·(1 − 1/L)/(1 − m)</c>,
    /// short <c>p_e·(1 + 1/L)/(1 + m)</c>. NaN when <c>1/L ≤ m</c>: such a bucket cannot exist and is dropped.
    /// </summary>
    /// <param name="side">Side of the cohort.</param>
    /// <param name="entryPrice">Entry price p_e &gt; 0.</param>
    /// <param name="leverage">Leverage L &gt; 1.</param>
    /// <param name="maintenanceRate">Maintenance margin rate m in [0, 1).</param>
    public static double CohortLiquidationPrice(PositionSide side, double entryPrice, double leverage, double maintenanceRate)
    {
        var inverse = 1 / leverage;
        if (!(inverse > maintenanceRate)) return double.NaN;
        return side == PositionSide.Long
            ? entryPrice * (1 - inverse) / (1 - maintenanceRate)
            : entryPrice * (1 + inverse) / (1 + maintenanceRate);
    }

    /// <summary>Builds a map from bars in time order.</summary>
    /// <param name="s">Settings.</param>
    /// <param name="tiers">Tier table, see the constructor.</param>
    /// <param name="bars">Each closed bar with the open interest (base coins, one side) at its close.</param>
    /// <exception cref="ArgumentException">Invalid settings, or a bar or open interest that <see cref="Add"/> rejects.</exception>
    public static ClusterMap Build(ClusterMapSettings s, TierTable? tiers, IEnumerable<(Bar Bar, double OpenInterestCoins)> bars)
    {
        ArgumentNullException.ThrowIfNull(bars);
        var map = new ClusterMap(s, tiers);
        foreach (var (bar, oi) in bars) map.Add(bar, oi);
        return map;
    }

    /// <summary>
    /// Applies one closed bar (§a.3): consume, decay, close on negative ΔOI, open on positive ΔOI. The first bar only
    /// seeds the open interest and fixes the grid's anchor. Cohorts opened by a bar are not consumed by that bar.
    /// Decay uses the time since the previous bar closed, which is the bar interval when no bars are missing.
    /// </summary>
    /// <param name="bar">A closed bar, after the previous one (its open time at or after the previous close time).</param>
    /// <param name="openInterestCoins">Open interest in base coins at the bar's close; finite and ≥ 0.</param>
    /// <returns>What the bar did.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="bar"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// The bar is out of order (opens before the previous bar closed), still forming, has a non-positive interval,
    /// non-finite or non-positive prices, a high below or a low above the other prices, negative or non-finite volume,
    /// negative quote volume, or taker buy volume outside [0, volume]; or the open interest is NaN, infinite or negative.
    /// </exception>
    public BarUpdate Add(Bar bar, double openInterestCoins)
    {
        ArgumentNullException.ThrowIfNull(bar);
        Check(bar, openInterestCoins);
        if (BarCount > 0 && bar.OpenTime < _lastCloseTime)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Bar at {bar.OpenTime:O} is out of order: the previous bar closed at {_lastCloseTime:O}."), nameof(bar));

        var (share, source) = LongShareOf(bar);
        if (BarCount == 0)
        {
            _anchorPrice = bar.Close;
            _anchorTime = bar.CloseTime;
            Accept(bar, openInterestCoins);
            return new BarUpdate(0, 0, 0, 0, 0, share, source);
        }

        // 1. Consume.
        var tau = _settings.ConsumeTolerance;
        var consumedLong = _long.ConsumeFromTop(bar.Low * (1 - tau));
        var consumedShort = _short.ConsumeFromBottom(bar.High * (1 + tau));

        // 2. Decay.
        var elapsed = (bar.CloseTime - _lastCloseTime).TotalSeconds;
        var factor = Math.Exp(-Math.Log(2) * elapsed / _settings.HalfLife.TotalSeconds);
        var before = _long.Total + _short.Total;
        _long.ScaleBy(factor);
        _short.ScaleBy(factor);
        var decayed = Math.Max(0, before - (_long.Total + _short.Total));

        // 3. Close on negative ΔOI.
        var deltaOi = openInterestCoins - _previousOi;
        var closed = 0.0;
        if (deltaOi < 0)
        {
            var r = Math.Max(0, -deltaOi * bar.Close - (consumedLong + consumedShort) * _settings.DoubleCountFactor);
            var longTotal = _long.Total;
            var shortTotal = _short.Total;
            var total = longTotal + shortTotal;
            if (r > 0 && total > 0)
            {
                var rLong = r * (longTotal / total);
                var rShort = r - rLong;
                closed = _settings.Close == CloseRule.ProfitFirst
                    ? _long.RemoveFromEnd(rLong, fromBottom: true) + _short.RemoveFromEnd(rShort, fromBottom: false)
                    : _long.RemoveProportional(rLong) + _short.RemoveProportional(rShort);
            }
        }

        // 4. Open on positive ΔOI.
        var opened = 0.0;
        if (deltaOi > 0)
        {
            var entry = EntryPrice(bar);
            var notional = deltaOi * entry;
            var entryTime = (bar.OpenTime + bar.Interval / 2 - _anchorTime).TotalSeconds;
            opened += Open(_long, PositionSide.Long, notional * share, entry, entryTime);
            opened += Open(_short, PositionSide.Short, notional * (1 - share), entry, entryTime);
        }

        decayed += _long.RenormaliseIfNeeded() + _short.RenormaliseIfNeeded();
        Accept(bar, openInterestCoins);
        return new BarUpdate(consumedLong, consumedShort, decayed, closed, opened, share, source);
    }

    /// <summary>
    /// Reads the map on a linear grid of <c>BinPct × referencePrice</c> bins within ±<c>RangePct</c> of the reference,
    /// and extracts clusters (§a.5). O(cohorts + bins); the snapshot is independent of later adds.
    /// </summary>
    /// <param name="referencePrice">p0, usually the current mark; finite and &gt; 0.</param>
    /// <param name="asOf">The moment ages are measured from (cluster median ages).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="referencePrice"/> is not finite and positive.</exception>
    public MapSnapshot Snapshot(double referencePrice, DateTimeOffset asOf)
    {
        if (!double.IsFinite(referencePrice) || referencePrice <= 0)
            throw new ArgumentOutOfRangeException(nameof(referencePrice), referencePrice, "The reference price must be finite and positive.");
        var cohorts = new List<CohortView>(CohortCount);
        _long.CopyTo(cohorts);
        var longCount = cohorts.Count;
        _short.CopyTo(cohorts);
        var offsetSeconds = (asOf - _anchorTime).TotalSeconds;
        var entries = new SnapshotCohort[cohorts.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            var c = cohorts[i];
            entries[i] = new SnapshotCohort(i < longCount ? PositionSide.Long : PositionSide.Short, c.LiquidationPrice, c.NotionalUsd,
                Math.Max(0, (offsetSeconds - c.EntryTime) / 3600));
        }
        return new MapSnapshot(_settings, referencePrice, asOf, entries, LongUsd, ShortUsd);
    }

    /// <summary>The merged cohorts of one side in ascending liquidation price (for tests and diagnostics).</summary>
    internal IEnumerable<CohortView> Cohorts(PositionSide side) => side == PositionSide.Long ? _long.Cohorts() : _short.Cohorts();

    /// <summary>Entry time of a cohort view as a moment.</summary>
    internal DateTimeOffset EntryMoment(CohortView cohort) => _anchorTime + TimeSpan.FromSeconds(cohort.EntryTime);

    /// <summary>The maintenance rate for a new cohort of <paramref name="usd"/> entered at <paramref name="entry"/>.</summary>
    internal double MaintenanceRate(double usd, double entry)
    {
        if (_tiers is null) return _settings.DefaultMaintenanceRate;
        var basis = _tiers.Contract == ContractType.Inverse ? usd / entry : usd;
        return _tiers.Find(basis).MaintenanceRate;
    }

    private double Open(CohortBook book, PositionSide side, double sideUsd, double entry, double entryTime)
    {
        if (!(sideUsd > 0)) return 0;
        var opened = 0.0;
        foreach (var (leverage, weight) in _mix)
        {
            var usd = sideUsd * weight;
            if (!(usd > 0)) continue;
            var liq = CohortLiquidationPrice(side, entry, leverage, MaintenanceRate(usd, entry));
            if (double.IsNaN(liq)) continue;
            book.Add(Bin(liq), usd, liq, entryTime, entry);
            opened += usd;
        }
        return opened;
    }

    private int Bin(double price)
    {
        var k = Math.Floor(Math.Log(price / _anchorPrice) * _invLogStep);
        return (int)Math.Clamp(k, -1e9, 1e9);
    }

    private void Accept(Bar bar, double openInterestCoins)
    {
        _previousOi = openInterestCoins;
        _lastCloseTime = bar.CloseTime;
        LastBarTime = bar.OpenTime;
        LastClose = bar.Close;
        BarCount++;
    }

    /// <summary>VWAP when volume and quote volume are finite and positive (clamped into [low, high]), else (H+L+C)/3.</summary>
    private static double EntryPrice(Bar bar)
    {
        if (double.IsFinite(bar.QuoteVolume) && bar.QuoteVolume > 0 && bar.Volume > 0)
            return Math.Clamp(bar.QuoteVolume / bar.Volume, bar.Low, bar.High);
        return (bar.High + bar.Low + bar.Close) / 3;
    }

    private (double Share, LongShareSource Source) LongShareOf(Bar bar)
    {
        double raw;
        LongShareSource source;
        if (_settings.LongShare == LongShareSource.Taker && double.IsFinite(bar.TakerBuyVolume) && bar.Volume > 0)
        {
            raw = Math.Clamp(bar.TakerBuyVolume / bar.Volume, 0, 1);
            source = LongShareSource.Taker;
        }
        else
        {
            raw = bar.Close > bar.Open ? 1 : bar.Close < bar.Open ? 0 : 0.5;
            source = LongShareSource.Candle;
        }
        return (0.5 + _settings.Shrink * (raw - 0.5), source);
    }

    private static void Check(Bar bar, double oi)
    {
        static ArgumentException Bad(string what) => new(what, nameof(bar));
        if (!double.IsFinite(oi) || oi < 0)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Open interest must be finite and ≥ 0 (got {oi})."), nameof(oi));
        if (!bar.Closed) throw Bad("The bar is still forming; add closed bars only.");
        if (bar.Interval <= TimeSpan.Zero) throw Bad("The bar interval must be positive.");
        if (!Positive(bar.Open) || !Positive(bar.High) || !Positive(bar.Low) || !Positive(bar.Close))
            throw Bad("Bar prices must be finite and positive.");
        if (bar.High < bar.Low || bar.High < bar.Open || bar.High < bar.Close || bar.Low > bar.Open || bar.Low > bar.Close)
            throw Bad("The bar's high must be its highest price and its low its lowest.");
        if (!double.IsFinite(bar.Volume) || bar.Volume < 0) throw Bad("Bar volume must be finite and ≥ 0.");
        if (bar.QuoteVolume < 0 || double.IsInfinity(bar.QuoteVolume)) throw Bad("Bar quote volume must be ≥ 0 (or NaN when unknown).");
        if (bar.TakerBuyVolume < 0 || double.IsInfinity(bar.TakerBuyVolume) || bar.TakerBuyVolume > bar.Volume * (1 + 1e-9))
            throw Bad("Taker buy volume must be within [0, volume] (or NaN when unknown).");
    }

    private static bool Positive(double x) => double.IsFinite(x) && x > 0;
}
