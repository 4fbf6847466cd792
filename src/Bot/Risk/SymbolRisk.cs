using PerpGuard.Bot.Market;
using PerpGuard.Bot.Options;
using PerpGuard.Core.Cascade;
using PerpGuard.Core.Clusters;
using PerpGuard.Core.Market;
using PerpGuard.Core.Probability;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Risk;

/// <summary>
/// Everything the risk views show for one symbol at one moment: the estimated cluster map around the fresh mark, the
/// depth that must absorb forced orders on each side, the cascade scores, the last hour's volume and the realized
/// volatility. Each part that could not be computed carries the reason instead (never a zero standing in for unknown).
/// </summary>
public sealed record SymbolRisk
{
    /// <summary>Venue and symbol.</summary>
    public required MarketKey Key { get; init; }
    /// <summary>When it was computed.</summary>
    public required DateTimeOffset AsOf { get; init; }
    /// <summary>Fresh mark price, the reference of every distance; null when there is none.</summary>
    public double? Price { get; init; }
    /// <summary>Why there is no price.</summary>
    public string? PriceGap { get; init; }
    /// <summary>The estimated map around <see cref="Price"/>.</summary>
    public MapSnapshot? Map { get; init; }
    /// <summary>Closed candles the map was built from.</summary>
    public int MapBars { get; init; }
    /// <summary>First candle of the map.</summary>
    public DateTimeOffset? MapFrom { get; init; }
    /// <summary>Why there is no map.</summary>
    public string? MapGap { get; init; }
    /// <summary>Bid depth (absorbs long liquidations).</summary>
    public IDepthCurve? Bids { get; init; }
    /// <summary>Ask depth (absorbs short liquidations).</summary>
    public IDepthCurve? Asks { get; init; }
    /// <summary>How depth is known: "full book, N levels" or "band depth ±0.5–5%, power-law fit".</summary>
    public string? DepthSource { get; init; }
    /// <summary>Why there is no depth.</summary>
    public string? DepthGap { get; init; }
    /// <summary>Downside cascade score (long liquidations against bids).</summary>
    public CascadeScore? Down { get; init; }
    /// <summary>Upside cascade score (short liquidations against asks).</summary>
    public CascadeScore? Up { get; init; }
    /// <summary>USD traded in the last hour of perp candles (NaN when no candle closed in it).</summary>
    public double Volume1h { get; init; } = double.NaN;
    /// <summary>Annualized close-to-close volatility of 5-minute candles (NaN when too few).</summary>
    public double Volatility { get; init; } = double.NaN;
    /// <summary>Stressed depth survival used in the scores.</summary>
    public double StressSurvival { get; init; }

    /// <summary>Depth on the side that absorbs a position's liquidation (bids for a long).</summary>
    public IDepthCurve? DepthFor(PositionSide side) => side == PositionSide.Long ? Bids : Asks;

    /// <summary>The score of the side a position's liquidation lies on.</summary>
    public CascadeScore? ScoreFor(PositionSide side) => side == PositionSide.Long ? Down : Up;

    /// <summary>
    /// What counts as a cluster for the score: a bin at or above the 80th percentile of the side's non-empty bins (the
    /// peak threshold of §a.5 step 2, without the smoothing), so the trigger cost aims at a real cluster, not at the
    /// thin tail of notional every map has right next to price.
    /// </summary>
    public static double MinClusterUsd(IReadOnlyList<ForcedLevel> forced)
    {
        ArgumentNullException.ThrowIfNull(forced);
        var sizes = forced.Select(f => f.NotionalUsd).Where(n => n > 0).Order().ToArray();
        return sizes.Length == 0 ? 0 : sizes[(int)Math.Ceiling(0.8 * sizes.Length) - 1];
    }

    private static CascadeScore Score(IDepthCurve depth, IReadOnlyList<ForcedLevel> forced, double volume1h, double survival) =>
        CascadeRisk.Score(depth, forced, volume1h, survival, 1, MinClusterUsd(forced));

