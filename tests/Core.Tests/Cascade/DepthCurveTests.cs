using PerpGuard.Core.Cascade;
using PerpGuard.Core.Market;
using PerpGuard.Core.Venues;

namespace PerpGuard.Core.Tests.Cascade;

/// <summary>Power-law and order-book depth curves.</summary>
public class DepthCurveTests
{
    // Mid 100. Bids at 0.1%, 0.5%, 1%, 2% below; sizes 1, 2, 3, 4 coins → $99.9, $199, $297, $392.
    private static readonly OrderBook Book = new(DateTimeOffset.UnixEpoch,
        [new(99.9, 1), new(99.5, 2), new(99, 3), new(98, 4)],
        [new(100.1, 1), new(100.5, 2), new(101, 0), new(102, 5)]);

    [Fact]
    public void Power_law_inverts_in_closed_form()
    {
        var d = new PowerLawDepth(3e9, 1.3, 0.05);

        Assert.Equal(3e9 * Math.Pow(0.02, 1.3), d.CumulativeUsd(0.02));
        Assert.Equal(0.02, d.DistanceFor(d.CumulativeUsd(0.02)), 1e-15);
        Assert.Equal(0, d.DistanceFor(0));
        Assert.Equal(0, d.CumulativeUsd(0));
        Assert.Equal(200e6, PowerLawDepth.FromReference(200e6, 1.16, 0.05).CumulativeUsd(0.01), 1e-3);
    }

    [Fact]
    public void Fit_recovers_an_exact_power_law_from_bands()
    {
        var edges = DepthSummary.BandEdges;
        var usd = edges.Select(e => 5e9 * Math.Pow(e, 1.2)).ToArray();

        var fit = PowerLawDepth.Fit(edges, usd, trustedReach: 0.05)!;

        Assert.Equal(1.2, fit.Kappa, 1e-9);
        Assert.Equal(5e9, fit.B, 1e-3);
        Assert.Equal(1, fit.FitRSquared, 1e-12);
        Assert.Equal(5, fit.FitBands);
        Assert.Equal(0.05, fit.TrustedReach);
        Assert.True(double.IsNaN(PowerLawDepth.FromReference(1e8, 1.1, 0.05).FitRSquared));
    }

    [Fact]
    public void Fit_skips_empty_bands_and_bands_beyond_the_trusted_reach_and_needs_two()
    {
        double[] edges = [0.005, 0.01, 0.02, 0.03, 0.05];

        Assert.Null(PowerLawDepth.Fit(edges, [0, 0, 0, 0, 7e8], 0.05));
        Assert.Null(PowerLawDepth.Fit(edges, [1e8, 2e8, 2e8, 2e8, 2e8], trustedReach: 0.0056)); // REST snapshot: one band is measured
        var partial = PowerLawDepth.Fit(edges, [0, 2e8, 4e8, 9e9, 9e9], trustedReach: 0.02)!;
        Assert.Equal(2, partial.FitBands);
        Assert.Equal(1, partial.Kappa, 1e-12);
        Assert.Null(PowerLawDepth.Fit(edges, [5e8, 4e8, 3e8, 2e8, 1e8], 0.05)); // decreasing: not a depth curve
        Assert.Throws<ArgumentException>(() => PowerLawDepth.Fit(edges, [1, 2], 0.05));
    }

    [Fact]
    public void Book_depth_is_exact_at_level_boundaries()
    {
        var d = BookDepth.FromBook(Book, PositionSide.Long)!;

        Assert.Equal(100, d.ReferencePrice);
        Assert.Equal(4, d.Levels);
        Assert.Equal(0, d.CumulativeUsd(0));
        Assert.Equal(0, d.CumulativeUsd(0.0009));
        Assert.Equal(99.9, d.CumulativeUsd(0.001), 9);
        Assert.Equal(99.9 + 199, d.CumulativeUsd(0.005), 9);
        Assert.Equal(99.9 + 199, d.CumulativeUsd(0.0099), 9);
        Assert.Equal(99.9 + 199 + 297 + 392, d.CumulativeUsd(0.02), 9);
        Assert.Equal(0.02, d.TrustedReach, 15);
        Assert.Equal(987.9, d.TotalUsd, 9);
    }

