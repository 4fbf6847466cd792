using PerpGuard.Core.Cascade;
using PerpGuard.Core.Venues;

namespace PerpGuard.Core.Tests.Cascade;

/// <summary>Bad inputs throw <see cref="ArgumentOutOfRangeException"/> naming the parameter.</summary>
public class CascadeValidationTests
{
    [Theory]
    [InlineData(0.0, "Survival")]
    [InlineData(-0.1, "Survival")]
    [InlineData(1.0001, "Survival")]
    [InlineData(double.NaN, "Survival")]
    public void Survival_outside_zero_to_one_is_rejected(double survival, string property)
    {
        var settings = new CascadeSettings { Survival = survival };

        Assert.Contains(property, settings.Validate(), StringComparison.Ordinal);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => CascadeSimulator.Run(Toy.Depth, Toy.Clusters, 1e6, settings));
        Assert.Equal("settings", e.ParamName);
        Assert.Contains(property, e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => CascadeSimulator.MinimumShock(Toy.Depth, Toy.Clusters, 0.01, settings));
    }

    [Fact]
    public void Other_settings_are_checked()
    {
        Assert.Null(new CascadeSettings().Validate());
        Assert.Contains("MarkLag", new CascadeSettings { MarkLag = 1 }.Validate(), StringComparison.Ordinal);
        Assert.Contains("Participation", new CascadeSettings { Participation = -1 }.Validate(), StringComparison.Ordinal);
        Assert.Contains("MaxMove", new CascadeSettings { MaxMove = 0 }.Validate(), StringComparison.Ordinal);
        Assert.Equal([1.0, 0.30, 0.06], CascadeSettings.SurvivalScenarios);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_negative_or_non_finite_shock_is_rejected(double shock)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => CascadeSimulator.Run(Toy.Depth, Toy.Clusters, shock, new CascadeSettings()));
        Assert.Equal("shockUsd", e.ParamName);
    }

    [Theory]
    [InlineData(double.NaN, 1.0)]
    [InlineData(-0.01, 1.0)]
    [InlineData(0.01, -1.0)]
    [InlineData(0.01, double.NaN)]
    public void A_bad_forced_level_is_rejected(double distance, double notional)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => CascadeSimulator.Run(Toy.Depth, [new(distance, notional)], 1, new CascadeSettings()));
        Assert.Equal("forced", e.ParamName);
    }

    [Fact]
    public void Other_entry_points_name_their_parameters()
    {
        Assert.Equal("targetDistance", Assert.Throws<ArgumentOutOfRangeException>(() => CascadeSimulator.MinimumShock(Toy.Depth, [], double.NaN, new CascadeSettings())).ParamName);
        Assert.Equal("stressSurvival", Assert.Throws<ArgumentOutOfRangeException>(() => CascadeRisk.Score(Toy.Depth, [], 1, stressSurvival: 0)).ParamName);
        Assert.Equal("stressSurvival", Assert.Throws<ArgumentOutOfRangeException>(() => CascadeRisk.Score(Toy.Depth, [], 1, stressSurvival: double.NaN)).ParamName);
        Assert.Equal("participation", Assert.Throws<ArgumentOutOfRangeException>(() => CascadeRisk.Score(Toy.Depth, [], 1, participation: -1)).ParamName);
        Assert.Equal("takerVolume1hUsd", Assert.Throws<ArgumentOutOfRangeException>(() => CascadeRisk.Score(Toy.Depth, [], -1)).ParamName);
        Assert.Equal("stressedCoverage", Assert.Throws<ArgumentOutOfRangeException>(() => CascadeRisk.LabelOf(double.NaN)).ParamName);
        Assert.Equal("b", Assert.Throws<ArgumentOutOfRangeException>(() => new PowerLawDepth(-1, 1, 1)).ParamName);
        Assert.Equal("kappa", Assert.Throws<ArgumentOutOfRangeException>(() => new PowerLawDepth(1, double.NaN, 1)).ParamName);
        Assert.Equal("usd", Assert.Throws<ArgumentOutOfRangeException>(() => Toy.Depth.DistanceFor(double.NaN)).ParamName);
        Assert.Equal("u", Assert.Throws<ArgumentOutOfRangeException>(() => Toy.Depth.CumulativeUsd(-0.01)).ParamName);
        Assert.Equal("liquidationPrice", Assert.Throws<ArgumentOutOfRangeException>(() =>
            PositionCascadeAnalysis.Assess(100, PositionSide.Long, 101, Toy.Depth, [], 0.6, 24, double.NaN, new CascadeSettings())).ParamName);
        Assert.Equal("liquidationPrice", Assert.Throws<ArgumentOutOfRangeException>(() =>
            PositionCascadeAnalysis.Assess(100, PositionSide.Short, 99, Toy.Depth, [], 0.6, 24, double.NaN, new CascadeSettings())).ParamName);
        Assert.Equal("stressed", Assert.Throws<ArgumentOutOfRangeException>(() =>
            PositionCascadeAnalysis.Assess(100, PositionSide.Long, 90, Toy.Depth, [], 0.6, 24, double.NaN, new CascadeSettings { Survival = 0 })).ParamName);
        Assert.Equal("annualVolatility", Assert.Throws<ArgumentOutOfRangeException>(() =>
            PositionCascadeAnalysis.Assess(100, PositionSide.Long, 90, Toy.Depth, [], double.NaN, 24, double.NaN, new CascadeSettings())).ParamName);
    }
}
