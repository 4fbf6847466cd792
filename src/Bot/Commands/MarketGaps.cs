using PerpGuard.Bot.Rendering;
using PerpGuard.Bot.Market;

namespace PerpGuard.Bot.Commands;

/// <summary>
/// Why a figure that needs live market data is shown as n/a: no data for the symbol yet, or data too old to be used as
/// current. One place, so the wording changes in one place.
/// </summary>
public static class MarketGaps
{
    /// <summary>No usable mark price.</summary>
    public static string NoMark(Freshness prices) => $"n/a: {Why(prices, "mark price")}";
    /// <summary>No usable funding rate.</summary>
    public static string NoFunding(Freshness prices) => $"n/a: {Why(prices, "funding rate")}";
    /// <summary>No volatility estimate.</summary>
    public const string NoHitChance = "n/a: needs a volatility estimate (/liq ... vol 60% gives one)";
    /// <summary>Too few stored candles for a realized volatility.</summary>
    public const string NoVolatility = "n/a: fewer than 12 stored 5-minute candles in the last 24h for a realized volatility (/liq ... vol 60% gives one)";
    /// <summary>No cluster map.</summary>
    public const string NoClusters = "n/a: the liquidation-cluster map is not built yet";
    /// <summary>A venue with nothing to poll.</summary>
    public const string NoFreshness = "no data yet (no symbol held, watched or on the watchlist here)";

    private static string Why(Freshness f, string what) => f.Age is { } age
        ? $"the {what} is stale ({MarketText.Age(age)}), so it is not used; see /status"
        : $"no {what} for this symbol yet{(f.LastError is null ? "" : $" ({f.LastError})")}; see /status";
}
