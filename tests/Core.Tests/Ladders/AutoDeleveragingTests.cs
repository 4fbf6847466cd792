using PerpGuard.Core.Liquidation;
using PerpGuard.Core.Ladders;
using PerpGuard.Core.Venues;

namespace PerpGuard.Core.Tests.Ladders;

public class AutoDeleveragingTests
{
    private static PositionTerms TenXLong() => PositionTerms.Create(Venue.Binance, ContractType.Linear, MarginMode.Isolated,
        PositionSide.Long, 1, 10_000, 10, MaintenanceSchedule.Fixed(0.004, 0));

    [Fact]
    public void A_10x_long_up_20_percent_ranks_by_pnl_share_times_effective_leverage()
    {
        // Margin 1,000; at 12,000: uPnL 2,000 ⇒ share 2 (200 %); effective leverage 12,000/(1,000 + 2,000) = 4; score 8 ≥ 4.
        var adl = AutoDeleveraging.Estimate(TenXLong(), 12_000);

        Assert.True(adl.Profitable);
        Assert.Equal(2_000, adl.UnrealizedPnl, 1e-9);
        Assert.Equal(2, adl.PnlShare, 1e-12);
        Assert.Equal(4, adl.EffectiveLeverage, 1e-12);
        Assert.Equal(8, adl.Score, 1e-12);
        Assert.Equal(5, adl.Quantile);
    }

    [Fact]
    public void A_losing_position_is_not_in_the_queue()
    {
        // At 9,500: uPnL −500 ⇒ share −0.5; effective leverage 9,500/500 = 19; no score, no light.
        var adl = AutoDeleveraging.Estimate(TenXLong(), 9_500);

        Assert.False(adl.Profitable);
        Assert.Equal(-0.5, adl.PnlShare, 1e-12);
        Assert.Equal(19, adl.EffectiveLeverage, 1e-12);
        Assert.Equal(0, adl.Score);
        Assert.Equal(0, adl.Quantile);
    }

    [Theory]
    // share = 10·x, leverage = 10·(1 + x)/(1 + 10·x) for a 10x long x in the money.
    [InlineData(10_010, 0.01 * 10_010 / 1_010, 1)]  // 0.0991
    [InlineData(10_100, 0.1 * 10_100 / 1_100, 2)]   // 0.918
    [InlineData(10_200, 0.2 * 10_200 / 1_200, 3)]   // 1.7
    [InlineData(10_600, 0.6 * 10_600 / 1_600, 4)]   // 3.975
    [InlineData(10_700, 0.7 * 10_700 / 1_700, 5)]   // 4.406
    public void Lights_follow_the_documented_thresholds(double mark, double score, int light)
    {
        var adl = AutoDeleveraging.Estimate(TenXLong(), mark);

        Assert.Equal(score, adl.Score, 1e-12);
        Assert.Equal(light, adl.Quantile);
    }

    [Fact]
    public void Score_and_light_grow_with_profit()
    {
        var estimates = Enumerable.Range(1, 300).Select(i => AutoDeleveraging.Estimate(TenXLong(), 10_000 + 10 * i)).ToList();

        for (var i = 1; i < estimates.Count; i++)
        {
            Assert.True(estimates[i].Score > estimates[i - 1].Score, $"mark {10_000 + 10 * (i + 1)}");
            Assert.True(estimates[i].Quantile >= estimates[i - 1].Quantile);
        }
        Assert.Equal([1, 2, 3, 4, 5], estimates.Select(e => e.Quantile).Distinct());
    }

    [Fact]
    public void An_inverse_short_in_profit_is_scored_in_coin()
    {
        // 1,000 × 100 USD @ 50,000, 5x ⇒ notional 2 BTC, margin 0.4 BTC. At 40,000: uPnL = 100,000·(1/40,000 − 1/50,000)
        // = 0.5 BTC; share 1.25; notional 2.5 BTC / (0.4 + 0.5) = 2.7778; score 3.4722 ⇒ light 4.
        var terms = PositionTerms.Create(Venue.Binance, ContractType.Inverse, MarginMode.Isolated, PositionSide.Short, 1_000, 50_000, 5,
            MaintenanceSchedule.Fixed(0.005, 0), contractSize: 100);

        var adl = AutoDeleveraging.Estimate(terms, 40_000);

        Assert.Equal(0.5, adl.UnrealizedPnl, 1e-12);
        Assert.Equal(1.25, adl.PnlShare, 1e-12);
        Assert.Equal(2.5 / 0.9, adl.EffectiveLeverage, 1e-12);
        Assert.Equal(1.25 * 2.5 / 0.9, adl.Score, 1e-12);
        Assert.Equal(4, adl.Quantile);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_mark_that_is_not_a_price_is_rejected(double mark) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => AutoDeleveraging.Estimate(TenXLong(), mark));
}
