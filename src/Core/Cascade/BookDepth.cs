using PerpGuard.Core.Market;
using PerpGuard.Core.Venues;

namespace PerpGuard.Core.Cascade;

/// <summary>
/// Depth read off one side of an order-book snapshot (risk-model §b.3): a step curve over the levels, each worth
/// price·size USD at its distance from the reference price. A sell that ends inside a level stops at that level's
/// distance (partial fill). <see cref="TrustedReach"/> is the last level's distance; beyond it the curve continues as
/// a power law anchored at the book's total, with κ fitted (log-log) to the book's own cumulative curve, or
/// <see cref="PowerLawDepth.MedianKappa"/> when no positive κ can be fitted (§b.4).
/// </summary>
public sealed class BookDepth : IDepthCurve
{
    private readonly double[] _distance;
    private readonly double[] _cumulative;
    private readonly double _inverseKappa;

    private BookDepth(double reference, double[] distance, double[] cumulative, double kappa, bool fitted)
    {
        ReferencePrice = reference;
        _distance = distance;
        _cumulative = cumulative;
        ExtrapolationKappa = kappa;
        KappaFitted = fitted;
        _inverseKappa = 1 / kappa;
    }

    /// <summary>The price distances are measured from (mid, unless given).</summary>
    public double ReferencePrice { get; }

    /// <summary>Levels with a positive size on the side used.</summary>
    public int Levels => _distance.Length;

    /// <summary>USD on the side used: price·size summed over its levels.</summary>
    public double TotalUsd => _cumulative[^1];

    /// <summary>κ of the power law used beyond the last level.</summary>
    public double ExtrapolationKappa { get; }

    /// <summary>True when <see cref="ExtrapolationKappa"/> was fitted to the book; false when it is the median default.</summary>
    public bool KappaFitted { get; }

    /// <inheritdoc />
    public double TrustedReach => _distance[^1];

    /// <summary>
    /// The side of <paramref name="book"/> that absorbs <paramref name="liquidatedSide"/>'s forced orders, measured
    /// from mid: bids below mid for longs (forced sells), asks above mid for shorts (forced buys). Null when the book is
    /// unusable: a side empty, a non-positive or non-finite price, a negative or non-finite size, levels out of order,
    /// a crossed top of book, or no positive size on the side used.
    /// </summary>
    public static BookDepth? FromBook(OrderBook book, PositionSide liquidatedSide)
    {
        ArgumentNullException.ThrowIfNull(book);
        if (book.Bids.Length == 0 || book.Asks.Length == 0) return null;
        var bestBid = book.Bids[0].Price;
        var bestAsk = book.Asks[0].Price;
        if (!(bestBid > 0) || !(bestAsk > bestBid) || !double.IsFinite(bestAsk)) return null;
        return FromBook(book, liquidatedSide, (bestBid + bestAsk) / 2);
    }

    /// <summary>
    /// As <see cref="FromBook(OrderBook, PositionSide)"/>, measured from <paramref name="referencePrice"/> (for
    /// example the mark, when the cluster map is measured from it). Levels on the wrong side of the reference count at
    /// distance 0. Only the side used is read and checked.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="referencePrice"/> is not finite and positive, or
    /// <paramref name="liquidatedSide"/> is not a defined side.</exception>
    public static BookDepth? FromBook(OrderBook book, PositionSide liquidatedSide, double referencePrice)
    {
        ArgumentNullException.ThrowIfNull(book);
        if (!(referencePrice > 0) || !double.IsFinite(referencePrice))
            throw new ArgumentOutOfRangeException(nameof(referencePrice), referencePrice, "Must be a finite number greater than zero.");
        var (levels, down) = liquidatedSide switch
        {
            PositionSide.Long => (book.Bids, true),
            PositionSide.Short => (book.Asks, false),
            _ => throw new ArgumentOutOfRangeException(nameof(liquidatedSide), liquidatedSide, "Unknown side."),
        };
        if (levels.Length == 0) return null;

        var distance = new double[levels.Length];
        var cumulative = new double[levels.Length];
        var fit = new LogLogFit();
        var count = 0;
        var running = 0.0;
        var previous = down ? double.PositiveInfinity : 0;
        foreach (var level in levels)
        {
            var price = level.Price;
            if (!(price > 0) || !double.IsFinite(price) || !(level.Size >= 0) || !double.IsFinite(level.Size)) return null;
            if (down ? price > previous : price < previous) return null;
            previous = price;
            if (level.Size == 0) continue;
            var u = Math.Max(0, down ? 1 - price / referencePrice : price / referencePrice - 1);
            running += price * level.Size;
            distance[count] = u;
            cumulative[count] = running;
            count++;
            if (u > 0) fit.Add(Math.Log(u), Math.Log(running));
        }
        if (count == 0 || !(running > 0) || !double.IsFinite(running) || !(distance[count - 1] > 0)) return null;
        Array.Resize(ref distance, count);
        Array.Resize(ref cumulative, count);
        var fitted = fit.TrySolve(out _, out var kappa, out _) && kappa > 0 && double.IsFinite(kappa);
        return new BookDepth(referencePrice, distance, cumulative, fitted ? kappa : PowerLawDepth.MedianKappa, fitted);
    }

    /// <inheritdoc />
    public double CumulativeUsd(double u)
    {
        if (!(u >= 0)) throw new ArgumentOutOfRangeException(nameof(u), u, "Distance must be zero or more.");
        var last = _distance[^1];
        if (u > last) return TotalUsd * Math.Pow(u / last, ExtrapolationKappa);
        // Last level with distance ≤ u (a level a rounding error beyond u still counts: the boundary is inclusive).
        var index = UpperBound(_distance, u + CascadeSimulator.Tolerance) - 1;
        return index < 0 ? 0 : _cumulative[index];
    }

    /// <inheritdoc />
    public double DistanceFor(double usd)
    {
        if (double.IsNaN(usd)) throw new ArgumentOutOfRangeException(nameof(usd), usd, "USD must not be NaN.");
        if (usd <= 0) return 0;
        var total = TotalUsd;
        if (usd > total) return _distance[^1] * Math.Pow(usd / total, _inverseKappa);
        return _distance[LowerBound(_cumulative, usd)];
    }

    // First index with values[i] ≥ x (values non-decreasing).
    private static int LowerBound(double[] values, double x)
    {
        int lo = 0, hi = values.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (values[mid] < x) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    // First index with values[i] > x.
    private static int UpperBound(double[] values, double x)
    {
        int lo = 0, hi = values.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (values[mid] <= x) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
