using PerpGuard.Core.Cascade;
using PerpGuard.Core.Portfolio;
using PerpGuard.Core.Probability;

namespace PerpGuard.Core.Tests.Portfolio;

public class BetasTests
{
    [Fact]
    public void Slope_of_an_exact_linear_relation_is_recovered_and_gaps_are_skipped()
    {
        // asset = 0.001 + 1.5·btc exactly, with one NaN in each series at different places: 12 − 2 = 10 samples.
        double[] btc = [0.01, -0.02, 0.005, 0.03, -0.01, 0.0, 0.015, double.NaN, -0.025, 0.02, 0.012, -0.004];
        var asset = btc.Select(r => 0.001 + 1.5 * r).ToArray();
        asset[3] = double.NaN;

        var (beta, samples) = Betas.Estimate(btc, asset);

        Assert.Equal(1.5, beta, 12);
        Assert.Equal(10, samples);
    }

    [Fact]
    public void Too_little_history_gives_beta_one_with_the_count()
    {
        double[] btc = [0.01, -0.02, 0.03];
        double[] asset = [0.03, -0.06, 0.09];

        Assert.Equal((1.0, 3), Betas.Estimate(btc, asset));
    }

    [Fact]
    public void Hand_computed_covariance_over_variance()
    {
        // x = 1..10 (mean 5.5, Σdx² = 82.5); y = x² (mean 38.5): Σdx·dy = Σ x³ − 10·5.5·38.5 = 3,025 − 2,117.5 = 907.5 ⇒ 11.
        var x = Enumerable.Range(1, 10).Select(i => (double)i).ToArray();
        var y = x.Select(v => v * v).ToArray();

        Assert.Equal(11, Betas.Estimate(x, y).Beta, 12);
    }
}

public class QuantileTests
{
    [Theory]
    [InlineData(0.975, 1.959963984540054)]
    [InlineData(0.99, 2.326347874040841)]
    [InlineData(0.999, 3.090232306167814)]
    [InlineData(0.5, 0.0)]
    [InlineData(0.01, -2.326347874040841)]
    public void Inverse_normal_matches_tabulated_quantiles(double p, double z)
    {
        Assert.Equal(z, Quantiles.InverseNormal(p), 12);
    }

    [Theory]
    [InlineData(1e-100)]
    [InlineData(1e-19)]
    [InlineData(1e-10)]
    [InlineData(0.02)]
    public void Inverse_normal_round_trips_through_the_cdf_in_the_tail(double p)
    {
        Assert.Equal(1, Normal.Cdf(Quantiles.InverseNormal(p)) / p, 10);
    }

    [Theory]
    [InlineData(0.025, 4.0, 2.776445105197793)]
    [InlineData(0.025, 3.0, 3.182446305284263)]
    [InlineData(0.005, 4.0, 4.604094871415897)]
    public void Student_t_quantiles_match_tables(double tail, double nu, double t)
    {
        Assert.Equal(t, Quantiles.StudentUpperQuantile(tail, nu), 9);
    }

    [Theory]
    [InlineData(0.25)]
    [InlineData(1e-6)]
    [InlineData(1e-12)]
    [InlineData(1e-18)]
    public void Student_t_with_four_degrees_matches_its_closed_form_deep_in_the_tail(double tail)
    {
        // ν = 4: F⁻¹(p) = 2·sqrt(q − 1), q = cos(arccos(√α)/3)/√α, α = 4p(1 − p) (Shaw 2006).
        var alpha = 4 * tail * (1 - tail);
        var q = Math.Cos(Math.Acos(Math.Sqrt(alpha)) / 3) / Math.Sqrt(alpha);
        var exact = 2 * Math.Sqrt(q - 1);

        Assert.Equal(1, Quantiles.StudentUpperQuantile(tail, 4) / exact, 9);
    }
}

public class LiquidityRiskTests
{
    /// <summary>Linear cumulative depth: $100M per unit of distance ($1M per 1%), so DistanceFor(usd) = usd / 1e8.</summary>
    private sealed class LinearDepth : IDepthCurve
    {
        public double TrustedReach => double.PositiveInfinity;
        public double CumulativeUsd(double u) => 1e8 * u;
        public double DistanceFor(double usd) => Math.Max(0, usd) / 1e8;
    }

    [Fact]
    public void Parts_match_the_hand_computation()
    {
        // N = 1M, σ = 60%, 24 h, 99%: VaR = 2.326348·0.6·sqrt(1/365)·1M = 73,060.6.
        // COL = ½·1M·(0.0002 + 3·0.0001) = 250. Slippage = ∫₀ᴺ q/(1e8·W) dq = N²/(2e8·W) = 5,000 at W = 1.
        var l = LiquidityRisk.Compute(1e6, 0.6, 24, 0.99, 0.0002, 0.0001, new LinearDepth(), 1);

        Assert.Equal(2.326347874040841 * 0.6 * Math.Sqrt(1 / 365.0) * 1e6, l.VaR, 6);
        Assert.Equal(250, l.SpreadCost, 9);
        Assert.Equal(5_000, l.Slippage, 6);
        Assert.Equal(l.VaR + 250 + 5_000, l.Total, 6);
    }

    [Fact]
    public void A_thinner_book_costs_more_in_proportion()
    {
        var full = LiquidityRisk.Compute(1e6, 0.6, 24, 0.99, 0.0002, 0.0001, new LinearDepth(), 1);
        var stressed = LiquidityRisk.Compute(1e6, 0.6, 24, 0.99, 0.0002, 0.0001, new LinearDepth(), 0.3);

        // N²/(2e8·0.3) = 16,666.67.
        Assert.Equal(16_666.666666666667, stressed.Slippage, 6);
        Assert.True(stressed.Total > full.Total);
        Assert.Equal(full.VaR, stressed.VaR);
    }

    [Fact]
    public void Survival_outside_zero_to_one_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LiquidityRisk.Compute(1e6, 0.6, 24, 0.99, 0, 0, new LinearDepth(), 0));
    }
}
