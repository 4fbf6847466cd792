using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Market;

/// <summary>What went wrong fetching market data; decides whether to wait, retry later or give up on a symbol.</summary>
public enum MarketFault
{
    /// <summary>No answer within the configured timeout.</summary>
    Timeout,
    /// <summary>The venue said slow down (429), banned the IP (Binance 418) or refused (Bybit 403); we wait out Retry-After.</summary>
    RateLimited,
    /// <summary>An HTTP error status with no more specific meaning.</summary>
    Http,
    /// <summary>The venue answered with its own error (Binance <c>code</c>, Bybit <c>retCode</c>, OKX <c>code</c>, Hyperliquid 422).</summary>
    VenueError,
    /// <summary>The venue does not know the symbol.</summary>
    UnknownSymbol,
    /// <summary>The body was not the JSON we expect: truncated, an HTML page, a missing field.</summary>
    Malformed,
    /// <summary>The values parse but cannot be true (negative price, NaN, an empty book).</summary>
    Absurd,
    /// <summary>The network failed (connection refused, reset, DNS).</summary>
    Network,
}

/// <summary>A market-data request failed. The message is one line fit for a log, with no secrets (public endpoints only).</summary>
public sealed class MarketDataException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MarketDataException(Venue venue, MarketFault fault, string message, TimeSpan? retryAfter = null, Exception? inner = null)
        : base(message, inner)
    {
        Venue = venue; Fault = fault; RetryAfter = retryAfter;
    }

    /// <summary>Needed by analyzers; prefer the full constructor.</summary>
    public MarketDataException() : this(default, MarketFault.Http, "Market data request failed.") { }
    /// <summary>Needed by analyzers; prefer the full constructor.</summary>
    public MarketDataException(string message) : this(default, MarketFault.Http, message) { }
    /// <summary>Needed by analyzers; prefer the full constructor.</summary>
    public MarketDataException(string message, Exception inner) : this(default, MarketFault.Http, message, null, inner) { }

    /// <summary>The venue that failed.</summary>
    public Venue Venue { get; }
    /// <summary>The kind of failure.</summary>
    public MarketFault Fault { get; }
    /// <summary>How long the venue asked us to wait, when it said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>
    /// The body of an HTTP error response (its first 4 KB), for clients that read the venue's own error code out of it
    /// (Binance <c>{"code":-1121,...}</c>). The message quotes only a short excerpt.
    /// </summary>
    public string? Body { get; init; }
}
