using PerpGuard.Core.Liquidation;
using PerpGuard.Core.Portfolio;
using PerpGuard.Core.Probability;
using PerpGuard.Core.Venues;
using Book = PerpGuard.Core.Portfolio.Portfolio;

namespace PerpGuard.Core.Tests.Portfolio;

public class PortfolioMonteCarloTests
{
    /// <summary>Long 1 @ 100 with margin 5 and no maintenance: liquidated (and bankrupt) at exactly 95.</summary>
    private static PortfolioPosition LongTo95(string id, string asset, MarginMode mode = MarginMode.Isolated) =>
        new(id, asset, PositionTerms.Create(Venue.Binance, ContractType.Linear, mode, PositionSide.Long, 1, 100, 20,
            MaintenanceSchedule.Fixed(0, 0), collateral: 5), 100);

    private static MarketModel OneAsset(double vol = 0.6) => new(["BTC"], [vol], new double[,] { { 1 } });

    [Fact]
    public void Generator_reproduces_the_reference_xoshiro256_starstar_and_splitmix64_outputs()
    {
        var rng = new Xoshiro256(1, 2, 3, 4);
        Assert.Equal([11520UL, 0UL, 1509978240UL, 1215971899390074240UL], new[] { rng.Next(), rng.Next(), rng.Next(), rng.Next() });
        var x = 0UL;
        Assert.Equal(0xE220A8397B1DCDAFUL, Xoshiro256.SplitMix64(ref x));
    }

    [Fact]
    public void Normal_increments_converge_to_the_closed_form_with_the_one_minute_monitoring_correction()
    {
        // S0 = 100, L = 95, σ = 60%, 24 h: continuous closed form 0.105066 (§d.4). Checking once a minute misses
        // touches between checks; the BGK correction with a 1-minute bar gives the discrete reference 0.10182 (the
        // §d.4 cross-check's 4,000-path figure 0.1035 ± 0.005 agrees).
        var settings = new MonteCarloSettings { Increments = Increments.Normal, Seed = 7 };

        var result = PortfolioMonteCarlo.Run(new Book([LongTo95("a", "BTC")], 0), OneAsset(), settings);

        var reference = HitProbability.Discrete(100, 95, 0.6, HitProbability.Years(24), HitProbability.Years(1.0 / 60));
        Assert.InRange(reference, 0.1018, 0.1019);
        Assert.True(Math.Abs(result.PerPosition[0] - reference) <= 3 * result.PerPositionStdErr[0],
            $"MC {result.PerPosition[0]:F5} ± {result.PerPositionStdErr[0]:F5} vs {reference:F5}");
        Assert.Equal(result.PerPosition[0], result.AnyLiquidation);
        Assert.Equal(0, result.AccountLiquidation);
        Assert.Equal(20_000, result.Paths);
    }

    [Fact]
    public void A_lone_cross_position_is_the_account_and_converges_the_same_way()
    {
        // Cross wallet 5 behind the same long: equity 5 + (S − 100) = 0 at S = 95, as the isolated case.
        var settings = new MonteCarloSettings { Increments = Increments.Normal, Seed = 11 };

        var result = PortfolioMonteCarlo.Run(new Book([LongTo95("a", "BTC", MarginMode.Cross)], 5), OneAsset(), settings);

        var reference = HitProbability.Discrete(100, 95, 0.6, HitProbability.Years(24), HitProbability.Years(1.0 / 60));
        Assert.True(Math.Abs(result.AccountLiquidation - reference) <= 3 * result.AccountLiquidationStdErr,
            $"MC {result.AccountLiquidation:F5} ± {result.AccountLiquidationStdErr:F5} vs {reference:F5}");
        Assert.Equal(result.AccountLiquidation, result.PerPosition[0]);
    }

