using PerpGuard.Core.Clusters;
using PerpGuard.Core.Venues;

namespace PerpGuard.Core.Tests.Clusters;

/// <summary>Risk-model §a.5: grid, clusters, nearest-cluster API and the cascade hand-off, on a synthetic map.</summary>
public class MapSnapshotTests
{
    private const double P0 = 100;
    private static readonly DateTimeOffset AsOf = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>0.1-wide bins (0.1% of 100) within ±10%, φ = 0.5.</summary>
    private static readonly ClusterMapSettings Settings = new() { BinPct = 0.001, RangePct = 0.10, Calibration = 0.5 };

    private static double LongMid(int k) => P0 - (k + 0.5) * 0.1;
    private static double ShortMid(int k) => P0 + (k + 0.5) * 0.1;

    /// <summary>
    /// Two long bumps, 50/100/50 around 2.05% below (k = 20) and 25/200/25 around 5.05% below (k = 50), a 1 USD
    /// speck at k = 80, 49 USD far out of view at 50; one 300 USD short spike 1.05% above (k = 10).
    /// </summary>
    private static MapSnapshot TwoBumps()
    {
        SnapshotCohort L(int k, double usd, double age) => new(PositionSide.Long, LongMid(k), usd, age);
        SnapshotCohort[] cohorts =
        [
            new(PositionSide.Long, 50, 49, 500),
            L(51, 25, 5), L(50, 200, 5), L(49, 25, 5), L(80, 1, 0),
            L(21, 50, 100), L(20, 100, 10), L(19, 50, 1),
            new(PositionSide.Short, ShortMid(10), 300, 2),
        ];
        return new MapSnapshot(Settings, P0, AsOf, cohorts, longTotal: 500, shortTotal: 300);
    }

    [Fact]
    public void Bins_cover_the_range_in_ascending_price_with_the_reference_on_an_edge()
    {
        var s = TwoBumps();
        Assert.Equal(0.1, s.BinWidth, 12);
        Assert.Equal(200, s.Bins.Count);
        Assert.Equal(90, s.Bins[0].PriceLow, 9);
        Assert.Equal(110, s.Bins[^1].PriceHigh, 9);
        Assert.Equal(P0, s.Bins[100].PriceLow);
        for (var j = 1; j < s.Bins.Count; j++) Assert.Equal(s.Bins[j - 1].PriceHigh, s.Bins[j].PriceLow);
        Assert.Equal(451, s.Bins.Sum(b => b.LongUsd), 9); // the cohort at 50 is out of view
        Assert.Equal(300, s.Bins.Sum(b => b.ShortUsd), 9);
        Assert.Equal(200, s.Bins[100 - 1 - 50].LongUsd);
        Assert.Equal(Settings.Describe(), s.Parameters);
        Assert.True(s.Calibrated);
        Assert.Equal((500.0, 300.0), (s.LongUsd, s.ShortUsd));
    }

    [Fact]
    public void Levels_exactly_at_the_reference_count_on_their_own_side()
    {
        SnapshotCohort[] cohorts = [new(PositionSide.Long, P0, 10, 0), new(PositionSide.Short, P0, 20, 0)];
        var s = new MapSnapshot(Settings, P0, AsOf, cohorts, 10, 20);
        Assert.Equal(10, s.Bins[99].LongUsd);
        Assert.Equal(20, s.Bins[100].ShortUsd);
        Assert.Equal(new ForcedLevelCheck(0.0005, 5), ForcedLevelCheck.Of(Assert.Single(s.Forced(PositionSide.Long))));
        Assert.Equal(new ForcedLevelCheck(0.0005, 10), ForcedLevelCheck.Of(Assert.Single(s.Forced(PositionSide.Short))));
        Assert.Equal(5, s.NotionalWithin(PositionSide.Long, 0));
        Assert.Equal(10, s.NotionalWithin(PositionSide.Short, 0));
    }

