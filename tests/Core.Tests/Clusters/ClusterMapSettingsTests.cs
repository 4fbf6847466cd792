using PerpGuard.Core.Clusters;

namespace PerpGuard.Core.Tests.Clusters;

public class ClusterMapSettingsTests
{
    [Fact]
    public void Defaults_are_valid_and_match_the_spec()
    {
        var s = new ClusterMapSettings();
        Assert.Null(s.Validate());
        Assert.Equal([5.0, 10, 25, 50, 100], s.Mix.Select(b => b.Leverage));
        Assert.Equal([0.15, 0.30, 0.25, 0.20, 0.10], s.Mix.Select(b => b.Weight));
        Assert.Equal(TimeSpan.FromDays(7), s.HalfLife);
        Assert.Equal(0, s.ConsumeTolerance);
        Assert.Equal(1, s.DoubleCountFactor);
        Assert.Equal(CloseRule.Proportional, s.Close);
        Assert.Equal(LongShareSource.Taker, s.LongShare);
        Assert.Equal(1, s.Shrink);
        Assert.Equal(0.001, s.BinPct);
        Assert.Equal(0.30, s.RangePct);
        Assert.Equal(1, s.Calibration);
        Assert.Equal(0.004, s.DefaultMaintenanceRate);
        Assert.Null((s with { Mix = ClusterMapSettings.HighLeverageOnly }).Validate());
    }

    [Fact]
    public void Describe_gives_one_line_for_labels()
    {
        Assert.Equal("estimate: 5/10/25/50/100x at 15/30/25/20/10%, half-life 7 d, taker split, uncalibrated",
            new ClusterMapSettings().Describe());
        var other = new ClusterMapSettings
        {
            Mix = ClusterMapSettings.HighLeverageOnly, HalfLife = TimeSpan.FromHours(12), LongShare = LongShareSource.Candle,
            Close = CloseRule.ProfitFirst, Calibration = 0.35,
        };
        Assert.Equal("estimate: 25/50/100x at 40/35/25%, half-life 12 h, candle split, profit-first closes, calibrated φ 0.35", other.Describe());
    }

    public static TheoryData<string, ClusterMapSettings> Bad() => new()
    {
        { "Mix", new ClusterMapSettings { Mix = [new(10, 0.5), new(20, 0.4)] } },
        { "Mix", new ClusterMapSettings { Mix = [] } },
        { "Mix[0]", new ClusterMapSettings { Mix = [new(1, 1)] } },
        { "Mix[1]", new ClusterMapSettings { Mix = [new(10, 0.5), new(double.NaN, 0.5)] } },
        { "Mix[0]", new ClusterMapSettings { Mix = [new(10, -0.5), new(20, 1.5)] } },
        { "HalfLife", new ClusterMapSettings { HalfLife = TimeSpan.Zero } },
        { "HalfLife", new ClusterMapSettings { HalfLife = TimeSpan.FromHours(-1) } },
        { "ConsumeTolerance", new ClusterMapSettings { ConsumeTolerance = -0.01 } },
        { "DoubleCountFactor", new ClusterMapSettings { DoubleCountFactor = double.NaN } },
        { "Shrink", new ClusterMapSettings { Shrink = 1.5 } },
        { "BinPct", new ClusterMapSettings { BinPct = 0 } },
        { "RangePct", new ClusterMapSettings { RangePct = 1 } },
        { "Calibration", new ClusterMapSettings { Calibration = 0 } },
        { "DefaultMaintenanceRate", new ClusterMapSettings { DefaultMaintenanceRate = 1 } },
        { "Close", new ClusterMapSettings { Close = (CloseRule)7 } },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void Validate_names_the_bad_setting(string name, ClusterMapSettings settings)
    {
        var message = settings.Validate();
        Assert.NotNull(message);
        Assert.StartsWith(name, message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
        var error = Assert.Throws<ArgumentException>(() => new ClusterMap(settings));
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }
}
