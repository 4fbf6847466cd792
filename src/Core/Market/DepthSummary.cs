namespace PerpGuard.Core.Market;

/// <summary>
/// An order book reduced to what the cascade model reads: the top of book, and the USD notional resting within
/// ±0.5/1/2/3/5% of mid on each side. <see cref="Reach"/> says how far the snapshot went: a band beyond it is a lower
/// bound, not a measurement.
/// </summary>
public sealed record DepthSummary
{
    /// <summary>Band edges as fractions of mid: 0.5%, 1%, 2%, 3%, 5%.</summary>
    public static IReadOnlyList<double> BandEdges { get; } = [0.005, 0.01, 0.02, 0.03, 0.05];

    /// <summary>When the book was stamped.</summary>
    public required DateTimeOffset Time { get; init; }
    /// <summary>Best bid.</summary>
    public required double BestBid { get; init; }
    /// <summary>Best ask.</summary>
    public required double BestAsk { get; init; }
    /// <summary>Cumulative bid notional (USD) within each band of <see cref="BandEdges"/> below mid.</summary>
    public required double[] BidUsd { get; init; }
    /// <summary>Cumulative ask notional (USD) within each band above mid.</summary>
    public required double[] AskUsd { get; init; }
    /// <summary>How far from mid the thinner side of the snapshot reaches, as a fraction (0.0019 = 0.19%).</summary>
    public required double Reach { get; init; }
    /// <summary>Levels in the snapshot (bids + asks).</summary>
    public required int Levels { get; init; }

    /// <summary>Mid price.</summary>
    public double Mid => (BestBid + BestAsk) / 2;
    /// <summary>Spread as a fraction of mid.</summary>
    public double Spread => (BestAsk - BestBid) / Mid;

    /// <summary>
    /// Summarises a book in one pass per side. Returns null when the book is unusable: a side empty, a non-positive
    /// or non-finite price or size, or a crossed top of book.
    /// </summary>
    public static DepthSummary? Of(OrderBook book)
    {
        ArgumentNullException.ThrowIfNull(book);
        if (book.Bids.Length == 0 || book.Asks.Length == 0) return null;
        var bestBid = book.Bids[0].Price;
        var bestAsk = book.Asks[0].Price;
        if (!(bestBid > 0) || !(bestAsk > bestBid) || !double.IsFinite(bestAsk)) return null;
        var mid = (bestBid + bestAsk) / 2;
        var bids = new double[BandEdges.Count];
        var asks = new double[BandEdges.Count];
        var bidReach = Accumulate(book.Bids, mid, -1, bids);
        var askReach = Accumulate(book.Asks, mid, +1, asks);
        if (double.IsNaN(bidReach) || double.IsNaN(askReach)) return null;
        return new DepthSummary
        {
            Time = book.Time, BestBid = bestBid, BestAsk = bestAsk, BidUsd = bids, AskUsd = asks,
            Reach = Math.Min(bidReach, askReach), Levels = book.Bids.Length + book.Asks.Length,
        };
    }

    // Adds each level's notional to every band that contains it (bands are cumulative); returns the side's reach, or
    // NaN when a level is invalid or out of order.
    private static double Accumulate(BookLevel[] levels, double mid, int direction, double[] bands)
    {
        var edges = BandEdges;
        var band = 0;
        var previous = direction < 0 ? double.PositiveInfinity : 0;
        var reach = 0.0;
        var running = 0.0;
        foreach (var level in levels)
        {
            var price = level.Price;
            if (!(price > 0) || !(level.Size >= 0) || !double.IsFinite(price) || !double.IsFinite(level.Size)) return double.NaN;
            if (direction < 0 ? price > previous : price < previous) return double.NaN;
            previous = price;
            reach = direction < 0 ? 1 - price / mid : price / mid - 1;
            while (band < edges.Count && reach > edges[band] + 1e-12)
            {
                bands[band] = running;
                band++;
            }
            if (band == edges.Count) break;
            running += price * level.Size;
        }
        for (; band < edges.Count; band++) bands[band] = running;
        return reach;
    }
}
