using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PerpGuard.Bot.Options;
using PerpGuard.Core.Market;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Market;

/// <summary>The kinds of market data PerpGuard follows per symbol; each has its own freshness.</summary>
public enum MarketFeed
{
    /// <summary>Mark, index, last, funding.</summary>
    Prices,
    /// <summary>The spot pair's price and volume.</summary>
    Spot,
    /// <summary>Open interest.</summary>
    OpenInterest,
    /// <summary>The order book (summarised into depth bands).</summary>
    Book,
    /// <summary>Candles.</summary>
    Bars,
}

/// <summary>How current one feed of one symbol is.</summary>
/// <param name="Feed">The feed.</param>
/// <param name="DataTime">The time the latest good value describes (the venue's stamp), or null before any.</param>
/// <param name="Age">Now minus <paramref name="DataTime"/>.</param>
/// <param name="Stale">True when there is no value or it is older than the feed's limit: never use it as current.</param>
/// <param name="LastError">The latest failure since the last good value, if any.</param>
public readonly record struct Freshness(MarketFeed Feed, DateTimeOffset? DataTime, TimeSpan? Age, bool Stale, string? LastError);

/// <summary>
/// The latest good market data per venue and symbol, in memory, with freshness. A failed or rejected update never
/// replaces a good value: the old one stays, ageing, with the failure beside it. Readers ask for <see cref="Fresh"/>
/// values, which are null once stale, so stale data cannot be taken for current.
/// </summary>
public sealed class MarketState(IOptions<MarketOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<MarketKey, SymbolData> _symbols = new();

    /// <summary>Every symbol seen so far.</summary>
    public IReadOnlyList<MarketKey> Keys => [.. _symbols.Keys.OrderBy(k => k.Venue).ThenBy(k => k.Symbol, StringComparer.Ordinal)];

    /// <summary>How old a feed's value may be before it is stale.</summary>
    public TimeSpan StaleAfter(MarketFeed feed)
    {
        var o = options.Value;
        return feed switch
        {
            MarketFeed.Prices or MarketFeed.Spot => o.StaleAfter,
            MarketFeed.OpenInterest or MarketFeed.Book => Max(o.StaleAfter, 3 * o.DepthEvery),
            // A bar is known at its close; the newest closed bar is up to one interval old by nature.
            _ => Max(o.StaleAfter, 3 * o.BarsEvery) + o.BarInterval,
        };
    }

    /// <summary>Records a good ticker.</summary>
    public void Set(MarketKey key, Ticker ticker) => Update(key, MarketFeed.Prices, ticker, ticker.Time);
    /// <summary>Records a good spot ticker.</summary>
    public void Set(MarketKey key, SpotTicker spot) => Update(key, MarketFeed.Spot, spot, spot.Time);
    /// <summary>Records a good open-interest point (only if newer than the one held).</summary>
    public void Set(MarketKey key, OpenInterestPoint point) => Update(key, MarketFeed.OpenInterest, point, point.Time);
    /// <summary>Records a good book summary (and the raw book when there is one; replays carry summaries only).</summary>
    public void Set(MarketKey key, DepthSummary summary, OrderBook? book) => Update(key, MarketFeed.Book, new BookData(summary, book), summary.Time);
    /// <summary>Records the latest bars of a market (oldest first).</summary>
    public void Set(MarketKey key, MarketKind market, IReadOnlyList<Bar> bars)
    {
        if (bars.Count == 0) return;
        var last = bars[^1];
        var known = last.Closed ? last.CloseTime : time.GetUtcNow();
        var data = _symbols.GetOrAdd(key, _ => new SymbolData());
        lock (data)
        {
            data.Bars[market] = bars;
            var slot = data.Slot(MarketFeed.Bars);
            if (slot.DataTime is null || known >= slot.DataTime) { slot.DataTime = known; slot.Value = bars; }
            slot.Error = null;
        }
    }

    /// <summary>Records a failure: the good value (if any) stays, and freshness shows the error until the next good value.</summary>
    /// <returns>True when this is a new problem for the feed (not the same message as last time), so it deserves a log line.</returns>
    public bool Fail(MarketKey key, MarketFeed feed, string error)
    {
        var data = _symbols.GetOrAdd(key, _ => new SymbolData());
        lock (data)
        {
            var slot = data.Slot(feed);
            var isNew = slot.Error != error;
            slot.Error = error;
            return isNew;
        }
    }

    /// <summary>The freshness of one feed now.</summary>
    public Freshness FreshnessOf(MarketKey key, MarketFeed feed)
    {
        var now = time.GetUtcNow();
        if (!_symbols.TryGetValue(key, out var data)) return new(feed, null, null, true, null);
        lock (data)
        {
            var slot = data.Slot(feed);
            if (slot.DataTime is not { } at) return new(feed, null, null, true, slot.Error);
            var age = now - at;
            return new(feed, at, age, age > StaleAfter(feed), slot.Error);
        }
    }

    /// <summary>Everything held for a symbol, each value with its freshness. Use <see cref="MarketView.Fresh"/> values as current.</summary>
    public MarketView View(MarketKey key)
    {
        var feeds = Enum.GetValues<MarketFeed>().ToDictionary(f => f, f => FreshnessOf(key, f));
        if (!_symbols.TryGetValue(key, out var data)) return new MarketView(key, null, null, null, null, null, null, feeds);
        lock (data)
        {
            var book = data.Slot(MarketFeed.Book).Value as BookData;
            return new MarketView(key,
                data.Slot(MarketFeed.Prices).Value as Ticker,
                data.Slot(MarketFeed.Spot).Value as SpotTicker,
                data.Slot(MarketFeed.OpenInterest).Value as OpenInterestPoint?,
                book?.Summary, book?.Book,
                data.Bars.GetValueOrDefault(MarketKind.Perp), feeds);
        }
    }

    /// <summary>The current mark of a symbol, or null when there is none or it is stale.</summary>
    public double? FreshMark(Venue venue, string symbol)
    {
        var view = View(new MarketKey(venue, symbol));
        return view.Fresh(MarketFeed.Prices) ? view.Ticker!.Mark : null;
    }

    /// <summary>Forgets everything (a replay starting over).</summary>
    public void Clear() => _symbols.Clear();

    private void Update(MarketKey key, MarketFeed feed, object value, DateTimeOffset at)
    {
        var data = _symbols.GetOrAdd(key, _ => new SymbolData());
        lock (data)
        {
            var slot = data.Slot(feed);
            // A venue can answer from a lagging node: never let an older stamp replace a newer value.
            if (slot.DataTime is { } held && at < held) return;
            slot.Value = value;
            slot.DataTime = at;
            slot.Error = null;
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private sealed record BookData(DepthSummary Summary, OrderBook? Book);

    private sealed class Slot
    {
        public object? Value;
        public DateTimeOffset? DataTime;
        public string? Error;
    }

    private sealed class SymbolData
    {
        private readonly Slot[] _slots = [new(), new(), new(), new(), new()];
        public Dictionary<MarketKind, IReadOnlyList<Bar>> Bars { get; } = [];
        public Slot Slot(MarketFeed feed) => _slots[(int)feed];
    }
}

/// <summary>A symbol's market data as held now, each feed with its <see cref="Freshness"/>.</summary>
public sealed record MarketView(
    MarketKey Key, Ticker? Ticker, SpotTicker? Spot, OpenInterestPoint? OpenInterest, DepthSummary? Depth, OrderBook? Book,
    IReadOnlyList<Bar>? Bars, IReadOnlyDictionary<MarketFeed, Freshness> Feeds)
{
    /// <summary>Whether a feed has a value that is not stale.</summary>
    public bool Fresh(MarketFeed feed) => !Feeds[feed].Stale;
}
