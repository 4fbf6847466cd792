using PerpGuard.Core.Cascade;
using PerpGuard.Core.Probability;
using PerpGuard.Core.Venues;

namespace PerpGuard.Core.Tests.Cascade;

/// <summary>Mark lag, the risk score and the position coupling.</summary>
public class CascadeBehaviourTests
{
    private const double M = Toy.Million;
    private static readonly ForcedLevel Near = new(0.01, 10 * M);
    private static readonly ForcedLevel Passed = new(0.021, 10 * M);

    [Fact]
    public void Without_mark_lag_everything_the_price_passed_fires_at_once()
    {
        // $500M alone reaches ≈2.2%, past both levels.
        var r = CascadeSimulator.Run(Toy.Depth, [Near, Passed], 500 * M, Toy.Settings(1));

        Assert.Equal([500 * M, 20 * M], r.Waves.Select(w => w.FlowUsd));
        Assert.Equal([Near, Passed], r.Fired);
    }

    [Fact]
    public void Mark_lag_fires_a_level_passed_by_last_price_on_a_later_wave()
    {
        var r = CascadeSimulator.Run(Toy.Depth, [Near, Passed], 500 * M, Toy.Settings(1) with { MarkLag = 0.5 });

        Assert.True(r.Waves[0].Reach > Passed.Distance && r.Waves[0].Reach * 0.5 < Passed.Distance);
        Assert.Equal([500 * M, 10 * M, 10 * M], r.Waves.Select(w => w.FlowUsd));
        Assert.Equal([Near, Passed], r.Fired);
        Assert.Equal(20 * M, r.ForcedUsd);
    }

    [Fact]
    public void Mark_lag_can_stop_a_chain_before_a_level_the_price_passed()
    {
        // Nothing else fires in the first wave, so the chain ends with the mark still short of the level (§b.3: T = 0 → stop).
        var r = CascadeSimulator.Run(Toy.Depth, [Passed], 500 * M, Toy.Settings(1) with { MarkLag = 0.5 });

        Assert.Empty(r.Fired);
        Assert.Single(r.Waves);
    }

    [Theory]
    [InlineData(0.0999, CascadeLabel.Low)]
    [InlineData(0.10, CascadeLabel.Moderate)]
    [InlineData(0.4999, CascadeLabel.Moderate)]
    [InlineData(0.5, CascadeLabel.High)]
    [InlineData(0.9999, CascadeLabel.High)]
    [InlineData(1.0, CascadeLabel.Critical)]
    [InlineData(double.PositiveInfinity, CascadeLabel.Critical)]
    [InlineData(0.0, CascadeLabel.Low)]
    public void Labels_switch_at_the_band_edges(double stressedCoverage, CascadeLabel expected) =>
        Assert.Equal(expected, CascadeRisk.LabelOf(stressedCoverage));

    [Fact]
    public void Score_of_the_toy_book_at_median_survival()
    {
        var score = CascadeRisk.Score(Toy.Depth, Toy.Clusters, takerVolume1hUsd: 960 * M);

        Assert.Equal(0.015, score.NearestClusterDistance);
        Assert.Equal(0.02, score.AtNearestCluster!.Value.Band);
        Assert.Equal(CascadeLabel.Critical, score.Label); // CRS*(2%) = 1.119
        Assert.Equal(96.0, Math.Round(score.TriggerCostUsd / M, 1));
        Assert.Equal(score.TriggerCostUsd / (960 * M), score.TriggerShareOfTakerVolume);

        var shock = score.TriggerCostUsd * 1.01;
        var chain = CascadeSimulator.Run(Toy.Depth, Toy.Clusters, shock, Toy.Settings(0.3));
        Assert.Equal(chain.Move, score.Reach);
        Assert.Equal(chain, score.Chain with { Waves = chain.Waves, Fired = chain.Fired });
        Assert.Equal(chain.Waves, score.Chain.Waves);
        Assert.Equal(3, score.Chain.Fired.Count);
        var alone = Toy.Depth.DistanceFor(shock / 0.3);
        Assert.Equal(score.Reach / alone, score.Amplification, 12);
        Assert.InRange(score.Amplification, 8.9, 9.2); // 13.7% against 1.5%
        Assert.True(score.Extrapolated); // the chain runs past the 5% of band data
        Assert.Equal(CascadeRisk.DefaultBands, score.Bands.Select(b => b.Band));
        Assert.All(score.Bands, b => Assert.False(b.Extrapolated));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(double.NaN)]
    public void Share_of_taker_volume_is_NaN_when_the_volume_is_unknown(double volume)
    {
        var score = CascadeRisk.Score(Toy.Depth, Toy.Clusters, volume);

        Assert.True(double.IsNaN(score.TriggerShareOfTakerVolume));
        Assert.True(double.IsFinite(score.TriggerCostUsd));
    }

    [Fact]
    public void Score_without_clusters_is_low_with_NaN_trigger()
    {
        var score = CascadeRisk.Score(Toy.Depth, [new(0.01, 0)], 1e9);

        Assert.Equal(CascadeLabel.Low, score.Label);
        Assert.True(double.IsNaN(score.NearestClusterDistance));
        Assert.Null(score.AtNearestCluster);
        Assert.True(double.IsNaN(score.TriggerCostUsd) && double.IsNaN(score.Reach) && double.IsNaN(score.Amplification));
        Assert.Same(CascadeResult.None, score.Chain);
        Assert.All(score.Bands, b => Assert.Equal(0, b.Coverage));
    }

