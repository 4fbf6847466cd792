using BenchmarkDotNet.Attributes;
using PerpGuard.Core.Clusters;
using PerpGuard.Core.Market;
using PerpGuard.Core.Venues;

namespace PerpGuard.Benchmarks;

/// <summary>
/// The estimated liquidation map (risk-model §a.3) on 30 days of synthetic 5-minute BTC bars with open interest
/// (8,640 bars, seeded GBM around 60k, OI around 80,000 BTC). <c>AddOneBar</c> adds the following week (2,016 bars)
/// to a freshly built 30-day map, reported per bar; target &lt; 50 µs. <c>Snapshot</c> reads the 30-day map
/// (bins, clusters of both sides) at the last close.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class ClusterMapBenchmarks
{
    private const int ThirtyDays = 8_640;
    private const int NextWeek = 2_016;
    private static readonly ClusterMapSettings Settings = new();
    private (Bar Bar, double OpenInterestCoins)[] _history = [];
    private (Bar Bar, double OpenInterestCoins)[] _next = [];
    private ClusterMap _built = null!;
    private ClusterMap _map = null!;

    /// <summary>Generates the bars and one built map for the snapshot benchmark.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var bars = Generate(ThirtyDays + NextWeek, BenchData.Seed);
        _history = bars[..ThirtyDays];
        _next = bars[ThirtyDays..];
        _built = ClusterMap.Build(Settings, null, _history);
        Console.WriteLine($"// 30-day map: {_built.CohortCount} merged cohorts, long {_built.LongUsd:N0} USD, short {_built.ShortUsd:N0} USD");
    }

    /// <summary>A fresh 30-day map for each AddOneBar iteration (not measured).</summary>
    [IterationSetup(Target = nameof(AddOneBar))]
    public void FreshMap() => _map = ClusterMap.Build(Settings, null, _history);

    /// <summary>8,640 bars from empty.</summary>
    [Benchmark]
    public ClusterMap BuildThirtyDays() => ClusterMap.Build(Settings, null, _history);

    /// <summary>One bar on top of a 30-day map (2,016 consecutive bars per invocation).</summary>
    [Benchmark(OperationsPerInvoke = NextWeek)]
    public double AddOneBar()
    {
        var sum = 0.0;
        foreach (var (bar, oi) in _next) sum += _map.Add(bar, oi).OpenedUsd;
        return sum;
    }

    /// <summary>Bins within ±30% at 0.1% and the clusters of both sides, from the 30-day map.</summary>
    [Benchmark]
    public int Snapshot()
    {
        var s = _built.Snapshot(_built.LastClose, _built.LastBarTime!.Value);
        return s.Clusters(PositionSide.Long).Count + s.Clusters(PositionSide.Short).Count;
    }

    /// <summary>GBM closes (σ 0.15% per bar), wicks, log-normal volume, taker share 30–70%, OI around 80,000 BTC.</summary>
    private static (Bar, double)[] Generate(int count, int seed)
    {
        var random = new Random(seed);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var interval = TimeSpan.FromMinutes(5);
        var bars = new (Bar, double)[count];
        var price = 60_000.0;
        var oi = 80_000.0;
        for (var i = 0; i < count; i++)
        {
            var open = price;
            var close = open * Math.Exp(0.0015 * Gaussian(random));
            var high = Math.Max(open, close) * (1 + 0.0007 * Math.Abs(Gaussian(random)));
            var low = Math.Min(open, close) * (1 - 0.0007 * Math.Abs(Gaussian(random)));
            var volume = 500 * Math.Exp(0.5 * Gaussian(random));
            var vwap = Math.Clamp((open + high + low + close) / 4, low, high);
            oi = Math.Max(1_000, oi * Math.Exp(0.002 * Gaussian(random)) + 0.01 * (80_000 - oi));
            bars[i] = (new Bar
            {
                OpenTime = start + i * interval, Interval = interval, Open = open, High = high, Low = low, Close = close,
                Volume = volume, QuoteVolume = volume * vwap, TakerBuyVolume = volume * (0.3 + 0.4 * random.NextDouble()),
            }, oi);
            price = close;
        }
        return bars;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
