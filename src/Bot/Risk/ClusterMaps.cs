using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PerpGuard.Bot.Options;
using PerpGuard.Bot.Storage;
using PerpGuard.Core.Clusters;
using PerpGuard.Core.Margin;
using PerpGuard.Core.Market;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Risk;

/// <summary>
/// One estimated cluster map per symbol, kept in memory and brought up to date incrementally: each request adds only
/// the candles stored since the last one (O(cohorts touched) per candle). A map whose newest candle fell out of the
/// lookback (the process slept, or a replay restarted the tape) is rebuilt from the stored series.
/// </summary>
public sealed class ClusterMaps(IOptions<RiskOptions> options, TierCatalog tiers)
{
    private readonly ConcurrentDictionary<MarketKey, Entry> _maps = new();

    /// <summary>
    /// Runs <paramref name="read"/> on the symbol's map, up to date with the stored candles as of <paramref name="now"/>.
    /// The map is null when no candle with open interest is stored; the string then says why.
    /// </summary>
    public async Task<T> ReadAsync<T>(PerpGuardDbContext db, MarketKey key, DateTimeOffset now, Func<ClusterMap?, string?, T> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        var entry = _maps.GetOrAdd(key, _ => new Entry());
        await entry.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var o = options.Value;
            var start = now - o.MapLookback;
            if (entry.Map is null || entry.LastOpen is { } seen && (seen < start || seen > now))
            {
                entry.Map = New(key, o);
                entry.LastOpen = null;
            }
            var from = entry.LastOpen is { } last ? last.AddTicks(1) : start;
            var bars = await MarketHistory.BarsAsync(db, key, MarketKind.Perp, from, now, cancellationToken).ConfigureAwait(false);
            if (bars.Count > 0)
            {
                // Open interest from an hour before the first new candle, so its close has a point at or before it.
                var oi = await MarketHistory.OpenInterestAsync(db, key, bars[0].OpenTime - TimeSpan.FromHours(1), now, cancellationToken).ConfigureAwait(false);
                foreach (var (bar, coins) in SymbolHistory.WithOpenInterest(bars, oi))
                {
                    if (entry.Map.LastBarTime is { } t && bar.OpenTime <= t) continue;
                    entry.Map.Add(bar, coins);
                }
                entry.LastOpen = bars[^1].OpenTime;
            }
            return entry.Map.BarCount == 0
                ? read(null, bars.Count == 0 ? "no stored candles yet" : "no open interest stored beside the candles yet")
                : read(entry.Map, null);
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>An empty map for a symbol (see <see cref="For"/>).</summary>
    public ClusterMap New(MarketKey key, RiskOptions o) => For(tiers, key, o);

    /// <summary>
    /// An empty map for a symbol. Cohorts use the maintenance rate of the venue's first tier: a cohort aggregates many
    /// anonymous traders, each small, so looking its whole notional up in the tier table would push it into tiers no
    /// single trader is in (and drop the 50x and 100x buckets). Without a built-in table, the spec's 0.4% applies.
    /// </summary>
    public static ClusterMap For(TierCatalog tiers, MarketKey key, RiskOptions o)
    {
        ArgumentNullException.ThrowIfNull(tiers);
        ArgumentNullException.ThrowIfNull(o);
        var settings = o.MapSettings();
        if (tiers.TryFind(key.Venue, ContractType.Linear, key.Symbol, out var table) && table.Tiers.Length > 0)
            settings = settings with { DefaultMaintenanceRate = table.Tiers[0].MaintenanceRate };
        return new ClusterMap(settings);
    }

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public ClusterMap? Map { get; set; }
        public DateTimeOffset? LastOpen { get; set; }
    }
}
