using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PerpGuard.Bot.Options;
using PerpGuard.Core.Market;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Market;

/// <summary>
/// One polling cycle of one venue for one group of feeds, over every symbol to poll. A failing symbol or feed is
/// flagged and logged and never stops the others; the Quartz jobs are thin wrappers around these methods.
/// </summary>
public sealed class MarketPoller(IEnumerable<IVenueClient> clients, MarketSymbols symbols, MarketIngest ingest, IOptions<MarketOptions> options, ILogger<MarketPoller> logger)
{
    // Requests in flight per venue and cycle; the venue's rate limiter paces them further.
    private const int Parallelism = 4;
    private const int RecentBars = 3;
    private readonly Dictionary<Venue, IVenueClient> _clients = clients.ToDictionary(c => c.Venue);
    private readonly ConcurrentDictionary<(MarketKey, MarketFeed), bool> _backfilled = new();

    /// <summary>Mark, index, last and funding for every symbol (one bulk call where the venue allows), then spot prices.</summary>
    public async Task PollPricesAsync(Venue venue, CancellationToken cancellationToken)
    {
        if (!_clients.TryGetValue(venue, out var client)) return;
        var instruments = await symbols.ForVenueAsync(venue, cancellationToken).ConfigureAwait(false);
        if (instruments.Count == 0) return;
        try
        {
            var tickers = await client.GetTickersAsync([.. instruments.Select(i => i.Symbol)], cancellationToken).ConfigureAwait(false);
            await ingest.TickersAsync(venue, tickers, cancellationToken).ConfigureAwait(false);
            var listed = tickers.Select(t => t.Symbol).ToHashSet(StringComparer.Ordinal);
            foreach (var missing in instruments.Where(i => !listed.Contains(i.Symbol)))
                ingest.Failed(Key(missing), MarketFeed.Prices, $"{venue.Name()} does not list {missing.Symbol}");
        }
        catch (MarketDataException ex)
        {
            foreach (var instrument in instruments) ingest.Failed(Key(instrument), MarketFeed.Prices, ex.Message);
        }
        await EachAsync(instruments.Where(i => i.SpotSymbol is not null).ToList(), MarketFeed.Spot, async (i, ct) =>
        {
            var spot = await client.GetSpotTickerAsync(i.Symbol, ct).ConfigureAwait(false);
            if (spot is not null) await ingest.SpotAsync(Key(i), spot, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Open interest (its history the first time a symbol is seen) and the order book.</summary>
    public async Task PollDepthAsync(Venue venue, CancellationToken cancellationToken)
    {
        if (!_clients.TryGetValue(venue, out var client)) return;
        var instruments = await symbols.ForVenueAsync(venue, cancellationToken).ConfigureAwait(false);
        var o = options.Value;
        await EachAsync(instruments, MarketFeed.OpenInterest, async (i, ct) =>
        {
            var key = Key(i);
            if (_backfilled.TryAdd((key, MarketFeed.OpenInterest), true))
            {
                var history = await client.GetOpenInterestHistoryAsync(i.Symbol, o.BarInterval, o.Backfill, ct).ConfigureAwait(false);
                await ingest.OpenInterestAsync(key, history, history: true, ct).ConfigureAwait(false);
            }
            var point = await client.GetOpenInterestAsync(i.Symbol, ct).ConfigureAwait(false);
            await ingest.OpenInterestAsync(key, [point], history: false, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        await EachAsync(instruments, MarketFeed.Book, async (i, ct) =>
        {
            var book = await client.GetOrderBookAsync(i.Symbol, o.BookDepth, ct).ConfigureAwait(false);
            await ingest.BookAsync(Key(i), book, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The latest perp and spot candles (a day of them the first time a symbol is seen).</summary>
    public async Task PollBarsAsync(Venue venue, CancellationToken cancellationToken)
    {
        if (!_clients.TryGetValue(venue, out var client)) return;
        var instruments = await symbols.ForVenueAsync(venue, cancellationToken).ConfigureAwait(false);
        var o = options.Value;
        await EachAsync(instruments, MarketFeed.Bars, async (i, ct) =>
        {
            var key = Key(i);
            foreach (var market in i.SpotSymbol is null ? [MarketKind.Perp] : new[] { MarketKind.Perp, MarketKind.Spot })
            {
                var limit = _backfilled.ContainsKey((key, market == MarketKind.Perp ? MarketFeed.Bars : MarketFeed.Spot)) ? RecentBars : o.Backfill;
                var bars = await client.GetBarsAsync(i.Symbol, market, o.BarInterval, limit, ct).ConfigureAwait(false);
                await ingest.BarsAsync(key, market, bars, ct).ConfigureAwait(false);
                _backfilled.TryAdd((key, market == MarketKind.Perp ? MarketFeed.Bars : MarketFeed.Spot), true);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task EachAsync(IReadOnlyList<Instrument> instruments, MarketFeed feed, Func<Instrument, CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(instruments, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (instrument, ct) =>
        {
            try
            {
                await work(instrument, ct).ConfigureAwait(false);
            }
            catch (MarketDataException ex)
            {
                ingest.Failed(Key(instrument), feed, ex.Message);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // A bug or a storage failure: flag the feed, log the stack once, keep polling the other symbols.
                logger.PollFailed(ex, instrument.Venue.Name(), $"{feed} {instrument.Symbol}");
                ingest.Failed(Key(instrument), feed, $"internal error ({ex.GetType().Name})");
            }
        }).ConfigureAwait(false);
    }

    private static MarketKey Key(Instrument i) => new(i.Venue, i.Symbol);
}