    [Fact]
    public void Two_bumps_give_two_long_clusters_with_their_peaks_and_edges_nearest_first()
    {
        var s = TwoBumps();
        var clusters = s.Clusters(PositionSide.Long);
        Assert.Equal(2, clusters.Count);

        var a = clusters[0];
        Assert.Equal(PositionSide.Long, a.Side);
        Assert.Equal(97.95, a.PricePeak, 9);
        Assert.Equal(97.8, a.PriceLow, 9);   // bins k = 19..21
        Assert.Equal(98.1, a.PriceHigh, 9);
        Assert.Equal(200, a.NotionalUsd, 9);
        Assert.Equal(100, a.CalibratedUsd, 9);
        Assert.Equal(-0.0205, a.DistancePct, 9);
        Assert.Equal(0.4, a.ShareOfSide, 9);
        Assert.Equal(10, a.MedianAgeHours); // weighted median of 1 h (50), 10 h (100), 100 h (50)

        var b = clusters[1];
        Assert.Equal(94.95, b.PricePeak, 9);
        Assert.Equal(94.8, b.PriceLow, 9);
        Assert.Equal(95.1, b.PriceHigh, 9);
        Assert.Equal(250, b.NotionalUsd, 9);
        Assert.Equal(-0.0505, b.DistancePct, 9);
        Assert.Equal(5, b.MedianAgeHours);

        var shortCluster = Assert.Single(s.Clusters(PositionSide.Short));
        Assert.Equal(101.05, shortCluster.PricePeak, 9);
        Assert.Equal(100.9, shortCluster.PriceLow, 9);
        Assert.Equal(101.2, shortCluster.PriceHigh, 9);
        Assert.Equal(300, shortCluster.NotionalUsd, 9);
        Assert.Equal(0.0105, shortCluster.DistancePct, 9);
        Assert.Equal(1, shortCluster.ShareOfSide, 9);

        Assert.Same(a, s.Nearest(PositionSide.Long));
        Assert.Same(shortCluster, s.Nearest(PositionSide.Short));
    }

    [Fact]
    public void A_peak_below_the_minimum_cluster_size_is_not_a_cluster()
    {
        // One speck on the side: it is its own 80th percentile, but 0.05% of a 1,000,000 USD side is 500.
        SnapshotCohort[] cohorts = [new(PositionSide.Long, LongMid(5), 100, 0)];
        Assert.Single(new MapSnapshot(Settings, P0, AsOf, cohorts, 100, 0).Clusters(PositionSide.Long));
        Assert.Empty(new MapSnapshot(Settings, P0, AsOf, cohorts, 1_000_000, 0).Clusters(PositionSide.Long));
    }

    [Fact]
    public void An_empty_side_has_no_clusters_or_levels()
    {
        var s = new MapSnapshot(Settings, P0, AsOf, [], 0, 0);
        Assert.Empty(s.Clusters(PositionSide.Long));
        Assert.Null(s.Nearest(PositionSide.Short));
        Assert.Empty(s.Forced(PositionSide.Long));
        Assert.Equal(0, s.NotionalWithin(PositionSide.Short, 0.3));
        var placement = s.Place(PositionSide.Long, 90);
        Assert.Empty(placement.Between);
        Assert.Null(placement.Containing);
        Assert.Null(placement.Beyond);
    }

    [Fact]
    public void Notional_within_a_band_is_calibrated_and_inclusive()
    {
        var s = TwoBumps();
        Assert.Equal(0, s.NotionalWithin(PositionSide.Long, 0.01));
        Assert.Equal(100, s.NotionalWithin(PositionSide.Long, 0.03), 9);          // bump A: 200 × 0.5
        Assert.Equal(112.5, s.NotionalWithin(PositionSide.Long, 0.05), 9);        // + 25 at 95.05
        Assert.Equal(225.5, s.NotionalWithin(PositionSide.Long, 0.3), 9);         // all in view
        Assert.Equal(250, s.NotionalWithin(PositionSide.Long, 0.5), 9);           // the cohort at exactly 50 counts
        Assert.Equal(150, s.NotionalWithin(PositionSide.Short, 0.02), 9);
        Assert.Equal(0, s.NotionalWithin(PositionSide.Short, 0.01));
        Assert.Throws<ArgumentOutOfRangeException>(() => s.NotionalWithin(PositionSide.Long, -0.01));
    }

    [Fact]
    public void Place_finds_clusters_between_containing_and_beyond_a_long_liquidation_price()
    {
        var s = TwoBumps();
        var a = s.Clusters(PositionSide.Long)[0];
        var b = s.Clusters(PositionSide.Long)[1];

        var p = s.Place(PositionSide.Long, 96);
        Assert.Equal([a], p.Between);
        Assert.Null(p.Containing);
        Assert.Same(b, p.Beyond);

        p = s.Place(PositionSide.Long, 95);
        Assert.Equal([a], p.Between);
        Assert.Same(b, p.Containing);
        Assert.Null(p.Beyond);

        p = s.Place(PositionSide.Long, 99);
        Assert.Empty(p.Between);
        Assert.Null(p.Containing);
        Assert.Same(a, p.Beyond);

        p = s.Place(PositionSide.Long, 90);
        Assert.Equal([a, b], p.Between);
        Assert.Null(p.Containing);
        Assert.Null(p.Beyond);
    }