    /// <summary>
    /// The position's cascade view: does the cheapest chain run through its liquidation price, with what shock, and the
    /// hit chance with the cascade coupling (§d.3.3). Null when the map, the depth, the price or the volatility is missing.
    /// </summary>
    public PositionCascade? Assess(PositionSide side, double liquidationPrice, TimeSpan horizon)
    {
        if (Price is not { } price || Map is null || DepthFor(side) is not { } depth || !double.IsFinite(Volatility) || !(Volatility > 0) || !(liquidationPrice > 0)) return null;
        var forced = Map.Forced(side);
        return PositionCascadeAnalysis.Assess(price, side, liquidationPrice, depth, forced, Volatility, horizon.TotalHours,
            Volume1h, new CascadeSettings { Survival = StressSurvival }, MinClusterUsd(forced));
    }

    /// <summary>
    /// Builds the view from what is known now. <paramref name="map"/> is the symbol's map (null when none could be
    /// built, with <paramref name="mapGap"/> saying why); <paramref name="recentBars"/> are the last day's closed candles;
    /// <paramref name="stressSurvival"/> overrides <see cref="RiskOptions.StressSurvival"/> (<c>cascade --w</c>).
    /// </summary>
    public static SymbolRisk Build(MarketKey key, DateTimeOffset asOf, MarketView view, ClusterMap? map, string? mapGap,
        IReadOnlyList<Bar> recentBars, RiskOptions options, double? stressSurvival = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(recentBars);
        ArgumentNullException.ThrowIfNull(options);
        var volume = recentBars.Count == 0 ? double.NaN : SymbolHistory.QuoteVolume(recentBars, asOf, TimeSpan.FromHours(1));
        var risk = new SymbolRisk
        {
            Key = key,
            AsOf = asOf,
            Volume1h = volume > 0 ? volume : double.NaN,
            Volatility = RealizedVolatility.CloseToClose(recentBars, asOf, options.VolatilityWindow),
            StressSurvival = stressSurvival ?? options.StressSurvival,
        };
        if (!view.Fresh(MarketFeed.Prices) || view.Ticker is null)
            return risk with { PriceGap = Commands.MarketGaps.NoMark(view.Feeds[MarketFeed.Prices]), MapGap = mapGap ?? "needs a fresh mark price" };
        var price = view.Ticker.Mark;
        risk = risk with { Price = price };

        if (map is null || map.BarCount == 0)
            risk = risk with { MapGap = mapGap ?? "no stored candles with open interest yet" };
        else
            risk = risk with { Map = map.Snapshot(price, asOf), MapBars = map.BarCount };

        if (!view.Fresh(MarketFeed.Book) || view.Depth is null)
            return risk with { DepthGap = view.Depth is null ? "no order book yet" : "the order book is stale, so it is not used; see /status" };
        IDepthCurve? bids, asks;
        string source;
        if (view.Book is { } book)
        {
            bids = BookDepth.FromBook(book, PositionSide.Long);
            asks = BookDepth.FromBook(book, PositionSide.Short);
            source = $"full book, {book.Bids.Length + book.Asks.Length} levels, power law beyond";
        }
        else
        {
            var edges = DepthSummary.BandEdges;
            bids = PowerLawDepth.Fit(edges, view.Depth.BidUsd, view.Depth.Reach);
            asks = PowerLawDepth.Fit(edges, view.Depth.AskUsd, view.Depth.Reach);
            source = "band depth ±0.5–5%, power-law fit";
        }
        risk = risk with { Bids = bids, Asks = asks, DepthSource = source, DepthGap = bids is null || asks is null ? "the book is too thin to fit a depth curve" : null };
        if (risk.Map is { } snapshot)
        {
            risk = risk with
            {
                Down = bids is null ? null : Score(bids, snapshot.Forced(PositionSide.Long), risk.Volume1h, risk.StressSurvival),
                Up = asks is null ? null : Score(asks, snapshot.Forced(PositionSide.Short), risk.Volume1h, risk.StressSurvival),
            };
        }
        return risk;
    }
}