    [Fact]
    public void A_short_and_a_long_on_one_asset_use_the_upper_and_lower_barriers()
    {
        // Short 1 @ 100 with margin 5, no maintenance: liquidated at 105. Beside the long liquidated at 95, on the same
        // asset: each converges to its own discrete reference, and "any" is nearly their sum (a day rarely spans both).
        var shortTo105 = new PortfolioPosition("s", "BTC", PositionTerms.Create(Venue.Binance, ContractType.Linear, MarginMode.Isolated,
            PositionSide.Short, 1, 100, 20, MaintenanceSchedule.Fixed(0, 0), collateral: 5), 100);
        var settings = new MonteCarloSettings { Increments = Increments.Normal, Seed = 3 };

        var result = PortfolioMonteCarlo.Run(new Book([LongTo95("l", "BTC"), shortTo105], 0), OneAsset(), settings);

        var years = HitProbability.Years(24);
        var bar = HitProbability.Years(1.0 / 60);
        var up = HitProbability.Discrete(100, 105, 0.6, years, bar);
        var down = HitProbability.Discrete(100, 95, 0.6, years, bar);
        Assert.True(Math.Abs(result.PerPosition[1] - up) <= 3 * result.PerPositionStdErr[1], $"short {result.PerPosition[1]:F5} vs {up:F5}");
        Assert.True(Math.Abs(result.PerPosition[0] - down) <= 3 * result.PerPositionStdErr[0], $"long {result.PerPosition[0]:F5} vs {down:F5}");
        Assert.InRange(result.AnyLiquidation, 0.97 * (result.PerPosition[0] + result.PerPosition[1]), result.PerPosition[0] + result.PerPosition[1]);
    }

    [Fact]
    public void Student_t_increments_with_unit_variance_stay_near_the_gaussian_answer_over_a_day()
    {
        // 1,440 t(4) steps of the same variance sum to nearly Gaussian (kurtosis falls as 1/n), so the day's hit
        // probability moves little: within 0.01 of the Gaussian reference, and not identical to the Normal run.
        var settings = new MonteCarloSettings { Increments = Increments.StudentT, DegreesOfFreedom = 4, Seed = 7 };

        var t = PortfolioMonteCarlo.Run(new Book([LongTo95("a", "BTC")], 0), OneAsset(), settings);

        var reference = HitProbability.Discrete(100, 95, 0.6, HitProbability.Years(24), HitProbability.Years(1.0 / 60));
        Assert.InRange(t.PerPosition[0], reference - 0.01, reference + 0.01);
    }

    [Fact]
    public void Same_seed_gives_the_same_result_and_another_seed_a_different_one_whatever_the_threads()
    {
        var book = new Book([LongTo95("a", "BTC"), LongTo95("b", "ETH", MarginMode.Cross)], 5);
        var model = new MarketModel(["BTC", "ETH"], [0.6, 0.8], new double[,] { { 1, 0.7 }, { 0.7, 1 } });
        var settings = new MonteCarloSettings { Paths = 3_000, HorizonHours = 6, Seed = 42 };

        var first = PortfolioMonteCarlo.Run(book, model, settings);
        var again = PortfolioMonteCarlo.Run(book, model, settings);
        var threaded = PortfolioMonteCarlo.Run(book, model, settings with { Parallelism = 3 });
        var other = PortfolioMonteCarlo.Run(book, model, settings with { Seed = 43 });

        Assert.Equal(Flatten(first), Flatten(again));
        Assert.Equal(Flatten(first), Flatten(threaded));
        Assert.NotEqual(Flatten(first), Flatten(other));
    }

    private static double[] Flatten(MonteCarloResult r) =>
        [r.AnyLiquidation, r.AccountLiquidation, .. r.PerPosition, .. r.PerPositionStdErr];

    /// <summary>Synthetic 1-minute history: ±0.08% with ±0.4% minutes now and then (1.2%): about 3.4% a day.</summary>
    private static double[] SyntheticReturns(int length)
    {
        var rng = new Xoshiro256(99);
        var r = new double[length];
        for (var t = 0; t < length; t++)
        {
            var u = rng.Next();
            var size = (u & 0xFF) < 3 ? 0.004 : 0.0008;
            r[t] = (u >> 63) == 0 ? size : -size;
        }
        return r;
    }

