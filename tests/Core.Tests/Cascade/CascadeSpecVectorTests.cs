using System.Globalization;
using PerpGuard.Core.Cascade;

namespace PerpGuard.Core.Tests.Cascade;

/// <summary>risk-model §b.6 and §c toy vectors and the events.md E15 paper check, to the printed precision.</summary>
public class CascadeSpecVectorTests
{
    private const double M = Toy.Million;

    [Theory]
    // W, Q0 ($M), final drop (%), its decimals, forced ($M), waves "flow→reach%" with reach to 3 decimals, exhausted, extrapolated (trusted reach 5%)
    [InlineData(1.0, 50, 0.303, 3, 0, "50→0.303", false, false)]
    [InlineData(1.0, 300, 1.418, 3, 0, "300→1.418", false, false)]
    [InlineData(0.3, 50, 0.855, 3, 0, "50→0.855", false, false)]
    [InlineData(0.3, 150, 14.18, 2, 1150, "150→2.203; 150→4.005; 400→8.313; 600→14.176", false, true)]
    [InlineData(0.06, 50, 29.15, 2, 1150, "50→3.422; 550→29.149", true, true)]
    public void Reproduces_the_b6_table(double survival, double shockM, double dropPct, int decimals, double forcedM, string waves, bool exhausted, bool extrapolated)
    {
        var r = CascadeSimulator.Run(Toy.Depth, Toy.Clusters, shockM * M, Toy.Settings(survival));

        Assert.Equal(dropPct, Math.Round(r.Move * 100, decimals));
        Assert.Equal(forcedM, Math.Round(r.ForcedUsd / M, 6));
        var actual = string.Join("; ", r.Waves.Select(w => string.Create(CultureInfo.InvariantCulture, $"{Math.Round(w.FlowUsd / M, 6)}→{w.Reach * 100:F3}")));
        Assert.Equal(waves, actual);
        Assert.Equal(exhausted, r.Exhausted);
        Assert.Equal(extrapolated, r.Extrapolated);
        Assert.Equal(forcedM > 0 ? 3 : 0, r.Fired.Count);
    }

    [Fact]
    public void Exhaustion_stops_price_at_the_last_absorbed_reach_and_still_counts_what_it_fired()
    {
        // W = 0.06: the 5% cluster fires at 29.149%; its $600M would carry price to ~53%, past MaxMove = 30%.
        var r = CascadeSimulator.Run(Toy.Depth, Toy.Clusters, 50 * M, Toy.Settings(0.06));

        Assert.True(r.Exhausted);
        Assert.Equal(r.Waves[^1].Reach, r.Move);
        Assert.Equal(2, r.Waves.Count);
        Assert.Equal(Toy.Clusters, r.Fired);
        // The book to 30% would have taken the $600M only up to W·D(30%).
        Assert.True(Toy.Depth.CumulativeUsd(0.30) * 0.06 < 1200 * M);
    }

    [Fact]
    public void A_shock_that_alone_passes_MaxMove_sweeps_the_range_and_fires_everything_in_it()
    {
        var r = CascadeSimulator.Run(Toy.Depth, Toy.Clusters, 100_000 * M, Toy.Settings(1.0));

        Assert.True(r.Exhausted);
        Assert.Equal(0.30, r.Move);
        Assert.Single(r.Waves);
        Assert.Equal(1150 * M, r.ForcedUsd, 6);
        Assert.True(r.Extrapolated); // the range beyond the 5% of band data was extrapolated
    }

    [Theory]
    [InlineData(1.0, 320.1, 565.3, 743.7)]
    [InlineData(0.3, 96.0, 96.0, 96.0)]
    [InlineData(0.06, 19.2, 19.2, 19.2)]
    public void Minimum_shocks_to_reach_each_cluster_match_b6(double survival, double first, double second, double third)
    {
        var expected = new[] { first, second, third };
        for (var k = 0; k < 3; k++)
        {
            var q = CascadeSimulator.MinimumShock(Toy.Depth, Toy.Clusters, Toy.Clusters[k].Distance, Toy.Settings(survival));

            Assert.Equal(expected[k], Math.Round(q / M, 1));
            // Q* reaches the cluster and fires it; a shock 1e-6 smaller does not.
            Assert.Contains(Toy.Clusters[k], CascadeSimulator.Run(Toy.Depth, Toy.Clusters, q, Toy.Settings(survival)).Fired);
            Assert.DoesNotContain(Toy.Clusters[k], CascadeSimulator.Run(Toy.Depth, Toy.Clusters, q * (1 - 1e-6), Toy.Settings(survival)).Fired);
        }
    }

    [Fact]
    public void Minimum_shock_is_infinite_beyond_MaxMove_and_zero_at_the_reference()
    {
        Assert.Equal(double.PositiveInfinity, CascadeSimulator.MinimumShock(Toy.Depth, Toy.Clusters, 0.31, Toy.Settings(1)));
        Assert.Equal(0, CascadeSimulator.MinimumShock(Toy.Depth, Toy.Clusters, 0, Toy.Settings(1)));
        // At MaxMove itself the answer is finite: at most the shock that sweeps the range alone.
        var q = CascadeSimulator.MinimumShock(Toy.Depth, Toy.Clusters, 0.30, Toy.Settings(1));
        Assert.True(q <= Toy.Depth.CumulativeUsd(0.30) && q > 0);
    }

    [Fact]
    public void Reproduces_the_section_c_toy_coverage()
    {
        var score = CascadeRisk.Score(Toy.Depth, Toy.Clusters, takerVolume1hUsd: double.NaN);
        var byBand = score.Bands.ToDictionary(b => b.Band);

        Assert.Equal(0.336, Math.Round(byBand[0.02].Coverage, 3));
        Assert.Equal(1.119, Math.Round(byBand[0.02].StressedCoverage, 3));
        Assert.Equal(0.769, Math.Round(byBand[0.03].Coverage, 3));
        Assert.Equal(2.563, Math.Round(byBand[0.03].StressedCoverage, 3));
        Assert.Equal(0.889, Math.Round(byBand[0.05].Coverage, 3));
        Assert.Equal(446.9, Math.Round(byBand[0.02].DepthUsd / M, 1));
        Assert.Equal(715.3, Math.Round(byBand[0.03].DepthUsd / M, 1));
        Assert.Equal(1293.7, Math.Round(byBand[0.05].DepthUsd / M, 1));
        Assert.Equal(550 * M, byBand[0.03].ForcedUsd); // the 3% cluster sits exactly on the edge and counts
        Assert.Equal(0, byBand[0.01].ForcedUsd);
    }

    [Fact]
    public void E15_a_full_book_keeps_a_billion_dollar_sell_small()
    {
        var depth = PowerLawDepth.FromReference(244 * M, 1.16, trustedReach: 0.05);

        var r = CascadeSimulator.Run(depth, [], 1000 * M, new CascadeSettings { Survival = 1 });

        Assert.Equal(3.4, Math.Round(r.Move * 100, 1));
        Assert.False(r.Exhausted);
        Assert.False(r.Extrapolated);
    }

    [Fact]
    public void E15_at_the_observed_survival_a_hundred_million_reaches_double_digits_flagged_extrapolated()
    {
        var depth = PowerLawDepth.FromReference(244 * M, 1.16, trustedReach: 0.05);

        var r = CascadeSimulator.Run(depth, [], 100 * M, new CascadeSettings { Survival = 2.14 / 244 });

        Assert.InRange(r.Move * 100, 26, 28); // ≈27%
        Assert.True(r.Extrapolated);
        Assert.False(r.Exhausted); // still inside the 30% range
    }
}
