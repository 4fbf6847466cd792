using PerpGuard.Core.Clusters;

namespace PerpGuard.Core.Tests.Clusters;

/// <summary>The lazy-scale cohort store behind <see cref="ClusterMap"/>.</summary>
public class CohortBookTests
{
    [Fact]
    public void A_tiny_scale_is_folded_into_the_cohorts_without_changing_them()
    {
        var book = new CohortBook();
        book.Add(10, 100, 90, 0, 100);
        book.Add(-500, 50, 60, 0, 100);
        book.ScaleBy(1e-70);
        Assert.Equal(0, book.RenormaliseIfNeeded());
        Assert.Equal(1, book.Scale);
        Close(150e-70, book.Total);
        book.Add(11, 1, 90.1, 0, 100);
        var notionals = book.Cohorts().Select(c => c.NotionalUsd).ToArray();
        Assert.Equal(3, notionals.Length);
        Close(50e-70, notionals[0]);
        Close(100e-70, notionals[1]);
        Close(1, notionals[2]);
    }

    [Fact]
    public void Negligible_cohorts_are_pruned_at_renormalisation_and_reported()
    {
        var book = new CohortBook();
        book.Add(0, 1e-30, 90, 0, 100);
        book.ScaleBy(0.5);
        book.Add(1, 1, 95, 0, 100);
        book.ScaleBy(1e-65);
        var pruned = book.RenormaliseIfNeeded();
        Close(0.5e-30 * 1e-65, pruned);
        Assert.Single(book.Cohorts());
        Close(1e-65, book.Total);
    }

    [Fact]
    public void The_array_grows_in_both_directions_and_keeps_order()
    {
        var book = new CohortBook();
        for (var k = 0; k < 1_000; k++) book.Add(k % 2 == 0 ? k : -k, 1, k % 2 == 0 ? 100 + k : 100 - k, 0, 100);
        var prices = book.Cohorts().Select(c => c.LiquidationPrice).ToArray();
        Assert.Equal(1_000, prices.Length);
        Assert.Equal(prices.Order(), prices);
        Assert.Equal(1_000, book.Total, 9);
        Assert.Equal(499, book.ConsumeFromTop(100.5), 9);     // even k = 2 … 998; k = 0 at 100 stays
        Assert.Equal(500, book.ConsumeFromBottom(99.5), 9);   // odd k = 1 … 999
        Assert.Equal(100, Assert.Single(book.Cohorts()).LiquidationPrice);
    }

    private static void Close(double expected, double actual) =>
        Assert.True(Math.Abs(actual - expected) <= 1e-12 * Math.Abs(expected), $"{actual} ≠ {expected}");
}
