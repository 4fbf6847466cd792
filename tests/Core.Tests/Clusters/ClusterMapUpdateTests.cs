using PerpGuard.Core.Clusters;
using PerpGuard.Core.Venues;

namespace PerpGuard.Core.Tests.Clusters;

/// <summary>Risk-model §a.3, step by step on small hand-computed bars.</summary>
public class ClusterMapUpdateTests
{
    private const double M = 0.004;
    private static readonly double[] Leverages = [5, 10, 25, 50, 100];
    private static readonly double[] Weights = [0.15, 0.30, 0.25, 0.20, 0.10];

    /// <summary>Decay of one 5-minute bar at the default 7-day half-life.</summary>
    private static readonly double F = Math.Exp(-Math.Log(2) * 300 / TimeSpan.FromDays(7).TotalSeconds);

    private static double Liq(PositionSide side, double leverage, double entry = 100) =>
        ClusterMap.CohortLiquidationPrice(side, entry, leverage, M);

    /// <summary>
    /// Bar 0 seeds OI 1,000 at 100; bar 1 raises it to 1,010 with VWAP 100 and taker buys 60%:
    /// N = 1,000 USD, 600 long and 400 short over the default mix.
    /// </summary>
    private static (ClusterMap Map, BarUpdate Open) Opened(ClusterMapSettings? settings = null)
    {
        var map = new ClusterMap(settings ?? new ClusterMapSettings());
        map.Add(ClusterBars.Flat(0), 1_000);
        var update = map.Add(ClusterBars.Make(1, 100, 100.2, 99.8, 100, 100, 10_000, 60), 1_010);
        return (map, update);
    }

    private static double[] Notionals(ClusterMap map, PositionSide side) => [.. map.Cohorts(side).Select(c => c.NotionalUsd)];

    [Fact]
    public void The_first_bar_only_seeds_open_interest()
    {
        var map = new ClusterMap(new ClusterMapSettings());
        var update = map.Add(ClusterBars.Flat(0), 50_000);
        Assert.Equal(new BarUpdate(0, 0, 0, 0, 0, 0.5, LongShareSource.Taker), update);
        Assert.Equal(0, map.LongUsd);
        Assert.Equal(0, map.ShortUsd);
        Assert.Equal(1, map.BarCount);
        Assert.Equal(ClusterBars.Start, map.LastBarTime);
        Assert.Equal(100, map.LastClose);
    }

    [Fact]
    public void Opening_splits_new_notional_by_taker_share_and_leverage_weights()
    {
        var (map, update) = Opened();
        Assert.Equal(1_000, update.OpenedUsd, 9);
        Assert.Equal(0.6, update.LongShare, 12);
        Assert.Equal(LongShareSource.Taker, update.ShareSource);
        Assert.Equal(0, update.DecayedUsd);
        Assert.Equal(600, map.LongUsd, 9);
        Assert.Equal(400, map.ShortUsd, 9);

        // Ascending liquidation price: longs 5x (furthest below) … 100x; shorts 100x (nearest above) … 5x.
        var longs = map.Cohorts(PositionSide.Long).ToArray();
        Assert.Equal(5, longs.Length);
        for (var k = 0; k < 5; k++)
        {
            Assert.Equal(Liq(PositionSide.Long, Leverages[k]), longs[k].LiquidationPrice, 12);
            Assert.Equal(600 * Weights[k], longs[k].NotionalUsd, 9);
            Assert.Equal(100, longs[k].EntryPrice, 12);
        }
        var shorts = map.Cohorts(PositionSide.Short).ToArray();
        for (var k = 0; k < 5; k++)
        {
            Assert.Equal(Liq(PositionSide.Short, Leverages[4 - k]), shorts[k].LiquidationPrice, 12);
            Assert.Equal(400 * Weights[4 - k], shorts[k].NotionalUsd, 9);
        }
        Assert.Equal(90.3614, longs[1].LiquidationPrice, 4);
    }