    [Fact]
    public void A_sell_stops_at_the_last_level_it_touches_partial_fill_included()
    {
        var d = BookDepth.FromBook(Book, PositionSide.Long)!;

        Assert.Equal(0, d.DistanceFor(0));
        Assert.Equal(0.001, d.DistanceFor(50), 12);      // half of the first level
        Assert.Equal(0.001, d.DistanceFor(99.9), 12);    // exactly the first level
        Assert.Equal(0.005, d.DistanceFor(100), 12);     // into the second
        Assert.Equal(0.005, d.DistanceFor(298.9), 12);
        Assert.Equal(0.02, d.DistanceFor(987.9), 12);
    }

    [Fact]
    public void Beyond_the_last_level_the_book_extrapolates_continuously_and_the_walk_says_so()
    {
        var d = BookDepth.FromBook(Book, PositionSide.Long)!;

        Assert.True(d.KappaFitted);
        Assert.True(d.ExtrapolationKappa > 0);
        Assert.Equal(987.9 * Math.Pow(2, d.ExtrapolationKappa), d.CumulativeUsd(0.04), 9);
        Assert.Equal(0.04, d.DistanceFor(d.CumulativeUsd(0.04)), 12);
        Assert.True(d.DistanceFor(988) > 0.02);

        var inside = CascadeSimulator.Run(d, [], 900, new CascadeSettings());
        var beyond = CascadeSimulator.Run(d, [], 2000, new CascadeSettings());
        Assert.Equal(0.02, inside.Move, 12);
        Assert.False(inside.Extrapolated);
        Assert.True(beyond.Move > 0.02);
        Assert.True(beyond.Extrapolated);
    }

    [Fact]
    public void Short_liquidations_walk_the_asks_and_skip_empty_levels()
    {
        var d = BookDepth.FromBook(Book, PositionSide.Short)!;

        Assert.Equal(3, d.Levels); // the empty level at 101 is skipped
        Assert.Equal(100.1, d.CumulativeUsd(0.001), 9);
        Assert.Equal(100.1 + 201, d.CumulativeUsd(0.015), 9);
        Assert.Equal(0.02, d.DistanceFor(400), 12);
        Assert.Equal(0.02, d.TrustedReach, 12);
    }

    [Fact]
    public void A_book_from_an_exact_power_law_fits_its_kappa_and_a_single_level_uses_the_median()
    {
        var bids = Enumerable.Range(1, 200).Select(i =>
        {
            double Cum(int k) => 1e6 * Math.Pow(k * 0.0001, 1.3);
            var price = 100 * (1 - i * 0.0001);
            return new BookLevel(price, (Cum(i) - Cum(i - 1)) / price);
        }).ToArray();
        var d = BookDepth.FromBook(new OrderBook(DateTimeOffset.UnixEpoch, bids, [new(100, 1)]), PositionSide.Long, referencePrice: 100)!;
        Assert.Equal(1.3, d.ExtrapolationKappa, 6);

        var single = BookDepth.FromBook(new OrderBook(DateTimeOffset.UnixEpoch, [new(99, 1)], [new(101, 1)]), PositionSide.Long)!;
        Assert.False(single.KappaFitted);
        Assert.Equal(PowerLawDepth.MedianKappa, single.ExtrapolationKappa);
    }

    [Fact]
    public void Unusable_books_give_null()
    {
        var t = DateTimeOffset.UnixEpoch;
        Assert.Null(BookDepth.FromBook(new OrderBook(t, [], [new(101, 1)]), PositionSide.Long));
        Assert.Null(BookDepth.FromBook(new OrderBook(t, [new(101, 1)], [new(100, 1)]), PositionSide.Long)); // crossed
        Assert.Null(BookDepth.FromBook(new OrderBook(t, [new(99, 1), new(99.5, 1)], [new(101, 1)]), PositionSide.Long)); // out of order
        Assert.Null(BookDepth.FromBook(new OrderBook(t, [new(99, double.NaN)], [new(101, 1)]), PositionSide.Long));
        Assert.Null(BookDepth.FromBook(new OrderBook(t, [new(99, 0)], [new(101, 1)]), PositionSide.Long)); // no depth
    }
}
