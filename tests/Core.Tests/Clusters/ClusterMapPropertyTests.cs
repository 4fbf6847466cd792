using PerpGuard.Core.Clusters;
using PerpGuard.Core.Market;
using PerpGuard.Core.Venues;

namespace PerpGuard.Core.Tests.Clusters;

/// <summary>Risk-model §a.7.1 over a seeded 2,000-bar random walk, under several settings.</summary>
public class ClusterMapPropertyTests
{
    private const int Bars = 2_000;

    public static TheoryData<string> Variants() => ["default", "profit-first", "candle", "high-leverage", "tolerance", "short-half-life"];

    private static ClusterMapSettings Settings(string variant) => variant switch
    {
        "default" => new ClusterMapSettings(),
        "profit-first" => new ClusterMapSettings { Close = CloseRule.ProfitFirst },
        "candle" => new ClusterMapSettings { LongShare = LongShareSource.Candle, Shrink = 0.5 },
        "high-leverage" => new ClusterMapSettings { Mix = ClusterMapSettings.HighLeverageOnly, DoubleCountFactor = 0.5 },
        "tolerance" => new ClusterMapSettings { ConsumeTolerance = 0.002, BinPct = 0.0025 },
        "short-half-life" => new ClusterMapSettings { HalfLife = TimeSpan.FromMinutes(30) }, // renormalises the lazy scales
        _ => throw new ArgumentOutOfRangeException(nameof(variant)),
    };