    [Fact]
    public void A_cluster_threshold_ignores_dust_in_front_of_the_real_cluster()
    {
        ForcedLevel[] forced = [new(0.002, 1_000), .. Toy.Clusters];

        var all = CascadeRisk.Score(Toy.Depth, forced, double.NaN);
        var clusters = CascadeRisk.Score(Toy.Depth, forced, double.NaN, minClusterUsd: 1 * M);

        Assert.Equal(0.002, all.NearestClusterDistance);
        Assert.Equal(CascadeLabel.Low, all.Label);
        Assert.Equal(0.015, clusters.NearestClusterDistance);
        Assert.Equal(CascadeLabel.Critical, clusters.Label);
    }

    [Fact]
    public void A_cluster_beyond_the_widest_band_is_scored_at_its_own_distance()
    {
        var score = CascadeRisk.Score(Toy.Depth, [new(0.08, 500 * M)], double.NaN);

        Assert.Equal(0.08, score.AtNearestCluster!.Value.Band);
        Assert.True(score.AtNearestCluster.Value.Extrapolated);
        Assert.Equal(500 * M / Toy.Depth.CumulativeUsd(0.08), score.AtNearestCluster.Value.Coverage, 12);
    }

    [Fact]
    public void A_long_whose_liquidation_lies_beyond_a_critical_cluster_takes_the_cluster_edge_probability()
    {
        var a = PositionCascadeAnalysis.Assess(100, PositionSide.Long, 96, Toy.Depth, Toy.Clusters, 0.6, 24, 960 * M, Toy.Settings(0.3));

        var baseP = HitProbability.Continuous(100, 96, 0.6, HitProbability.Years(24));
        var edgeP = HitProbability.Continuous(100, 98.5, 0.6, HitProbability.Years(24));
        Assert.Equal(0.04, a.LiquidationDistance, 15);
        Assert.Equal(baseP, a.BaseProbability);
        Assert.Equal(0.015, a.CriticalClusterEdgeDistance);
        Assert.Equal(edgeP, a.ProbabilityReachCriticalCluster);
        Assert.Equal(edgeP, a.AdjustedProbability);
        Assert.True(a.AdjustedProbability > a.BaseProbability);
        Assert.Equal(96.0, Math.Round(a.ShockUsd / M, 1)); // the chain from the first cluster carries price to 4%
        Assert.Equal(a.ShockUsd / (960 * M), a.ShockShareOfTakerVolume);
        Assert.True(a.ChainReachesLiquidation);
    }

    [Fact]
    public void A_position_with_no_cluster_in_between_keeps_the_base_probability()
    {
        var a = PositionCascadeAnalysis.Assess(100, PositionSide.Long, 99, Toy.Depth, Toy.Clusters, 0.6, 24, double.NaN, Toy.Settings(0.3));

        Assert.Equal(a.BaseProbability, a.AdjustedProbability);
        Assert.Equal(0.015, a.CriticalClusterEdgeDistance); // reported, but beyond LP
        Assert.False(a.ChainReachesLiquidation);
        Assert.Equal(0.3 * Toy.Depth.CumulativeUsd(0.01), a.ShockUsd, 1.0); // the shock must do it alone
        Assert.True(double.IsNaN(a.ShockShareOfTakerVolume));
    }

    [Fact]
    public void Without_a_critical_cluster_nothing_is_adjusted()
    {
        var a = PositionCascadeAnalysis.Assess(100, PositionSide.Long, 90, Toy.Depth, [new(0.015, 1 * M)], 0.6, 24, double.NaN, Toy.Settings(0.3));

        Assert.Equal(a.BaseProbability, a.AdjustedProbability);
        Assert.True(double.IsNaN(a.CriticalClusterEdgeDistance));
        Assert.True(double.IsNaN(a.ProbabilityReachCriticalCluster));
    }

    [Fact]
    public void A_short_mirrors_the_long_with_asks_and_short_clusters()
    {
        var a = PositionCascadeAnalysis.Assess(100, PositionSide.Short, 104, Toy.Depth, Toy.Clusters, 0.6, 24, double.NaN, Toy.Settings(0.3));
        var inside = PositionCascadeAnalysis.Assess(100, PositionSide.Short, 101, Toy.Depth, Toy.Clusters, 0.6, 24, double.NaN, Toy.Settings(0.3));

        var edgeP = HitProbability.Continuous(100, 101.5, 0.6, HitProbability.Years(24));
        Assert.Equal(0.04, a.LiquidationDistance, 12);
        Assert.Equal(HitProbability.Continuous(100, 104, 0.6, HitProbability.Years(24)), a.BaseProbability);
        Assert.Equal(edgeP, a.AdjustedProbability);
        Assert.True(a.ChainReachesLiquidation);
        Assert.Equal(inside.BaseProbability, inside.AdjustedProbability);
    }
}
