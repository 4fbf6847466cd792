using PerpGuard.Core.Clusters;
using PerpGuard.Core.Margin;
using PerpGuard.Core.Venues;

namespace PerpGuard.Core.Tests.Clusters;

/// <summary>Risk-model §a.4: the approximate liquidation price of an anonymous cohort.</summary>
public class CohortLiquidationPriceTests
{
    [Fact]
    public void Long_10x_at_100_with_m_0_4_percent_liquidates_at_90_3614()
    {
        Assert.Equal(90.3614, ClusterMap.CohortLiquidationPrice(PositionSide.Long, 100, 10, 0.004), 4);
    }

    [Fact]
    public void Short_10x_at_100_with_m_0_4_percent_is_the_mirror()
    {
        // 100 · 1.1 / 1.004
        Assert.Equal(109.5618, ClusterMap.CohortLiquidationPrice(PositionSide.Short, 100, 10, 0.004), 4);
    }

    [Fact]
    public void A_bucket_with_one_over_leverage_at_or_below_m_cannot_exist()
    {
        Assert.True(double.IsNaN(ClusterMap.CohortLiquidationPrice(PositionSide.Long, 100, 125, 0.008)));
        Assert.True(double.IsNaN(ClusterMap.CohortLiquidationPrice(PositionSide.Short, 100, 125, 0.008)));
        Assert.True(double.IsNaN(ClusterMap.CohortLiquidationPrice(PositionSide.Long, 100, 100, 0.01)));
    }

    [Fact]
    public void The_map_drops_125x_at_m_0_8_percent_and_keeps_the_rest()
    {
        var settings = new ClusterMapSettings { Mix = [new(125, 0.5), new(10, 0.5)], DefaultMaintenanceRate = 0.008 };
        var map = new ClusterMap(settings);
        map.Add(ClusterBars.Make(0, 100, 100, 100, 100), 0);
        var update = map.Add(ClusterBars.Make(1, 100, 100, 100, 100, 100, 10_000, 100), 10); // N = 1,000, all long
        Assert.Equal(500, update.OpenedUsd, 9);
        var cohort = Assert.Single(map.Cohorts(PositionSide.Long));
        Assert.Equal(100 * 0.9 / 0.992, cohort.LiquidationPrice, 12);
        Assert.Equal(500, cohort.NotionalUsd, 9);
        Assert.Empty(map.Cohorts(PositionSide.Short));
    }

    [Fact]
    public void A_notional_tier_table_sets_m_by_cohort_size()
    {
        var table = new TierTable(Venue.Binance, ContractType.Linear, "TESTUSDT", "TEST", "USDT", TierBasis.Notional, null, 0.01,
            new DateOnly(2026, 1, 1), "test", [new MarginTier(0, 1_000, 0.004, 0, 125), new MarginTier(1_000, 1e12, 0.02, 16, 25)]);
        var map = new ClusterMap(new ClusterMapSettings { Mix = [new(10, 0.5), new(100, 0.5)] }, table);
        Assert.Equal(0.004, map.MaintenanceRate(999, 100));
        Assert.Equal(0.02, map.MaintenanceRate(1_000, 100));
        map.Add(ClusterBars.Make(0, 100, 100, 100, 100), 0);
        map.Add(ClusterBars.Make(1, 100, 100, 100, 100, 100, 10_000, 100), 40); // N = 4,000 long: 2,000 per bucket → m = 2%
        var cohort = Assert.Single(map.Cohorts(PositionSide.Long)); // 100x has 1/L = 1% ≤ 2%: dropped
        Assert.Equal(100 * 0.9 / 0.98, cohort.LiquidationPrice, 12);
    }
}