    private static double MapSum(ClusterMap map) =>
        map.Cohorts(PositionSide.Long).Sum(c => c.NotionalUsd) + map.Cohorts(PositionSide.Short).Sum(c => c.NotionalUsd);

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_map_conserves_notional_and_never_goes_negative(string variant)
    {
        var map = new ClusterMap(Settings(variant));
        double opened = 0, consumed = 0, decayed = 0, closed = 0;
        var i = 0;
        foreach (var (bar, oi) in ClusterBars.RandomWalk(Bars, seed: 11))
        {
            var u = map.Add(bar, oi);
            Assert.True(u.OpenedUsd >= 0 && u.ConsumedLongUsd >= 0 && u.ConsumedShortUsd >= 0 && u.DecayedUsd >= 0 && u.ClosedUsd >= 0);
            opened += u.OpenedUsd;
            consumed += u.ConsumedLongUsd + u.ConsumedShortUsd;
            decayed += u.DecayedUsd;
            closed += u.ClosedUsd;
            if (++i % 100 != 0 && i != Bars) continue;
            var sum = MapSum(map);
            var tolerance = 1e-9 * opened;
            Assert.True(Math.Abs(sum - (opened - consumed - decayed - closed)) <= tolerance,
                $"bar {i}: map {sum} vs opened {opened} − consumed {consumed} − decayed {decayed} − closed {closed}");
            Assert.True(Math.Abs(sum - (map.LongUsd + map.ShortUsd)) <= tolerance, $"bar {i}: totals drifted");
            Assert.All(map.Cohorts(PositionSide.Long).Concat(map.Cohorts(PositionSide.Short)), c => Assert.True(c.NotionalUsd >= 0));
            Assert.True(map.LongUsd >= 0 && map.ShortUsd >= 0);
        }
        Assert.True(opened > 0 && consumed > 0 && decayed > 0 && closed > 0, "the walk should exercise every step");
        var snapshot = map.Snapshot(map.LastClose, ClusterBars.Start.AddDays(8));
        Assert.All(snapshot.Bins, b => Assert.True(b.LongUsd >= 0 && b.ShortUsd >= 0));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void After_a_bar_no_long_cohort_sits_at_or_above_its_low_and_no_short_at_or_below_its_high(string variant)
    {
        var settings = Settings(variant);
        var map = new ClusterMap(settings);
        var previousOi = double.NaN;
        var checkedBars = 0;
        foreach (var (bar, oi) in ClusterBars.RandomWalk(Bars, seed: 12))
        {
            map.Add(bar, oi);
            // Cohorts opened by the bar itself are exempt (§a.3), so check bars that opened nothing.
            if (!(oi <= previousOi)) { previousOi = oi; continue; }
            previousOi = oi;
            var tau = settings.ConsumeTolerance;
            Assert.All(map.Cohorts(PositionSide.Long), c => Assert.True(c.LiquidationPrice < bar.Low * (1 - tau)));
            Assert.All(map.Cohorts(PositionSide.Short), c => Assert.True(c.LiquidationPrice > bar.High * (1 + tau)));
            checkedBars++;
        }
        Assert.True(checkedBars > Bars / 4);
    }

    /// <summary>The same bars with more of each bar's volume bought by takers (bars without taker data keep their candle split).</summary>
    private static List<(Bar Bar, double OpenInterestCoins)> MoreLong(List<(Bar Bar, double OpenInterestCoins)> bars) =>
        [.. bars.Select(b => (b.Bar with { TakerBuyVolume = b.Bar.TakerBuyVolume + 0.5 * (b.Bar.Volume - b.Bar.TakerBuyVolume) }, b.OpenInterestCoins))];

    [Theory]
    [InlineData(CloseRule.Proportional)]
    [InlineData(CloseRule.ProfitFirst)]
    public void A_higher_long_share_never_lowers_the_long_total_of_a_bar(CloseRule close)
    {
        var settings = new ClusterMapSettings { Close = close };
        var bars = ClusterBars.RandomWalk(Bars, seed: 13);
        var moreLong = MoreLong(bars);
        var compared = 0;
        for (var t = 100; t < Bars; t += 97)
        {
            // Two maps in the same state; bar t differs only in its taker share.
            var baseline = ClusterMap.Build(settings, null, bars.Take(t));
            var raised = ClusterMap.Build(settings, null, bars.Take(t));
            var a = baseline.Add(bars[t].Bar, bars[t].OpenInterestCoins);
            var b = raised.Add(moreLong[t].Bar, moreLong[t].OpenInterestCoins);
            Assert.True(b.LongShare >= a.LongShare);
            Assert.True(raised.LongUsd >= baseline.LongUsd * (1 - 1e-12), $"bar {t}: {raised.LongUsd} < {baseline.LongUsd}");
            if (b.LongShare > a.LongShare && a.OpenedUsd > 0) compared++;
        }
        Assert.True(compared > 3);
    }

    /// <summary>
    /// Along a whole path the property holds while no cohort is crossed (2x/3x cohorts sit 33–50% away): opens are then
    /// the only difference and both close rules take the same share of each side. Once crossings differ, a map that
    /// lost more longs to consumption is smaller, and the same USD close R takes a bigger share of it, so the long total
    /// can end lower — a property of §a.3 itself, not of this implementation.
    /// </summary>
    [Theory]
    [InlineData(CloseRule.Proportional)]
    [InlineData(CloseRule.ProfitFirst)]
    public void Without_crossings_a_higher_long_share_never_lowers_the_long_total_along_the_path(CloseRule close)
    {
        var settings = new ClusterMapSettings { Close = close, Mix = [new(2, 0.5), new(3, 0.5)] };
        var bars = ClusterBars.RandomWalk(Bars, seed: 13);
        var moreLong = MoreLong(bars);
        var baseline = new ClusterMap(settings);
        var raised = new ClusterMap(settings);
        for (var i = 0; i < bars.Count; i++)
        {
            var a = baseline.Add(bars[i].Bar, bars[i].OpenInterestCoins);
            var b = raised.Add(moreLong[i].Bar, moreLong[i].OpenInterestCoins);
            Assert.Equal(0, a.ConsumedLongUsd + a.ConsumedShortUsd + b.ConsumedLongUsd + b.ConsumedShortUsd);
            Assert.True(raised.LongUsd >= baseline.LongUsd * (1 - 1e-9) - 1e-6, $"{close}, bar {i}: {raised.LongUsd} < {baseline.LongUsd}");
        }
        Assert.True(raised.LongUsd > baseline.LongUsd);
    }

    [Fact]
    public void Build_equals_adding_bar_by_bar()
    {
        var bars = ClusterBars.RandomWalk(500, seed: 14);
        var built = ClusterMap.Build(new ClusterMapSettings(), null, bars);
        var added = new ClusterMap(new ClusterMapSettings());
        foreach (var (bar, oi) in bars) added.Add(bar, oi);
        Assert.Equal(added.LongUsd, built.LongUsd);
        Assert.Equal(added.ShortUsd, built.ShortUsd);
        Assert.Equal(500, built.BarCount);
        Assert.Equal(bars[^1].Bar.OpenTime, built.LastBarTime);
        Assert.Equal(bars[^1].Bar.Close, built.LastClose);
    }

    [Fact]
    public void Thirty_days_of_five_minute_bars_then_one_more_changes_only_what_it_should()
    {
        var bars = ClusterBars.RandomWalk(8_640, seed: 15);
        var map = ClusterMap.Build(new ClusterMapSettings(), null, bars);
        Assert.Equal(8_640, map.BarCount);
        Assert.InRange(map.CohortCount, 50, 5_000);
        var f = Math.Exp(-Math.Log(2) * 300 / TimeSpan.FromDays(7).TotalSeconds);
        var oi = bars[^1].OpenInterestCoins;
        var index = 8_640;

        // A bar that crosses nothing and keeps OI: every cohort decays by exactly one factor, nothing else moves.
        var before = Snapshot(map);
        var topLong = before.Long[^1].LiquidationPrice;
        var bottomShort = before.Short[0].LiquidationPrice;
        Assert.True(topLong < bottomShort);
        var x = (topLong + bottomShort) / 2;
        var quiet = ClusterBars.Make(index++, x, x, x, x, 100, 100 * x, 50);
        var u = map.Add(quiet, oi);
        Assert.Equal((0.0, 0.0, 0.0, 0.0), (u.ConsumedLongUsd, u.ConsumedShortUsd, u.ClosedUsd, u.OpenedUsd));
        var after = Snapshot(map);
        AssertScaled(before.Long, after.Long, f);
        AssertScaled(before.Short, after.Short, f);

        // A bar whose low touches the top long cohort: that cohort goes, the rest decay.
        before = after;
        var touch = ClusterBars.Make(index++, quiet.Close, quiet.Close, before.Long[^1].LiquidationPrice, quiet.Close, 100, double.NaN, 50);
        u = map.Add(touch, oi);
        Assert.Equal(before.Long[^1].NotionalUsd, u.ConsumedLongUsd, 6);
        after = Snapshot(map);
        AssertScaled(before.Long[..^1], after.Long, f);
        AssertScaled(before.Short, after.Short, f);

        // A bar that adds open interest: old cohorts decay, and exactly the ΔOI·VWAP is added on the new bar's levels.
        before = after;
        var open = ClusterBars.Make(index, touch.Close, touch.Close, touch.Close, touch.Close, 100, 100 * touch.Close, 100);
        u = map.Add(open, oi + 10);
        Assert.Equal(10 * touch.Close, u.OpenedUsd, 6);
        Assert.Equal(1, u.LongShare);
        Assert.Equal(before.Long.Sum(c => c.NotionalUsd) * f + 10 * touch.Close, map.LongUsd, 4);
        Assert.Equal(before.Short.Sum(c => c.NotionalUsd) * f, map.ShortUsd, 4);
    }

    private static (CohortView[] Long, CohortView[] Short) Snapshot(ClusterMap map) =>
        ([.. map.Cohorts(PositionSide.Long)], [.. map.Cohorts(PositionSide.Short)]);

    private static void AssertScaled(CohortView[] before, CohortView[] after, double factor)
    {
        Assert.Equal(before.Length, after.Length);
        for (var k = 0; k < before.Length; k++)
        {
            Assert.Equal(before[k].LiquidationPrice, after[k].LiquidationPrice, 9);
            Assert.Equal(before[k].EntryTime, after[k].EntryTime, 6);
            Assert.True(Math.Abs(after[k].NotionalUsd - before[k].NotionalUsd * factor) <= 1e-9 * before[k].NotionalUsd,
                $"cohort {k}: {after[k].NotionalUsd} vs {before[k].NotionalUsd} × {factor}");
        }
    }
}
