namespace PerpGuard.Core.Market;

/// <summary>
/// Rejects market data that cannot be true (non-positive or non-finite prices, a high below the low, a mark half a
/// world away from its index). A rejected value is flagged and never used; the last good value stays, with its age.
/// Each check returns null when the value is usable, else the reason in a few words.
/// </summary>
public static class MarketSanity
{
    /// <summary>Mark and index further apart than this (as a fraction) are treated as a bad print, not a market.</summary>
    public const double MaxMarkIndexGap = 0.5;
    /// <summary>A funding rate beyond ±10% per interval is past every venue's cap.</summary>
    public const double MaxFundingRate = 0.1;

    /// <summary>Checks a ticker.</summary>
    public static string? Check(Ticker ticker)
    {
        ArgumentNullException.ThrowIfNull(ticker);
        if (!Positive(ticker.Mark)) return $"mark price {Show(ticker.Mark)} is not a positive number";
        if (!OptionalPositive(ticker.Index)) return $"index price {Show(ticker.Index)} is not a positive number";
        if (!OptionalPositive(ticker.Last)) return $"last price {Show(ticker.Last)} is not a positive number";
        if (!double.IsNaN(ticker.Index) && Math.Abs(ticker.Mark / ticker.Index - 1) > MaxMarkIndexGap)
            return $"mark {Show(ticker.Mark)} is more than {MaxMarkIndexGap:P0} from index {Show(ticker.Index)}";
        if (double.IsInfinity(ticker.FundingRate) || Math.Abs(ticker.FundingRate) > MaxFundingRate)
            return $"funding rate {Show(ticker.FundingRate)} is beyond any venue's cap";
        if (!double.IsNaN(ticker.FundingIntervalHours) && !(ticker.FundingIntervalHours is > 0 and <= 24))
            return $"funding interval {Show(ticker.FundingIntervalHours)} h is not between 0 and 24 hours";
        if (!OptionalNonNegative(ticker.Volume24h) || !OptionalNonNegative(ticker.QuoteVolume24h) || !OptionalNonNegative(ticker.OpenInterest))
            return "a volume or open interest is negative or not a number";
        return null;
    }

    /// <summary>Checks a spot ticker.</summary>
    public static string? Check(SpotTicker spot)
    {
        ArgumentNullException.ThrowIfNull(spot);
        if (!Positive(spot.Price)) return $"spot price {Show(spot.Price)} is not a positive number";
        return OptionalNonNegative(spot.QuoteVolume24h) ? null : "spot volume is negative or not a number";
    }

    /// <summary>Checks an open-interest point.</summary>
    public static string? Check(OpenInterestPoint point) =>
        point.Coins >= 0 && double.IsFinite(point.Coins) && point.Usd >= 0 && double.IsFinite(point.Usd)
            ? null
            : $"open interest {Show(point.Coins)} coins / {Show(point.Usd)} USD is negative or not a number";

    /// <summary>Checks a candle.</summary>
    public static string? Check(Bar bar)
    {
        ArgumentNullException.ThrowIfNull(bar);
        if (!Positive(bar.Open) || !Positive(bar.High) || !Positive(bar.Low) || !Positive(bar.Close))
            return "a bar price is not a positive number";
        if (bar.High < Math.Max(bar.Open, bar.Close) || bar.Low > Math.Min(bar.Open, bar.Close))
            return $"bar high {Show(bar.High)} / low {Show(bar.Low)} do not contain open and close";
        if (!(bar.Volume >= 0) || double.IsInfinity(bar.Volume) || !OptionalNonNegative(bar.QuoteVolume) || !OptionalNonNegative(bar.TakerBuyVolume))
            return "a bar volume is negative or not a number";
        return bar.Interval > TimeSpan.Zero ? null : "bar interval is not positive";
    }

    /// <summary>Checks a book: both sides present, sorted, positive, not crossed. Returns its summary when usable.</summary>
    public static string? Check(OrderBook book, out DepthSummary? summary)
    {
        ArgumentNullException.ThrowIfNull(book);
        summary = null;
        if (book.Bids.Length == 0 || book.Asks.Length == 0) return "the order book has an empty side";
        summary = DepthSummary.Of(book);
        return summary is null ? "the order book has a crossed, unsorted, zero or non-finite level" : null;
    }

    /// <summary>Checks a book summary (replays carry summaries, not books): a sane top of book and five non-negative bands.</summary>
    public static string? Check(DepthSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (!Positive(summary.BestBid) || !(summary.BestAsk > summary.BestBid) || !double.IsFinite(summary.BestAsk))
            return $"top of book {Show(summary.BestBid)} / {Show(summary.BestAsk)} is crossed or not positive";
        return summary.BidUsd.Length == DepthSummary.BandEdges.Count && summary.AskUsd.Length == DepthSummary.BandEdges.Count
            && summary.BidUsd.Concat(summary.AskUsd).All(x => x >= 0 && double.IsFinite(x))
            ? null : "a depth band is missing, negative or not a number";
    }

    private static bool Positive(double x) => x > 0 && double.IsFinite(x);
    private static bool OptionalPositive(double x) => double.IsNaN(x) || Positive(x);
    private static bool OptionalNonNegative(double x) => double.IsNaN(x) || x >= 0 && double.IsFinite(x);
    private static string Show(double x) => x.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);
}