    [Fact]
    public void Entry_price_is_the_vwap_or_the_typical_price_without_quote_volume()
    {
        var map = new ClusterMap(new ClusterMapSettings { Mix = [new(10, 1)] });
        map.Add(ClusterBars.Flat(0), 0);
        map.Add(ClusterBars.Make(1, 100, 103, 97, 102, 100, 10_100, 100), 1); // VWAP 101
        Assert.Equal(101, map.Cohorts(PositionSide.Long).Single().EntryPrice, 12);
        Assert.Equal(101, map.LongUsd, 9);

        var typical = new ClusterMap(new ClusterMapSettings { Mix = [new(10, 1)] });
        typical.Add(ClusterBars.Flat(0), 0);
        typical.Add(ClusterBars.Make(1, 100, 103, 97, 102, 100, double.NaN, 100), 1); // (103 + 97 + 102)/3
        Assert.Equal(302.0 / 3, typical.Cohorts(PositionSide.Long).Single().EntryPrice, 12);
    }

    [Fact]
    public void Without_taker_volume_the_candle_colour_splits_and_the_update_says_so()
    {
        var map = new ClusterMap(new ClusterMapSettings());
        map.Add(ClusterBars.Flat(0), 1_000);
        var up = map.Add(ClusterBars.Make(1, 99.9, 100.2, 99.8, 100, 100, 10_000), 1_010);
        Assert.Equal(LongShareSource.Candle, up.ShareSource);
        Assert.Equal(1, up.LongShare);
        Assert.Equal(1_000, map.LongUsd, 9);
        Assert.Equal(0, map.ShortUsd);

        var down = map.Add(ClusterBars.Make(2, 100.1, 100.2, 99.8, 100, 100, 10_000), 1_020);
        Assert.Equal((LongShareSource.Candle, 0.0), (down.ShareSource, down.LongShare));
        Assert.Equal(1_000, map.ShortUsd, 9);
        var doji = map.Add(ClusterBars.Make(3, 100, 100.2, 99.8, 100, 100, 10_000), 1_020);
        Assert.Equal((LongShareSource.Candle, 0.5), (doji.ShareSource, doji.LongShare));

        var candleSetting = new ClusterMap(new ClusterMapSettings { LongShare = LongShareSource.Candle });
        candleSetting.Add(ClusterBars.Flat(0), 1_000);
        var forced = candleSetting.Add(ClusterBars.Make(1, 99.9, 100.2, 99.8, 100, 100, 10_000, 10), 1_010);
        Assert.Equal((LongShareSource.Candle, 1.0), (forced.ShareSource, forced.LongShare));
    }

    [Fact]
    public void Shrink_pulls_the_long_share_towards_one_half()
    {
        var map = new ClusterMap(new ClusterMapSettings { Shrink = 0.5 });
        map.Add(ClusterBars.Flat(0), 1_000);
        var update = map.Add(ClusterBars.Make(1, 100, 100.2, 99.8, 100, 100, 10_000, 100), 1_010);
        Assert.Equal(0.75, update.LongShare, 12);
        Assert.Equal(750, map.LongUsd, 9);
        Assert.Equal(250, map.ShortUsd, 9);
    }

