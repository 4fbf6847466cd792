namespace PerpGuard.Bot.Commands;

/// <summary>
/// Why a figure that needs live market data is shown as n/a. One place, so the wording changes in one place when
/// market data arrives.
/// </summary>
public static class MarketGaps
{
    /// <summary>No mark price.</summary>
    public const string NoMark = "n/a: no mark price yet (market data is not polled yet)";
    /// <summary>No funding rate.</summary>
    public const string NoFunding = "n/a: no funding rate yet (market data is not polled yet)";
    /// <summary>No volatility estimate.</summary>
    public const string NoHitChance = "n/a: needs a mark price and a volatility estimate (market data is not polled yet)";
    /// <summary>No cluster map.</summary>
    public const string NoClusters = "n/a: the liquidation-cluster map needs open interest and order books (not polled yet)";
    /// <summary>Per-venue freshness before any poll.</summary>
    public const string NoFreshness = "no data yet (no symbol held, watched or on the watchlist here)";
}