    [Fact]
    public void Bootstrap_keeps_perfectly_correlated_assets_liquidating_together()
    {
        var a = SyntheticReturns(10_000);
        var model = MarketModel.FromHistory(["A", "B"], [a, (double[])a.Clone()], TimeSpan.FromMinutes(1));
        var settings = new MonteCarloSettings { Increments = Increments.Bootstrap, Paths = 4_000 };

        var result = PortfolioMonteCarlo.Run(new Book([LongTo95("a", "A"), LongTo95("b", "B")], 0), model, settings);

        Assert.InRange(result.PerPosition[0], 0.05, 0.95);
        Assert.Equal(result.PerPosition[0], result.PerPosition[1]);
        Assert.Equal(result.PerPosition[0], result.AnyLiquidation);
        Assert.Equal(1, model.Correlation[0, 1], 12);
    }

    [Fact]
    public void Bootstrap_keeps_opposite_assets_apart()
    {
        // B's history is −A's: a long on each is liquidated on opposite paths, so "any" is nearly the sum.
        var a = SyntheticReturns(10_000);
        var model = MarketModel.FromHistory(["A", "B"], [a, a.Select(r => -r).ToArray()], TimeSpan.FromMinutes(1));
        var settings = new MonteCarloSettings { Increments = Increments.Bootstrap, Paths = 4_000 };

        var result = PortfolioMonteCarlo.Run(new Book([LongTo95("a", "A"), LongTo95("b", "B")], 0), model, settings);

        Assert.Equal(-1, model.Correlation[0, 1], 12);
        Assert.True(result.AnyLiquidation > 0.95 * (result.PerPosition[0] + result.PerPosition[1]),
            $"any {result.AnyLiquidation} vs {result.PerPosition[0]} + {result.PerPosition[1]}");
    }

    [Fact]
    public void From_history_annualizes_the_sample_volatility()
    {
        // ±0.1% alternating: sample sd = 0.001·sqrt(n/(n − 1)); annualized by sqrt(525,600) for 1-minute steps.
        var r = Enumerable.Range(0, 1_000).Select(t => t % 2 == 0 ? 0.001 : -0.001).ToArray();

        var model = MarketModel.FromHistory(["A"], [r], TimeSpan.FromMinutes(1));

        Assert.Equal(0.001 * Math.Sqrt(1000.0 / 999) * Math.Sqrt(525_600), model.Volatility[0], 12);
    }

    [Fact]
    public void Bootstrap_with_a_step_other_than_the_history_is_rejected()
    {
        var model = MarketModel.FromHistory(["BTC"], [SyntheticReturns(100)], TimeSpan.FromMinutes(5));

        Assert.Throws<ArgumentException>(() => PortfolioMonteCarlo.Run(new Book([LongTo95("a", "BTC")], 0), model,
            new MonteCarloSettings { Increments = Increments.Bootstrap, StepMinutes = 1 }));
    }

    [Fact]
    public void A_position_on_an_asset_missing_from_the_model_is_named()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            PortfolioMonteCarlo.Run(new Book([LongTo95("doge-1", "DOGE")], 0), OneAsset(), new MonteCarloSettings { Paths = 10 }));

        Assert.Contains("'doge-1'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Table_variates_have_unit_variance_and_the_right_tail(bool studentT)
    {
        // One million draws: variance 1 within 1%; P(|z| > 3) is 0.0026998 (normal) or 2·P(T4 > 3·sqrt(2)) for t(4)
        // scaled to unit variance.
        var table = studentT
            ? IncrementTable.Create(v => Quantiles.StudentUpperQuantile(v, 4) * Math.Sqrt(0.5))
            : IncrementTable.Create(v => -Quantiles.InverseNormal(v));
        var rng = new Xoshiro256(5);
        const int n = 1_000_000;
        double sum = 0, sumSq = 0;
        var beyond = 0;
        for (var i = 0; i < n; i++)
        {
            var z = table.Sample(rng.Next());
            sum += z;
            sumSq += z * z;
            if (Math.Abs(z) > 3) beyond++;
        }

        var tail = studentT ? 2 * Quantiles.StudentUpperTail(3 * Math.Sqrt(2), 4) : 2 * Normal.Cdf(-3);
        Assert.InRange(sum / n, -0.005, 0.005);
        Assert.InRange(sumSq / n, studentT ? 0.97 : 0.99, studentT ? 1.03 : 1.01);
        Assert.InRange((double)beyond / n, tail * 0.9, tail * 1.1);
    }
}
