using PerpGuard.Core.Probability;

namespace PerpGuard.Core.Tests;

/// <summary>docs/risk-model.md §d.4: the closed form must reproduce the table to 1e-6.</summary>
public class HitProbabilityTests
{
    [Theory]
    [InlineData(100.0, 90.0, 0.60, 24.0, 0.0, 0.000837)]
    [InlineData(100.0, 90.0, 0.60, 7 * 24.0, 0.0, 0.215758)]
    [InlineData(100.0, 95.0, 0.60, 24.0, 0.0, 0.105066)]
    [InlineData(100.0, 98.0, 0.60, 24.0, 0.0, 0.525292)]
    [InlineData(100.0, 110.0, 0.60, 7 * 24.0, 0.0, 0.239542)]
    [InlineData(100.0, 99.0, 0.50, 1.0, 0.0, 0.060230)]
    [InlineData(100.0, 80.0, 0.80, 30 * 24.0, 0.0, 0.368359)]
    [InlineData(60_000.0, 55_000.0, 0.50, 3 * 24.0, 0.0, 0.057350)]
    [InlineData(100.0, 90.0, 0.60, 7 * 24.0, 0.5, 0.186177)]
    [InlineData(100.0, 90.0, 0.60, 7 * 24.0, -0.5, 0.248039)]
    public void Continuous_monitoring_reproduces_the_d4_table(double spot, double barrier, double vol, double hours, double drift, double expected)
    {
        var p = HitProbability.Continuous(spot, barrier, vol, HitProbability.Years(hours), drift);

        Assert.True(Math.Abs(p - expected) <= 1e-6, $"expected {expected}, got {p:F8}");
    }

    [Fact]
    public void One_hour_candle_correction_reproduces_the_d4_row()
    {
        var p = HitProbability.Discrete(100, 95, 0.60, HitProbability.Years(24), barYears: HitProbability.Years(1));

        Assert.True(Math.Abs(p - 0.081959) <= 1e-6, $"got {p:F8}");
    }

    [Fact]
    public void Discrete_monitoring_is_below_continuous()
    {
        var continuous = HitProbability.Continuous(100, 95, 0.6, HitProbability.Years(24));
        var discrete = HitProbability.Discrete(100, 95, 0.6, HitProbability.Years(24), HitProbability.Years(1));

        Assert.True(discrete < continuous);
    }

    [Fact]
    public void With_no_drift_it_is_twice_the_chance_of_ending_beyond_the_barrier_reflection_principle()
    {
        // ν = 0 needs μ = σ²/2.
        const double vol = 0.6, years = 7.0 / 365;
        var p = HitProbability.Continuous(100, 90, vol, years, drift: vol * vol / 2);

        Assert.Equal(2 * Normal.Cdf(Math.Log(0.9) / (vol * Math.Sqrt(years))), p, 12);
    }

    [Fact]
    public void At_the_barrier_the_probability_is_one()
    {
        Assert.Equal(1, HitProbability.Continuous(100, 100, 0.6, 0.01));
    }

    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(1.0, 0.841344746068543)]
    [InlineData(-1.96, 0.0249978951482204)]
    [InlineData(-5.0, 2.86651571879194E-07)]
    [InlineData(-8.0, 6.22096057427178E-16)]
    [InlineData(3.0, 0.998650101968370)]
    public void Normal_cdf_is_accurate_to_double_precision(double x, double expected)
    {
        Assert.True(Math.Abs(Normal.Cdf(x) - expected) <= 1e-14 + 1e-12 * expected, $"Φ({x}) = {Normal.Cdf(x):R}");
    }

    [Theory]
    [InlineData(0.0, 90.0, 0.6, 0.01)]
    [InlineData(100.0, -1.0, 0.6, 0.01)]
    [InlineData(100.0, 90.0, 0.0, 0.01)]
    [InlineData(100.0, 90.0, 0.6, double.NaN)]
    [InlineData(100.0, 90.0, double.PositiveInfinity, 0.01)]
    public void Invalid_inputs_are_programmer_errors(double spot, double barrier, double vol, double years)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => HitProbability.Continuous(spot, barrier, vol, years));
    }
}
