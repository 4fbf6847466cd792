using PerpGuard.Core.Venues;

namespace PerpGuard.Core.Market;

/// <summary>Which market a bar or ticker belongs to: the perpetual itself or the spot pair beside it.</summary>
public enum MarketKind
{
    /// <summary>The perpetual swap.</summary>
    Perp,
    /// <summary>The spot pair of the same asset (for basis and the spot-versus-perp rules).</summary>
    Spot,
}

/// <summary>One symbol on one venue, in the venue's own spelling (<c>BTCUSDT</c>, <c>BTC-USDT-SWAP</c>, <c>BTC</c>).</summary>
public readonly record struct MarketKey(Venue Venue, string Symbol)
{
    /// <inheritdoc />
    public override string ToString() => $"{Venue.Name()}:{Symbol}";
}

/// <summary>
/// Prices and funding of one perpetual at one moment. Funding is the rate for the next settlement (the venue's
/// current or predicted rate) per <see cref="FundingIntervalHours"/>.
/// </summary>
public sealed record Ticker
{
    /// <summary>The venue's native symbol.</summary>
    public required string Symbol { get; init; }
    /// <summary>When the venue stamped the data (or when it was received, if the venue sends no time).</summary>
    public required DateTimeOffset Time { get; init; }
    /// <summary>Mark price: what liquidations are computed on.</summary>
    public required double Mark { get; init; }
    /// <summary>Index (or oracle) price: the spot reference. NaN when the venue does not publish one.</summary>
    public double Index { get; init; } = double.NaN;
    /// <summary>Last traded price (Hyperliquid: mid). NaN when unknown.</summary>
    public double Last { get; init; } = double.NaN;
    /// <summary>Funding rate for the next settlement, per interval (0.0001 = 0.01%). NaN when unknown.</summary>
    public double FundingRate { get; init; } = double.NaN;
    /// <summary>Hours between settlements (1, 4 or 8).</summary>
    public double FundingIntervalHours { get; init; } = double.NaN;
    /// <summary>Next settlement time, when the venue says.</summary>
    public DateTimeOffset? NextFunding { get; init; }
    /// <summary>24 h perp volume in base units. NaN when unknown.</summary>
    public double Volume24h { get; init; } = double.NaN;
    /// <summary>24 h perp volume in quote (USD) notional. NaN when unknown.</summary>
    public double QuoteVolume24h { get; init; } = double.NaN;
    /// <summary>Open interest in base coins, when the ticker carries it (Bybit, Hyperliquid). NaN otherwise.</summary>
    public double OpenInterest { get; init; } = double.NaN;

    /// <summary>Funding per hour, the unit that compares across venues.</summary>
    public double FundingPerHour => FundingRate / FundingIntervalHours;
}

/// <summary>The spot pair beside a perpetual: price and 24 h volume.</summary>
public sealed record SpotTicker
{
    /// <summary>The venue's native spot symbol (<c>BTCUSDT</c>, <c>BTC-USDT</c>).</summary>
    public required string Symbol { get; init; }
    /// <summary>When the data was stamped or received.</summary>
    public required DateTimeOffset Time { get; init; }
    /// <summary>Last spot price.</summary>
    public required double Price { get; init; }
    /// <summary>24 h spot volume in quote notional. NaN when unknown.</summary>
    public double QuoteVolume24h { get; init; } = double.NaN;
}

/// <summary>Open interest of one perpetual, normalised to one side in base coins and in USD.</summary>
/// <param name="Time">When the venue stamped it.</param>
/// <param name="Coins">Open interest in base coins (one side; OKX contracts × contract value; Bybit's single side).</param>
/// <param name="Usd">The same in USD notional.</param>
public readonly record struct OpenInterestPoint(DateTimeOffset Time, double Coins, double Usd);

/// <summary>One price level: size in base coins (OKX contracts already converted).</summary>
public readonly record struct BookLevel(double Price, double Size);

/// <summary>An order book snapshot. Bids descending, asks ascending, sizes in base coins.</summary>
public sealed record OrderBook(DateTimeOffset Time, BookLevel[] Bids, BookLevel[] Asks);

/// <summary>
/// One candle. Volumes are in base units; <see cref="TakerBuyVolume"/> is only published by Binance and is NaN
/// elsewhere (consumers fall back to the candle's direction).
/// </summary>
public sealed record Bar
{
    /// <summary>Open time.</summary>
    public required DateTimeOffset OpenTime { get; init; }
    /// <summary>Bar length.</summary>
    public required TimeSpan Interval { get; init; }
    /// <summary>Open.</summary>
    public required double Open { get; init; }
    /// <summary>High.</summary>
    public required double High { get; init; }
    /// <summary>Low.</summary>
    public required double Low { get; init; }
    /// <summary>Close (the latest price while the bar is open).</summary>
    public required double Close { get; init; }
    /// <summary>Volume in base units.</summary>
    public required double Volume { get; init; }
    /// <summary>Volume in quote notional; NaN when the venue does not give it.</summary>
    public double QuoteVolume { get; init; } = double.NaN;
    /// <summary>Taker buy volume in base units; NaN when the venue does not give it.</summary>
    public double TakerBuyVolume { get; init; } = double.NaN;
    /// <summary>False while the bar is still forming.</summary>
    public bool Closed { get; init; } = true;

    /// <summary>Close time (exclusive).</summary>
    public DateTimeOffset CloseTime => OpenTime + Interval;
}
