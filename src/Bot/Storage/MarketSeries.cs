using PerpGuard.Core.Market;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Storage;

// Time series of market data, one row per observation. NaN (not given by the venue) is stored as NULL: SQLite has no NaN.

/// <summary>A stored <see cref="Ticker"/>: mark, index, last, funding and 24 h volume.</summary>
public sealed class StoredTicker
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }
    /// <summary>Venue.</summary>
    public Venue Venue { get; set; }
    /// <summary>Native perpetual symbol.</summary>
    public required string Symbol { get; set; }
    /// <summary>Venue time stamp.</summary>
    public DateTimeOffset Time { get; set; }
    /// <summary>Mark price.</summary>
    public double Mark { get; set; }
    /// <summary>Index price.</summary>
    public double? Index { get; set; }
    /// <summary>Last price.</summary>
    public double? Last { get; set; }
    /// <summary>Funding rate per interval.</summary>
    public double? FundingRate { get; set; }
    /// <summary>Funding interval in hours.</summary>
    public double? FundingIntervalHours { get; set; }
    /// <summary>Next settlement.</summary>
    public DateTimeOffset? NextFunding { get; set; }
    /// <summary>24 h volume in base units.</summary>
    public double? Volume24h { get; set; }
    /// <summary>24 h volume in quote notional.</summary>
    public double? QuoteVolume24h { get; set; }

    /// <summary>Row from a ticker.</summary>
    public static StoredTicker From(Venue venue, Ticker t) => new()
    {
        Venue = venue, Symbol = t.Symbol, Time = t.Time, Mark = t.Mark, Index = N(t.Index), Last = N(t.Last),
        FundingRate = N(t.FundingRate), FundingIntervalHours = N(t.FundingIntervalHours), NextFunding = t.NextFunding,
        Volume24h = N(t.Volume24h), QuoteVolume24h = N(t.QuoteVolume24h),
    };

    /// <summary>The ticker back.</summary>
    public Ticker ToTicker() => new()
    {
        Symbol = Symbol, Time = Time, Mark = Mark, Index = Index ?? double.NaN, Last = Last ?? double.NaN,
        FundingRate = FundingRate ?? double.NaN, FundingIntervalHours = FundingIntervalHours ?? double.NaN, NextFunding = NextFunding,
        Volume24h = Volume24h ?? double.NaN, QuoteVolume24h = QuoteVolume24h ?? double.NaN,
    };

    internal static double? N(double x) => double.IsNaN(x) ? null : x;
}

/// <summary>A stored <see cref="SpotTicker"/>, filed under the perpetual it belongs to.</summary>
public sealed class StoredSpotTicker
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }
    /// <summary>Venue.</summary>
    public Venue Venue { get; set; }
    /// <summary>The perpetual's native symbol.</summary>
    public required string Symbol { get; set; }
    /// <summary>The spot pair's symbol.</summary>
    public required string SpotSymbol { get; set; }
    /// <summary>Time stamp.</summary>
    public DateTimeOffset Time { get; set; }
    /// <summary>Spot price.</summary>
    public double Price { get; set; }
    /// <summary>24 h quote volume.</summary>
    public double? QuoteVolume24h { get; set; }
}

/// <summary>A stored <see cref="OpenInterestPoint"/> (one per symbol and time).</summary>
public sealed class StoredOpenInterest
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }
    /// <summary>Venue.</summary>
    public Venue Venue { get; set; }
    /// <summary>Native perpetual symbol.</summary>
    public required string Symbol { get; set; }
    /// <summary>Time stamp.</summary>
    public DateTimeOffset Time { get; set; }
    /// <summary>Open interest in coins (one side).</summary>
    public double Coins { get; set; }
    /// <summary>Open interest in USD.</summary>
    public double Usd { get; set; }
}

