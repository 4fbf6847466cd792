using BenchmarkDotNet.Attributes;
using PerpGuard.Core.Liquidation;
using PerpGuard.Core.Portfolio;
using PerpGuard.Core.Venues;
using Book = PerpGuard.Core.Portfolio.Portfolio;
using MonteCarlo = PerpGuard.Core.Portfolio.PortfolioMonteCarlo;

namespace PerpGuard.Benchmarks;

/// <summary>
/// A 10-position book on 5 assets (BTC, ETH, SOL, XRP, DOGE): one isolated and one cross position per asset, longs and
/// shorts, 5–32x; Binance tiers for BTC/ETH/SOL, fixed brackets for the rest; one cross wallet.
/// </summary>
internal static class PortfolioBench
{
    public static readonly string[] Assets = ["BTC", "ETH", "SOL", "XRP", "DOGE"];
    public static readonly double[] Marks = [100_000, 4_000, 200, 2.5, 0.2];
    public static readonly double[] Volatility = [0.5, 0.65, 0.8, 0.8, 0.9];
    public static readonly double[] BetaToBtc = [1, 1.2, 1.5, 1.3, 1.6];

    public static Book Portfolio()
    {
        var positions = new List<PortfolioPosition>();
        for (var i = 0; i < 10; i++)
        {
            var a = i % 5;
            var mode = i < 5 ? MarginMode.Isolated : MarginMode.Cross;
            var side = i % 3 == 2 ? PositionSide.Short : PositionSide.Long;
            var schedule = a < 3 ? BenchData.Table(Venue.Binance, Assets[a] + "USDT") : MaintenanceSchedule.Fixed(0.01, 0);
            var entry = Marks[a] * (1 + 0.01 * (i - 5));
            var terms = PositionTerms.Create(Venue.Binance, ContractType.Linear, mode, side, 20_000 / entry, entry, 5 + 3 * i, schedule);
            positions.Add(new PortfolioPosition("p" + i, Assets[a], terms, Marks[a]) { Beta = BetaToBtc[a] });
        }
        return new Book(positions, CrossWallet: 6_000);
    }

    /// <summary>Correlation 0.7 between every pair.</summary>
    public static double[,] Correlation()
    {
        var c = new double[5, 5];
        for (var i = 0; i < 5; i++) for (var j = 0; j < 5; j++) c[i, j] = i == j ? 1 : 0.7;
        return c;
    }

    /// <summary>30 days of 1-minute log-returns: a common and an own fat-tailed (t(3)-like) factor per asset, at each asset's volatility.</summary>
    public static double[][] History()
    {
        var random = new Random(BenchData.Seed + 11);
        const int minutes = 30 * 24 * 60;
        var history = new double[5][];
        for (var a = 0; a < 5; a++) history[a] = new double[minutes];
        double Fat() { var n = random.NextDouble() - 0.5; var chi = 0.3 + random.NextDouble(); return n / chi; }
        for (var t = 0; t < minutes; t++)
        {
            var common = Fat();
            for (var a = 0; a < 5; a++) history[a][t] = Volatility[a] / Math.Sqrt(525_600) * (0.84 * common + 0.55 * Fat());
        }
        return history;
    }
}

/// <summary>
/// <see cref="MonteCarlo.Run"/> on the 10-position book: 20,000 paths × 1,440 one-minute steps (24 h), one thread.
/// Target: under 1 s.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class PortfolioMonteCarlo
{
    private Book _book = null!;
    private MarketModel _model = null!;
    private MonteCarloSettings _settings = null!;

    /// <summary>How increments are drawn.</summary>
    [Params(Increments.StudentT, Increments.Bootstrap)]
    public Increments Increments { get; set; }

    /// <summary>Builds the book, the model (with history for the bootstrap) and the settings.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _book = PortfolioBench.Portfolio();
        _model = Increments == Increments.Bootstrap
            ? MarketModel.FromHistory(PortfolioBench.Assets, PortfolioBench.History(), TimeSpan.FromMinutes(1))
            : new MarketModel(PortfolioBench.Assets, PortfolioBench.Volatility, PortfolioBench.Correlation());
        _settings = new MonteCarloSettings { Increments = Increments };
    }

    /// <summary>One full run.</summary>
    [Benchmark]
    public double Run() => MonteCarlo.Run(_book, _model, _settings).AnyLiquidation;
}

/// <summary><see cref="PortfolioStress.Grid"/>: the 10-position book under 100 BTC moves from −50% to +49% (kill moves searched in each).</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class PortfolioStressGrid
{
    private Book _book = null!;
    private Scenario[] _scenarios = [];

    /// <summary>Builds the book and the shocks.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _book = PortfolioBench.Portfolio();
        _scenarios = Enumerable.Range(0, 100).Select(i => (Scenario)new BtcMove(-0.5 + 0.01 * i)).ToArray();
    }

    /// <summary>All 100 scenarios.</summary>
    [Benchmark]
    public double Grid()
    {
        var total = 0.0;
        foreach (var r in PortfolioStress.Grid(_book, _scenarios)) total += r.TotalLoss;
        return total;
    }
}
