using PerpGuard.Core.Market;
using PerpGuard.Core.Rules;
using static PerpGuard.Core.Tests.Rules.RuleSeries;

namespace PerpGuard.Core.Tests.Rules;

/// <summary>R3 fixtures: S = 100, threshold 99.75 for two 1-hour closes, 99 for one 15-minute close.</summary>
public class SupportLostTests
{
    private static readonly RuleDefinition R3 = RuleDefinition.Support(100);

    private static (RuleInputs Inputs, DateTimeOffset Now) Hourly(params double[] lastCloses)
    {
        var bars = new List<Bar>();
        for (var i = 0; i < 48; i++) bars.Add(Hour(i, 101));
        foreach (var c in lastCloses) bars.Add(Hour(bars.Count, c));
        return (new RuleInputs { Perp = bars }, End(bars.Count - 1));
    }

    [Fact]
    public void Fires_on_two_hourly_closes_below_the_buffer()
    {
        var (inputs, now) = Hourly(99.7, 99.6);
        var result = Eval(R3, inputs, now);

        Assert.True(result.Fired);
        Assert.Equal(99.75, result.Value("threshold S(1-sBuf)"), 12);
        Assert.Equal(99.6, result.Value("1 h close"), 12);
        Assert.Equal(99.7, result.Value("previous 1 h close"), 12);
        Assert.Equal(0.4 / 3, result.Severity, 9); // (100 − 99.6)/(100·0.03)
        Assert.Empty(result.Missing);
    }

    [Fact]
    public void Does_not_fire_when_only_one_close_is_below_the_buffer()
    {
        var (inputs, now) = Hourly(99.8, 99.7);
        var result = Eval(R3, inputs, now);

        Assert.True(result.Evaluable);
        Assert.False(result.Fired);
        Assert.Equal(0, result.Severity);
    }

    [Fact]
    public void Fires_on_a_single_15_minute_close_of_98_9()
    {
        // 5-minute bars: two days at 101, then a last hour whose second quarter closes at 98.9 and the hour at 100.2.
        var start = T0;
        var bars = new List<Bar>();
        for (var i = 0; i < 48 * 12; i++) bars.Add(At(start.AddMinutes(5 * i), TimeSpan.FromMinutes(5), 101));
        double[] lastHour = [100.5, 100.4, 100.2, 100.0, 99.5, 98.9, 99.6, 100.0, 100.1, 100.2, 100.2, 100.2];
        foreach (var c in lastHour) bars.Add(At(start.AddMinutes(5 * bars.Count), TimeSpan.FromMinutes(5), c));
        var now = bars[^1].CloseTime;

        var result = Eval(R3, new RuleInputs { Perp = bars }, now);

        Assert.True(result.Fired);
        Assert.Equal(100.2, result.Value("1 h close"), 12);
        Assert.Equal(98.9, result.Value("lowest 15 m close in the last hour"), 12);
        Assert.Equal(1.1 / 3, result.Severity, 9); // (100 − 98.9)/3
    }

    [Fact]
    public void A_5_minute_low_that_is_not_a_15_minute_close_does_not_fire_the_fast_path()
    {
        var bars = new List<Bar>();
        for (var i = 0; i < 48 * 12; i++) bars.Add(At(T0.AddMinutes(5 * i), TimeSpan.FromMinutes(5), 101));
        double[] lastHour = [100.5, 98.5, 100.2, 100.0, 100.0, 100.0, 100.0, 100.0, 100.1, 100.2, 100.2, 100.2];
        foreach (var c in lastHour) bars.Add(At(T0.AddMinutes(5 * bars.Count), TimeSpan.FromMinutes(5), c));

        var result = Eval(R3, new RuleInputs { Perp = bars }, bars[^1].CloseTime);

        Assert.False(result.Fired);
        Assert.Equal(100, result.Value("lowest 15 m close in the last hour"), 12);
    }

    [Fact]
    public void An_hourly_close_above_the_buffer_re_arms()
    {
        var (inputs, now) = Hourly(99.7, 100.3);
        var result = Eval(R3, inputs, now);

        Assert.False(result.Fired);
        Assert.True(result.Rearm); // 100.3 > 100.25
    }

    [Fact]
    public void Without_a_level_the_latest_7_day_swing_low_is_used_and_named()
    {
        // V at bar 40 (low 95), then flat at 101 and two closes under 95.
        var bars = new List<Bar>();
        for (var i = 0; i < 60; i++)
        {
            var low = i == 40 ? 95 : i is 39 or 41 ? 97 : 100;
            bars.Add(Hour(i, 101, low: low));
        }
        bars.Add(Hour(60, 94.5));
        bars.Add(Hour(61, 94.4));
        var now = End(61);

        Assert.Equal(95, SupportLevels.SwingLow(bars, now));
        var result = Eval(RuleDefinition.Default(RuleKind.SupportLost), new RuleInputs { Perp = bars }, now);

        Assert.True(result.Fired);
        Assert.Equal(95, result.Value("S"));
        Assert.Contains(result.Missing, m => m == "no level given: using the latest 7-day swing low 95");
    }

    [Fact]
    public void Swing_low_ignores_lows_older_than_7_days_and_needs_two_bars_each_side()
    {
        var bars = new List<Bar>();
        for (var i = 0; i < 24 * 9; i++) bars.Add(Hour(i, 101, low: i == 10 ? 90 : i == 24 * 9 - 2 ? 92 : 100));
        var now = End(bars.Count - 1);

        Assert.Null(SupportLevels.SwingLow(bars, now)); // bar 10 is 8.5 days old; the last dip has one bar after it
    }

    [Fact]
    public void Stale_bars_make_the_rule_not_evaluable()
    {
        var (inputs, now) = Hourly(99.7, 99.6);
        var result = Eval(R3, inputs, now.AddHours(5));

        Assert.False(result.Evaluable);
        Assert.False(result.Fired);
    }
}
