using BenchmarkDotNet.Attributes;
using PerpGuard.Core.Funding;
using PerpGuard.Core.Liquidation;
using Hit = PerpGuard.Core.Probability.HitProbability;
using PerpGuard.Core.Venues;

namespace PerpGuard.Benchmarks;

/// <summary><c>FundingCalculator.Project</c> on 1,024 isolated Binance BTCUSDT positions (8 h and 1 h intervals).</summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class FundingCost
{
    private PositionTerms[] _terms = [];
    private double[] _price = [];
    private double[] _rate = [];
    private double[] _interval = [];
    private double[] _horizon = [];

    /// <summary>Builds the positions and funding inputs.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(BenchData.Seed + 2);
        var brackets = BenchData.BinanceBtc;
        var n = BenchData.BatchSize;
        (_terms, _price, _rate, _interval, _horizon) = (new PositionTerms[n], new double[n], new double[n], new double[n], new double[n]);
        for (var i = 0; i < n; i++)
        {
            var (side, quantity, entry, leverage) = BenchData.BtcPosition(random, brackets);
            _terms[i] = PositionTerms.Create(Venue.Binance, ContractType.Linear, MarginMode.Isolated, side, quantity, entry, leverage, brackets);
            _price[i] = entry * BenchData.Uniform(random, 0.97, 1.03);
            _rate[i] = BenchData.Uniform(random, -0.0003, 0.0006);
            _interval[i] = random.Next(4) == 0 ? 1 : 8;
            _horizon[i] = random.Next(1, 169);
        }
    }

    /// <summary>Projects funding over the horizon for each position.</summary>
    [Benchmark(OperationsPerInvoke = BenchData.BatchSize)]
    public double Project()
    {
        var sum = 0.0;
        var terms = _terms;
        for (var i = 0; i < terms.Length; i++)
            sum += FundingCalculator.Project(terms[i], _price[i], _rate[i], _interval[i], _horizon[i]).OverHorizon;
        return sum;
    }
}

/// <summary><c>HitProbability.Continuous</c> on 1,024 (spot, barrier, volatility, horizon) tuples, barriers on both sides.</summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class HitProbability
{
    private double[] _spot = [];
    private double[] _barrier = [];
    private double[] _volatility = [];
    private double[] _years = [];

    /// <summary>Builds the tuples.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(BenchData.Seed + 3);
        var n = BenchData.BatchSize;
        (_spot, _barrier, _volatility, _years) = (new double[n], new double[n], new double[n], new double[n]);
        for (var i = 0; i < n; i++)
        {
            _spot[i] = BenchData.Uniform(random, 60_000, 110_000);
            _barrier[i] = _spot[i] * (random.Next(2) == 0 ? BenchData.Uniform(random, 0.5, 0.995) : BenchData.Uniform(random, 1.005, 1.5));
            _volatility[i] = BenchData.Uniform(random, 0.3, 1.5);
            _years[i] = Hit.Years(random.Next(1, 721));
        }
    }

    /// <summary>Continuous-monitoring touch probability for each tuple.</summary>
    [Benchmark(OperationsPerInvoke = BenchData.BatchSize)]
    public double Continuous()
    {
        var sum = 0.0;
        var spot = _spot;
        for (var i = 0; i < spot.Length; i++)
            sum += Hit.Continuous(spot[i], _barrier[i], _volatility[i], _years[i]);
        return sum;
    }
}