/// <summary>A stored <see cref="DepthSummary"/>: top of book and cumulative USD depth within 0.5/1/2/3/5% of mid.</summary>
public sealed class StoredBook
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }
    /// <summary>Venue.</summary>
    public Venue Venue { get; set; }
    /// <summary>Native perpetual symbol.</summary>
    public required string Symbol { get; set; }
    /// <summary>Time stamp.</summary>
    public DateTimeOffset Time { get; set; }
    /// <summary>Best bid.</summary>
    public double BestBid { get; set; }
    /// <summary>Best ask.</summary>
    public double BestAsk { get; set; }
    /// <summary>Bid USD within 0.5%.</summary>
    public double Bid05 { get; set; }
    /// <summary>Bid USD within 1%.</summary>
    public double Bid1 { get; set; }
    /// <summary>Bid USD within 2%.</summary>
    public double Bid2 { get; set; }
    /// <summary>Bid USD within 3%.</summary>
    public double Bid3 { get; set; }
    /// <summary>Bid USD within 5%.</summary>
    public double Bid5 { get; set; }
    /// <summary>Ask USD within 0.5%.</summary>
    public double Ask05 { get; set; }
    /// <summary>Ask USD within 1%.</summary>
    public double Ask1 { get; set; }
    /// <summary>Ask USD within 2%.</summary>
    public double Ask2 { get; set; }
    /// <summary>Ask USD within 3%.</summary>
    public double Ask3 { get; set; }
    /// <summary>Ask USD within 5%.</summary>
    public double Ask5 { get; set; }
    /// <summary>How far the snapshot reached (fraction of mid).</summary>
    public double Reach { get; set; }
    /// <summary>Levels in the snapshot.</summary>
    public int Levels { get; set; }

    /// <summary>Row from a summary.</summary>
    public static StoredBook From(MarketKey key, DepthSummary s) => new()
    {
        Venue = key.Venue, Symbol = key.Symbol, Time = s.Time, BestBid = s.BestBid, BestAsk = s.BestAsk,
        Bid05 = s.BidUsd[0], Bid1 = s.BidUsd[1], Bid2 = s.BidUsd[2], Bid3 = s.BidUsd[3], Bid5 = s.BidUsd[4],
        Ask05 = s.AskUsd[0], Ask1 = s.AskUsd[1], Ask2 = s.AskUsd[2], Ask3 = s.AskUsd[3], Ask5 = s.AskUsd[4],
        Reach = s.Reach, Levels = s.Levels,
    };

    /// <summary>The summary back.</summary>
    public DepthSummary ToSummary() => new()
    {
        Time = Time, BestBid = BestBid, BestAsk = BestAsk, BidUsd = [Bid05, Bid1, Bid2, Bid3, Bid5],
        AskUsd = [Ask05, Ask1, Ask2, Ask3, Ask5], Reach = Reach, Levels = Levels,
    };
}

/// <summary>A stored <see cref="Bar"/>, unique per venue, symbol, market, interval and open time (a forming bar is updated in place).</summary>
public sealed class StoredBar
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }
    /// <summary>Venue.</summary>
    public Venue Venue { get; set; }
    /// <summary>Native perpetual symbol (spot bars are filed under the perpetual).</summary>
    public required string Symbol { get; set; }
    /// <summary>Perp or spot.</summary>
    public MarketKind Market { get; set; }
    /// <summary>Bar length in seconds.</summary>
    public int IntervalSeconds { get; set; }
    /// <summary>Open time.</summary>
    public DateTimeOffset OpenTime { get; set; }
    /// <summary>Open.</summary>
    public double Open { get; set; }
    /// <summary>High.</summary>
    public double High { get; set; }
    /// <summary>Low.</summary>
    public double Low { get; set; }
    /// <summary>Close.</summary>
    public double Close { get; set; }
    /// <summary>Base volume.</summary>
    public double Volume { get; set; }
    /// <summary>Quote volume.</summary>
    public double? QuoteVolume { get; set; }
    /// <summary>Taker buy base volume.</summary>
    public double? TakerBuyVolume { get; set; }
    /// <summary>Whether the bar had closed when stored.</summary>
    public bool Closed { get; set; }

    /// <summary>The bar back.</summary>
    public Bar ToBar() => new()
    {
        OpenTime = OpenTime, Interval = TimeSpan.FromSeconds(IntervalSeconds), Open = Open, High = High, Low = Low, Close = Close,
        Volume = Volume, QuoteVolume = QuoteVolume ?? double.NaN, TakerBuyVolume = TakerBuyVolume ?? double.NaN, Closed = Closed,
    };
}

/// <summary>A symbol a user watches without holding a position in it (polled like a held one).</summary>
public sealed class WatchedSymbol
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }
    /// <summary>The watching <see cref="ChatUser"/>.</summary>
    public long OwnerId { get; set; }
    /// <summary>Venue.</summary>
    public Venue Venue { get; set; }
    /// <summary>Native perpetual symbol.</summary>
    public required string Symbol { get; set; }
    /// <summary>When it was added.</summary>
    public DateTimeOffset CreatedAt { get; set; }
}
