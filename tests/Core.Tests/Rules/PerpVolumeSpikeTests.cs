using PerpGuard.Core.Market;
using PerpGuard.Core.Rules;
using static PerpGuard.Core.Tests.Rules.RuleSeries;

namespace PerpGuard.Core.Tests.Rules;

/// <summary>
/// R5 fixtures: perp volume z 4.2, spot volume z 0.3 (or 2.5), ratio 11 against a 30-day median of 5. The series are
/// built so the robust statistics come out exactly: at the tested hour of day the 14 baseline days alternate
/// 100 ∓ d (perp) and 18/22 (spot), so the medians are 100 and 20 and the MADs d and 2; every other hour is
/// perp 100, spot 20 (ratio 5).
/// </summary>
public class PerpVolumeSpikeTests
{
    private static readonly RuleDefinition R5 = RuleDefinition.Default(RuleKind.PerpVolumeSpike);
    private const int Last = 30 * 24; // 721 hourly bars: 30 days of history before the tested hour

    private static (RuleInputs Inputs, DateTimeOffset Now) Fixture(double zPerp, double zSpot, double ratio, int hours = Last + 1, bool spot = true)
    {
        var spotNow = 20 + zSpot * 1.4826 * 2;
        var perpNow = ratio * spotNow;
        var d = (perpNow - 100) / (zPerp * 1.4826);
        var last = hours - 1;
        var perpBars = new List<Bar>();
        var spotBars = new List<Bar>();
        for (var i = 0; i < hours; i++)
        {
            double p = 100, s = 20;
            var daysBack = (last - i) / 24;
            if (i == last)
            {
                p = perpNow;
                s = spotNow;
            }
            else if ((last - i) % 24 == 0 && daysBack <= 14)
            {
                p = daysBack % 2 == 0 ? 100 - d : 100 + d;
                s = daysBack % 2 == 0 ? 18 : 22;
            }
            perpBars.Add(Hour(i, 100, volume: p));
            spotBars.Add(Hour(i, 100, volume: s));
        }
        return (new RuleInputs { Perp = perpBars, Spot = spot ? spotBars : null }, End(last));
    }

    [Fact]
    public void Fires_on_perp_z_4_2_spot_z_0_3_and_ratio_11_against_a_median_of_5()
    {
        var (inputs, now) = Fixture(4.2, 0.3, 11);
        var result = Eval(R5, inputs, now);

        Assert.Equal(4.2, result.Value("perp volume z"), 9);
        Assert.Equal(0.3, result.Value("spot volume z"), 9);
        Assert.Equal(11, result.Value("perp/spot ratio"), 9);
        Assert.Equal(5, result.Value("30-day median ratio"), 12);
        Assert.True(result.Fired);
        Assert.Equal(0.9, result.Severity, 9); // (4.2 − 3)/3 + 0.5
        Assert.Empty(result.Missing);
    }

    [Fact]
    public void Does_not_fire_when_spot_volume_z_is_2_5()
    {
        var (inputs, now) = Fixture(4.2, 2.5, 11);
        var result = Eval(R5, inputs, now);

        Assert.Equal(4.2, result.Value("perp volume z"), 9);
        Assert.Equal(2.5, result.Value("spot volume z"), 9);
        Assert.True(result.Evaluable);
        Assert.False(result.Fired);
    }

    [Fact]
    public void The_statistics_match_the_predicate_overload()
    {
        var (inputs, now) = Fixture(4.2, 0.3, 11);
        var stats = InvalidationRules.VolumeStats(inputs, now, out var reason);

        Assert.Null(reason);
        Assert.NotNull(stats);
        Assert.Equal(4.2, stats.Value.ZPerp, 9);
        Assert.Equal(0.3, stats.Value.ZSpot, 9);
        Assert.Equal(11, stats.Value.Ratio, 9);
        Assert.Equal(5, stats.Value.RatioMedian, 12);
    }

    [Theory]
    [InlineData(4.2, 0.3, 11, 5, true, 0.9)]
    [InlineData(4.2, 2.5, 11, 5, false, 0)]
    [InlineData(2.9, 0.3, 11, 5, false, 0)]
    [InlineData(4.2, 0.3, 9.9, 5, false, 0)]
    [InlineData(7.0, 0.3, 10, 5, true, 1)]
    public void The_predicate_on_given_statistics(double zPerp, double zSpot, double ratio, double median, bool fired, double severity)
    {
        var result = InvalidationRules.PerpVolumeSpike(R5, new VolumeSpikeStats(zPerp, zSpot, ratio, median));

        Assert.Equal(fired, result.Fired);
        Assert.Equal(severity, result.Severity, 9);
    }

    [Fact]
    public void Less_than_14_days_of_history_is_not_evaluable()
    {
        var (inputs, now) = Fixture(4.2, 0.3, 11, hours: 10 * 24);
        var result = Eval(R5, inputs, now);

        Assert.False(result.Evaluable);
        Assert.False(result.Fired);
        Assert.Contains(result.Missing, m => m.Contains("needs 14", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_spot_bars_it_is_not_evaluable_and_says_why()
    {
        var (inputs, now) = Fixture(4.2, 0.3, 11, spot: false);
        var result = Eval(R5, inputs, now);

        Assert.False(result.Evaluable);
        Assert.Contains(result.Missing, m => m.StartsWith("no spot bars", StringComparison.Ordinal));
    }

    [Fact]
    public void Five_minute_bars_are_resampled_to_hours()
    {
        // The same fixture as 5-minute bars (each hour split in 12 equal parts) gives the same statistics.
        var (hourly, now) = Fixture(4.2, 0.3, 11);
        static List<Bar> Split(IReadOnlyList<Bar> bars) =>
        [
            .. bars.SelectMany(b => Enumerable.Range(0, 12).Select(k =>
                At(b.OpenTime.AddMinutes(5 * k), TimeSpan.FromMinutes(5), b.Close, volume: b.Volume / 12))),
        ];
        var inputs = new RuleInputs { Perp = Split(hourly.Perp), Spot = Split(hourly.Spot!) };
        var result = Eval(R5, inputs, now);

        Assert.True(result.Fired);
        Assert.Equal(4.2, result.Value("perp volume z"), 9);
    }
}
