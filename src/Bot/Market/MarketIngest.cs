using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PerpGuard.Bot.Options;
using PerpGuard.Bot.Storage;
using PerpGuard.Core.Market;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Market;

/// <summary>
/// Where every piece of market data enters, live or replayed: checked by <see cref="MarketSanity"/>, then recorded in
/// <see cref="MarketState"/> and stored as time series. A value that fails the check is flagged (state and one log
/// line) and never used; the last good value stays.
/// </summary>
public sealed class MarketIngest(MarketState state, IServiceScopeFactory scopes, IOptions<MarketOptions> options, ILogger<MarketIngest> logger)
{
    private readonly Dictionary<(MarketKey, MarketFeed), DateTimeOffset> _lastStored = [];
    private readonly Lock _storedGate = new();

    /// <summary>Tickers of one venue (one poll).</summary>
    public async Task TickersAsync(Venue venue, IReadOnlyList<Ticker> tickers, CancellationToken cancellationToken, PerpGuardDbContext? db = null)
    {
        var rows = new List<StoredTicker>(tickers.Count);
        foreach (var ticker in tickers)
        {
            var key = new MarketKey(venue, ticker.Symbol);
            if (!Accept(key, MarketFeed.Prices, MarketSanity.Check(ticker))) continue;
            state.Set(key, ticker);
            if (ticker.OpenInterest is > 0 and var coins && double.IsFinite(coins))
                state.Set(key, new OpenInterestPoint(ticker.Time, coins, coins * ticker.Mark));
            if (DueForStore(key, MarketFeed.Prices, ticker.Time)) rows.Add(StoredTicker.From(venue, ticker));
        }
        if (rows.Count > 0) await SaveAsync(db, d => d.Tickers.AddRange(rows), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The spot pair of a perpetual.</summary>
    public async Task SpotAsync(MarketKey key, SpotTicker spot, CancellationToken cancellationToken, PerpGuardDbContext? db = null)
    {
        if (!Accept(key, MarketFeed.Spot, MarketSanity.Check(spot))) return;
        state.Set(key, spot);
        if (!DueForStore(key, MarketFeed.Spot, spot.Time)) return;
        await SaveAsync(db, d => d.SpotTickers.Add(new StoredSpotTicker
        {
            Venue = key.Venue, Symbol = key.Symbol, SpotSymbol = spot.Symbol, Time = spot.Time, Price = spot.Price,
            QuoteVolume24h = StoredTicker.N(spot.QuoteVolume24h),
        }), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Open interest: the current point, or a history (oldest first). Points already stored are skipped.</summary>
    public async Task OpenInterestAsync(MarketKey key, IReadOnlyList<OpenInterestPoint> points, bool history, CancellationToken cancellationToken, PerpGuardDbContext? db = null)
    {
        var good = new List<OpenInterestPoint>(points.Count);
        foreach (var point in points)
            if (Accept(key, MarketFeed.OpenInterest, MarketSanity.Check(point))) good.Add(point);
        if (good.Count == 0) return;
        state.Set(key, good[^1]);
        var toStore = history ? good : good.Where(p => DueForStore(key, MarketFeed.OpenInterest, p.Time)).ToList();
        if (toStore.Count == 0) return;
        await using var scope = db is null ? scopes.CreateAsyncScope() : default(AsyncServiceScope?);
        db ??= scope!.Value.ServiceProvider.GetRequiredService<PerpGuardDbContext>();
        foreach (var p in toStore)
        {
            var ms = p.Time.ToUnixTimeMilliseconds();
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO OpenInterest (Venue, Symbol, Time, Coins, Usd) VALUES ({key.Venue.ToString()}, {key.Symbol}, {ms}, {p.Coins}, {p.Usd}) ON CONFLICT (Venue, Symbol, Time) DO NOTHING",
                cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A raw order book: summarised into depth bands, kept in memory whole, stored as its summary.</summary>
    public Task BookAsync(MarketKey key, OrderBook book, CancellationToken cancellationToken, PerpGuardDbContext? db = null)
    {
        var problem = MarketSanity.Check(book, out var summary);
        return Accept(key, MarketFeed.Book, problem) ? StoreBookAsync(key, summary!, book, db, cancellationToken) : Task.CompletedTask;
    }

    /// <summary>A book already summarised (replays).</summary>
    public Task BookSummaryAsync(MarketKey key, DepthSummary summary, CancellationToken cancellationToken, PerpGuardDbContext? db = null)
    {
        var problem = MarketSanity.Check(summary);
        return Accept(key, MarketFeed.Book, problem) ? StoreBookAsync(key, summary, null, db, cancellationToken) : Task.CompletedTask;
    }

    /// <summary>Candles (oldest first): each is inserted, or updated in place while it is still forming.</summary>
    public async Task BarsAsync(MarketKey key, MarketKind market, IReadOnlyList<Bar> bars, CancellationToken cancellationToken, PerpGuardDbContext? db = null)
    {
        var good = new List<Bar>(bars.Count);
        foreach (var bar in bars)
            if (Accept(key, MarketFeed.Bars, MarketSanity.Check(bar))) good.Add(bar);
        if (good.Count == 0) return;
        state.Set(key, market, good);
        await using var scope = db is null ? scopes.CreateAsyncScope() : default(AsyncServiceScope?);
        db ??= scope!.Value.ServiceProvider.GetRequiredService<PerpGuardDbContext>();
        // One transaction for the batch, unless the caller already holds one (a replay step).
        await using var transaction = db.Database.CurrentTransaction is null
            ? await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false) : null;
        var venue = key.Venue.ToString();
        var kind = market.ToString();
        foreach (var b in good)
        {
            var open = b.OpenTime.ToUnixTimeMilliseconds();
            var seconds = (int)b.Interval.TotalSeconds;
            double? quote = StoredTicker.N(b.QuoteVolume), taker = StoredTicker.N(b.TakerBuyVolume);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO Bars (Venue, Symbol, Market, IntervalSeconds, OpenTime, Open, High, Low, Close, Volume, QuoteVolume, TakerBuyVolume, Closed)
                VALUES ({venue}, {key.Symbol}, {kind}, {seconds}, {open}, {b.Open}, {b.High}, {b.Low}, {b.Close}, {b.Volume}, {quote}, {taker}, {b.Closed})
                ON CONFLICT (Venue, Symbol, Market, IntervalSeconds, OpenTime) DO UPDATE SET
                  Open = excluded.Open, High = excluded.High, Low = excluded.Low, Close = excluded.Close, Volume = excluded.Volume,
                  QuoteVolume = excluded.QuoteVolume, TakerBuyVolume = excluded.TakerBuyVolume, Closed = excluded.Closed
                """, cancellationToken).ConfigureAwait(false);
        }
        if (transaction is not null) await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A failed fetch: flagged in the state, logged once per new problem.</summary>
    public void Failed(MarketKey key, MarketFeed feed, string problem)
    {
        if (state.Fail(key, feed, problem)) logger.MarketFeedFailed(key.Venue, key.Symbol, feed, problem);
        else logger.MarketFeedStillFailing(key.Venue, key.Symbol, feed, problem);
    }

    /// <summary>Forgets which snapshots were stored (a replay starting over on an emptied database).</summary>
    public void Reset()
    {
        lock (_storedGate) _lastStored.Clear();
    }

    private async Task StoreBookAsync(MarketKey key, DepthSummary summary, OrderBook? book, PerpGuardDbContext? db, CancellationToken cancellationToken)
    {
        state.Set(key, summary, book);
        if (DueForStore(key, MarketFeed.Book, summary.Time))
            await SaveAsync(db, d => d.Books.Add(StoredBook.From(key, summary)), cancellationToken).ConfigureAwait(false);
    }

    // True when the value may be used; otherwise flags it. A good value after a failure logs the recovery.
    private bool Accept(MarketKey key, MarketFeed feed, string? problem)
    {
        if (problem is not null)
        {
            Failed(key, feed, $"rejected: {problem}");
            return false;
        }
        if (state.FreshnessOf(key, feed).LastError is not null) logger.MarketFeedRecovered(key.Venue, key.Symbol, feed);
        return true;
    }

    // Snapshots are stored at most every StoreEvery per symbol and feed, and never twice for the same venue stamp.
    private bool DueForStore(MarketKey key, MarketFeed feed, DateTimeOffset at)
    {
        lock (_storedGate)
        {
            if (_lastStored.TryGetValue((key, feed), out var last) && (at <= last || at - last < options.Value.StoreEvery)) return false;
            _lastStored[(key, feed)] = at;
            return true;
        }
    }

    // Writes on the caller's context (inside its transaction) when given, else on a fresh one.
    private async Task SaveAsync(PerpGuardDbContext? db, Action<PerpGuardDbContext> add, CancellationToken cancellationToken)
    {
        await using var scope = db is null ? scopes.CreateAsyncScope() : default(AsyncServiceScope?);
        db ??= scope!.Value.ServiceProvider.GetRequiredService<PerpGuardDbContext>();
        add(db);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        db.ChangeTracker.Clear();
    }
}
