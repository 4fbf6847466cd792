using BenchmarkDotNet.Attributes;
using PerpGuard.Core.Cascade;
using PerpGuard.Core.Market;
using PerpGuard.Core.Venues;

namespace PerpGuard.Benchmarks;

/// <summary>
/// Scoring one side of a realistic map: 600 forced levels (0.05% bins out to 30%) of background notional with ten
/// clusters on top, over a fitted power-law book and over a 1,000-level order book (BTC-like, 0.1 ticks around
/// 97,000, so the book itself reaches ~0.1% and the rest is its power-law tail). One iteration is one
/// <see cref="CascadeRisk.Score"/> plus <see cref="CascadeSimulator.MinimumShock"/> for every cluster, as the
/// bot would do for a map refresh.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class CascadeBenchmarks
{
    private static readonly double[] ClusterDistances = [0.004, 0.009, 0.015, 0.022, 0.03, 0.041, 0.055, 0.07, 0.09, 0.12];
    private readonly CascadeSettings _stressed = new() { Survival = CascadeSettings.StressSurvival };
    private ForcedLevel[] _forced = [];
    private PowerLawDepth _powerLaw = null!;
    private BookDepth _book = null!;

    /// <summary>Depth source.</summary>
    [Params("PowerLaw", "Book1000")]
    public string Depth { get; set; } = "";

    /// <summary>Builds the map and both depth curves.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(5);
        _forced = new ForcedLevel[600];
        for (var i = 0; i < _forced.Length; i++)
        {
            var u = (i + 1) * 0.0005;
            var usd = random.NextDouble() * 0.2e6;
            foreach (var c in ClusterDistances) usd += 4e6 * Math.Exp(-Math.Pow((u - c) / 0.001, 2) / 2);
            _forced[i] = new ForcedLevel(u, usd);
        }
        _powerLaw = PowerLawDepth.FromReference(30e6, PowerLawDepth.MedianKappa, trustedReach: 0.05);
        var bids = new BookLevel[1000];
        var asks = new BookLevel[1000];
        for (var i = 0; i < 1000; i++)
        {
            bids[i] = new BookLevel(97000 - i * 0.1, random.Next(1, 200) / 1000.0);
            asks[i] = new BookLevel(97000.1 + i * 0.1, random.Next(1, 200) / 1000.0);
        }
        _book = BookDepth.FromBook(new OrderBook(DateTimeOffset.UnixEpoch, bids, asks), PositionSide.Long)!;
    }

    /// <summary>One score plus a bisection per cluster.</summary>
    [Benchmark]
    public double ScoreWithBisectionPerCluster()
    {
        IDepthCurve depth = Depth == "PowerLaw" ? _powerLaw : _book;
        var score = CascadeRisk.Score(depth, _forced, 500e6, minClusterUsd: 2e6);
        var sum = score.TriggerCostUsd;
        foreach (var c in ClusterDistances) sum += CascadeSimulator.MinimumShock(depth, _forced, c, _stressed);
        return sum;
    }
}