    [Fact]
    public void Place_mirrors_for_a_short_liquidation_price()
    {
        var s = TwoBumps();
        var c = Assert.Single(s.Clusters(PositionSide.Short));

        var p = s.Place(PositionSide.Short, 100.5);
        Assert.Empty(p.Between);
        Assert.Null(p.Containing);
        Assert.Same(c, p.Beyond);

        p = s.Place(PositionSide.Short, 101);
        Assert.Empty(p.Between);
        Assert.Same(c, p.Containing);

        p = s.Place(PositionSide.Short, 105);
        Assert.Equal([c], p.Between);
        Assert.Null(p.Containing);
        Assert.Null(p.Beyond);
    }

    [Fact]
    public void Forced_levels_are_per_bin_ascending_in_distance_and_calibrated()
    {
        var s = TwoBumps();
        var levels = s.Forced(PositionSide.Long).Select(ForcedLevelCheck.Of).ToArray();
        int[] ks = [19, 20, 21, 49, 50, 51, 80];
        double[] usd = [50, 100, 50, 25, 200, 25, 1];
        Assert.Equal(ks.Length, levels.Length);
        for (var i = 0; i < ks.Length; i++)
        {
            Assert.Equal((ks[i] + 0.5) * 0.001, levels[i].Distance, 12);
            Assert.Equal(usd[i] * 0.5, levels[i].NotionalUsd, 9);
            Assert.Equal(1 - LongMid(ks[i]) / P0, levels[i].Distance, 9);
        }
        var up = ForcedLevelCheck.Of(Assert.Single(s.Forced(PositionSide.Short)));
        Assert.Equal(0.0105, up.Distance, 12);
        Assert.Equal(150, up.NotionalUsd, 9);
    }

    [Fact]
    public void A_snapshot_of_a_real_map_reads_its_cohorts_and_ages()
    {
        var map = new ClusterMap(new ClusterMapSettings());
        map.Add(ClusterBars.Flat(0), 1_000);
        map.Add(ClusterBars.Make(1, 100, 100.2, 99.8, 100, 100, 10_000, 60), 1_010); // 600 long, 400 short at 100
        var asOf = ClusterBars.Start.AddMinutes(7.5).AddHours(3);
        var s = map.Snapshot(100, asOf);
        Assert.False(s.Calibrated);
        Assert.Equal("estimate: 5/10/25/50/100x at 15/30/25/20/10%, half-life 7 d, taker split, uncalibrated", s.Parameters);
        Assert.Equal(600, s.Bins.Sum(b => b.LongUsd), 9);
        Assert.Equal(400, s.Bins.Sum(b => b.ShortUsd), 9);
        var levels = s.Forced(PositionSide.Long);
        Assert.Equal(5, levels.Count);
        double[] leverages = [100, 50, 25, 10, 5];
        for (var i = 0; i < 5; i++)
        {
            var u = 1 - ClusterMap.CohortLiquidationPrice(PositionSide.Long, 100, leverages[i], 0.004) / 100;
            Assert.InRange(levels[i].Distance, u - 0.0005 - 1e-12, u + 0.0005 + 1e-12);
        }
        Assert.All(s.Clusters(PositionSide.Long), c => Assert.Equal(3, c.MedianAgeHours, 9));
        Assert.NotEmpty(s.Clusters(PositionSide.Long));
        Assert.Equal(600, s.NotionalWithin(PositionSide.Long, 0.3), 9);
        Assert.Throws<ArgumentOutOfRangeException>(() => map.Snapshot(double.NaN, asOf));
    }

    /// <summary>ForcedLevel with tolerance-friendly fields (it is a record struct already; this keeps asserts short).</summary>
    private readonly record struct ForcedLevelCheck(double Distance, double NotionalUsd)
    {
        public static ForcedLevelCheck Of(Core.Cascade.ForcedLevel level) => new(level.Distance, level.NotionalUsd);
    }
}