    [Fact]
    public void A_low_exactly_at_a_liquidation_price_consumes_the_cohort()
    {
        var (map, _) = Opened();
        var liq100 = Liq(PositionSide.Long, 100);

        var above = map.Add(ClusterBars.Make(2, 100, 100.2, liq100 + 1e-9, 100, 100, 10_000, 50), 1_010);
        Assert.Equal(0, above.ConsumedLongUsd);
        Assert.Equal(5, map.Cohorts(PositionSide.Long).Count());

        var touch = map.Add(ClusterBars.Make(3, 100, 100.2, liq100, 100, 100, 10_000, 50), 1_010);
        Assert.Equal(60 * F, touch.ConsumedLongUsd, 9); // consumed before this bar's decay
        Assert.Equal(0, touch.ConsumedShortUsd);
        Assert.All(map.Cohorts(PositionSide.Long), c => Assert.True(c.LiquidationPrice < liq100));
        Assert.Equal(4, map.Cohorts(PositionSide.Long).Count());
        var snapshot = map.Snapshot(100, ClusterBars.Start.AddHours(1));
        Assert.Equal(0, snapshot.NotionalWithin(PositionSide.Long, 1 - liq100 / 100 + 1e-12));
        Assert.All(snapshot.Forced(PositionSide.Long), l => Assert.True(100 * (1 - l.Distance) < liq100));

        // A high through the 100x and 50x short liquidation prices consumes both, nearest first.
        var high = Liq(PositionSide.Short, 50);
        var up = map.Add(ClusterBars.Make(4, 100, high, 99.8, 100, 100, 10_000, 50), 1_010);
        Assert.Equal((40 + 80) * F * F, up.ConsumedShortUsd, 9); // decayed by bars 2 and 3, consumed before bar 4's decay
        Assert.All(map.Cohorts(PositionSide.Short), c => Assert.True(c.LiquidationPrice > high));
    }

    [Fact]
    public void Tolerance_consumes_cohorts_within_tau_of_the_low()
    {
        var liq100 = Liq(PositionSide.Long, 100);
        var nearMiss = ClusterBars.Make(2, 100, 100.2, liq100 + 0.05, 100, 100, 10_000, 50);

        var (strict, _) = Opened();
        Assert.Equal(0, strict.Add(nearMiss, 1_010).ConsumedLongUsd);

        // liqPrice ≥ low·(1 − τ): with τ = 0.1% the threshold drops about 0.0995 below the low.
        var (tolerant, _) = Opened(new ClusterMapSettings { ConsumeTolerance = 0.001 });
        Assert.Equal(60, tolerant.Add(nearMiss, 1_010).ConsumedLongUsd, 9);
    }

    [Fact]
    public void Cohorts_opened_in_a_bar_are_not_consumed_by_that_bar()
    {
        var map = new ClusterMap(new ClusterMapSettings());
        map.Add(ClusterBars.Flat(0), 1_000);
        // Range 95–105 covers the 100x/50x/25x liquidation prices of both sides at entry 100.
        var update = map.Add(ClusterBars.Make(1, 100, 105, 95, 100, 100, 10_000, 50), 1_010);
        Assert.Equal(0, update.ConsumedLongUsd + update.ConsumedShortUsd);
        Assert.Equal(1_000, map.LongUsd + map.ShortUsd, 9);
    }

    [Fact]
    public void Decay_halves_the_map_after_one_half_life_of_bars()
    {
        var (map, _) = Opened();
        var before = Notionals(map, PositionSide.Long).Concat(Notionals(map, PositionSide.Short)).ToArray();
        var decayed = 0.0;
        for (var i = 2; i < 2 + 2016; i++) decayed += map.Add(ClusterBars.Flat(i), 1_010).DecayedUsd; // 7 days of 5-minute bars
        var after = Notionals(map, PositionSide.Long).Concat(Notionals(map, PositionSide.Short)).ToArray();
        Assert.Equal(before.Length, after.Length);
        for (var k = 0; k < before.Length; k++) Assert.Equal(before[k] / 2, after[k], 9);
        Assert.Equal(500, map.LongUsd + map.ShortUsd, 9);
        Assert.Equal(500, decayed, 9);
    }

    [Fact]
    public void Decay_covers_the_time_since_the_previous_bar_when_bars_are_missing()
    {
        var (map, _) = Opened(new ClusterMapSettings { HalfLife = TimeSpan.FromHours(1) });
        map.Add(ClusterBars.Flat(13), 1_010); // previous bar closed at 10 min, this one at 70 min
        Assert.Equal(500, map.LongUsd + map.ShortUsd, 9);
    }

