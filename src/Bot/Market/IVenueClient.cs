using PerpGuard.Core.Margin;
using PerpGuard.Core.Market;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Market;

/// <summary>
/// Public market data of one venue (no API keys). Symbols are the venue's native perpetual symbols
/// (<see cref="VenueSymbols"/>). Every method throws <see cref="MarketDataException"/> on any failure, including an
/// unknown symbol and values that fail <see cref="MarketSanity"/>; it never returns partial garbage.
/// </summary>
public interface IVenueClient
{
    /// <summary>The venue.</summary>
    Venue Venue { get; }

    /// <summary>
    /// Mark, index, last, funding (rate, interval, next time) and 24 h volume for each symbol, in as few calls as the
    /// venue allows (one bulk call where it has one). Symbols the venue does not list are left out of the result.
    /// </summary>
    Task<IReadOnlyList<Ticker>> GetTickersAsync(IReadOnlyCollection<string> symbols, CancellationToken cancellationToken);

    /// <summary>Current open interest, one side, in coins and USD.</summary>
    Task<OpenInterestPoint> GetOpenInterestAsync(string symbol, CancellationToken cancellationToken);

    /// <summary>Open-interest history at <paramref name="period"/> (5 min or more), oldest first. Empty where the venue keeps none (Hyperliquid).</summary>
    Task<IReadOnlyList<OpenInterestPoint>> GetOpenInterestHistoryAsync(string symbol, TimeSpan period, int limit, CancellationToken cancellationToken);

    /// <summary>The order book, up to <paramref name="depth"/> levels per side (clamped to what the venue serves), sizes in coins.</summary>
    Task<OrderBook> GetOrderBookAsync(string symbol, int depth, CancellationToken cancellationToken);

    /// <summary>The latest candles of the perpetual or of its spot pair, oldest first; the last may still be forming.</summary>
    Task<IReadOnlyList<Bar>> GetBarsAsync(string symbol, MarketKind market, TimeSpan interval, int limit, CancellationToken cancellationToken);

    /// <summary>The spot pair's price and 24 h volume, or null when the venue has no spot pair for it.</summary>
    Task<SpotTicker?> GetSpotTickerAsync(string symbol, CancellationToken cancellationToken);

    /// <summary>The venue's published maintenance tiers, or null where they are not public (Binance: the shipped table applies).</summary>
    Task<TierTable?> GetTiersAsync(string symbol, CancellationToken cancellationToken);
}