    [Fact]
    public void Falling_open_interest_closes_proportionally_split_by_side_totals()
    {
        var (map, _) = Opened();
        var update = map.Add(ClusterBars.Flat(2), 1_005); // ΔOI −5 at close 100: R = 500
        Assert.Equal(500, update.ClosedUsd, 9);
        Assert.Equal(1_000 * (1 - F), update.DecayedUsd, 9);
        // Long total 600F takes 500·600F/1000F = 300; short takes 200.
        Assert.Equal(600 * F - 300, map.LongUsd, 9);
        Assert.Equal(400 * F - 200, map.ShortUsd, 9);
        var longs = Notionals(map, PositionSide.Long);
        for (var k = 0; k < 5; k++) Assert.Equal(600 * Weights[k] * F * (600 * F - 300) / (600 * F), longs[k], 9);
    }

    [Fact]
    public void Closing_more_than_the_map_holds_empties_it_without_going_negative()
    {
        var (map, _) = Opened();
        var update = map.Add(ClusterBars.Flat(2), 0); // R = 101,000
        Assert.Equal(1_000 * F, update.ClosedUsd, 9);
        Assert.Equal(0, map.LongUsd);
        Assert.Equal(0, map.ShortUsd);
        Assert.Equal(0, map.CohortCount);
        map.Add(ClusterBars.Make(3, 100, 100.2, 99.8, 100, 100, 10_000, 100), 10); // and it refills
        Assert.Equal(1_000, map.LongUsd, 9);
    }

    [Fact]
    public void Consumed_notional_is_not_closed_twice()
    {
        var liq100 = Liq(PositionSide.Long, 100);
        var bar = ClusterBars.Make(2, 100, 100.2, liq100, 100, 100, 10_000, 50);

        var (map, _) = Opened(); // κc = 1
        var update = map.Add(bar, 1_005); // R = 500 − 60 = 440
        Assert.Equal(60, update.ConsumedLongUsd, 9);
        Assert.Equal(440, update.ClosedUsd, 9);

        var (half, _) = Opened(new ClusterMapSettings { DoubleCountFactor = 0.5 });
        Assert.Equal(470, half.Add(bar, 1_005).ClosedUsd, 9);

        var (none, _) = Opened(new ClusterMapSettings { DoubleCountFactor = 0 });
        Assert.Equal(500, none.Add(bar, 1_005).ClosedUsd, 9);

        var (floored, _) = Opened();
        Assert.Equal(0, floored.Add(bar, 1_009.5).ClosedUsd); // R = 50 − 60 < 0
    }

    [Fact]
    public void Profit_first_closes_the_cohorts_furthest_from_liquidation_first()
    {
        var (map, _) = Opened(new ClusterMapSettings { Close = CloseRule.ProfitFirst });
        var update = map.Add(ClusterBars.Flat(2), 1_007.5); // R = 250: 150 long, 100 short
        Assert.Equal(250, update.ClosedUsd, 9);
        var longs = Notionals(map, PositionSide.Long); // 5x, 10x, 25x, 50x, 100x
        Assert.Equal(4, longs.Length); // the 5x cohort (90F) is gone
        Assert.Equal(180 * F - (150 - 90 * F), longs[0], 9);
        Assert.Equal(150 * F, longs[1], 9);
        Assert.Equal(120 * F, longs[2], 9);
        Assert.Equal(60 * F, longs[3], 9);
        var shorts = Notionals(map, PositionSide.Short); // 100x, 50x, 25x, 10x (the 5x, 60F, furthest above, is gone)
        Assert.Equal(4, shorts.Length);
        Assert.Equal(40 * F, shorts[0], 9);
        Assert.Equal(80 * F, shorts[1], 9);
        Assert.Equal(100 * F, shorts[2], 9);
        Assert.Equal(120 * F - (100 - 60 * F), shorts[3], 9);
        Assert.Equal(1_000 * F - 250, map.LongUsd + map.ShortUsd, 9);
    }

    [Fact]
    public void Cohorts_in_the_same_log_bin_merge_with_weighted_means()
    {
        var map = new ClusterMap(new ClusterMapSettings { Mix = [new(10, 1)] });
        map.Add(ClusterBars.Flat(0), 0);
        map.Add(ClusterBars.Make(1, 100, 100.2, 99.8, 100, 100, 10_000, 100), 1);        // 100 USD at entry 100
        map.Add(ClusterBars.Make(2, 100, 100.2, 99.8, 100, 100, 10_002, 100), 4);        // ΔOI 3 at 100.02
        var cohort = Assert.Single(map.Cohorts(PositionSide.Long));
        var a = 100 * F;
        var b = 3 * 100.02;
        Assert.Equal(a + b, cohort.NotionalUsd, 9);
        Assert.Equal((a * Liq(PositionSide.Long, 10) + b * Liq(PositionSide.Long, 10, 100.02)) / (a + b), cohort.LiquidationPrice, 9);
        Assert.Equal((a * 100 + b * 100.02) / (a + b), cohort.EntryPrice, 9);
        var entry = map.EntryMoment(cohort);
        var expected = (a * 150 + b * 450) / (a + b); // bar mids at 7.5 and 12.5 min, counted from the first close (5 min)
        Assert.Equal(expected, (entry - ClusterBars.Start.AddMinutes(5)).TotalSeconds, 6);
    }

    [Fact]
    public void Add_rejects_out_of_order_bars()
    {
        var (map, _) = Opened();
        Assert.Throws<ArgumentException>(() => map.Add(ClusterBars.Flat(1), 1_010));
        Assert.Throws<ArgumentException>(() => map.Add(ClusterBars.Flat(0), 1_010));
        var overlapping = ClusterBars.Flat(2) with { OpenTime = ClusterBars.Start.AddMinutes(9) };
        Assert.Throws<ArgumentException>(() => map.Add(overlapping, 1_010));
        Assert.Equal(2, map.BarCount);
        map.Add(ClusterBars.Flat(2), 1_010);
        Assert.Equal(3, map.BarCount);
    }

    public static TheoryData<string> BadInputs() => ["nan-oi", "negative-oi", "infinite-oi", "forming", "nan-close", "zero-low",
        "high-below-close", "low-above-open", "negative-volume", "nan-volume", "negative-taker", "taker-above-volume", "zero-interval"];

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Add_rejects_non_finite_or_absurd_inputs(string what)
    {
        var (map, _) = Opened();
        var bar = ClusterBars.Flat(2);
        var oi = 1_010.0;
        switch (what)
        {
            case "nan-oi": oi = double.NaN; break;
            case "negative-oi": oi = -1; break;
            case "infinite-oi": oi = double.PositiveInfinity; break;
            case "forming": bar = bar with { Closed = false }; break;
            case "nan-close": bar = bar with { Close = double.NaN }; break;
            case "zero-low": bar = bar with { Low = 0 }; break;
            case "high-below-close": bar = bar with { Close = 100.3 }; break;
            case "low-above-open": bar = bar with { Open = 99.7 }; break;
            case "negative-volume": bar = bar with { Volume = -1 }; break;
            case "nan-volume": bar = bar with { Volume = double.NaN }; break;
            case "negative-taker": bar = bar with { TakerBuyVolume = -1 }; break;
            case "taker-above-volume": bar = bar with { TakerBuyVolume = 101 }; break;
            case "zero-interval": bar = bar with { Interval = TimeSpan.Zero }; break;
            default: throw new ArgumentOutOfRangeException(nameof(what));
        }
        var longUsd = map.LongUsd;
        Assert.ThrowsAny<ArgumentException>(() => map.Add(bar, oi));
        Assert.Equal(longUsd, map.LongUsd);
        Assert.Equal(2, map.BarCount);
    }
}
