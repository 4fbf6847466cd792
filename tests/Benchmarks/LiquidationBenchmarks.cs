using BenchmarkDotNet.Attributes;
using PerpGuard.Core.Liquidation;
using PerpGuard.Core.Venues;

namespace PerpGuard.Benchmarks;

/// <summary>
/// Isolated liquidation prices of 1,024 Binance USDⓈ-M BTCUSDT positions (longs and shorts, 2–100x, notionals
/// 1k–50M across five brackets). Target: ≥ 20 million per second per core, i.e. ≤ 50 ns per operation.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class IsolatedLiquidation
{
    private PositionTerms[] _table = [];
    private PositionTerms[] _fixed = [];

    /// <summary>Builds the positions.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Console.WriteLine($"// tier catalog: {BenchData.CatalogDescription}");
        var random = new Random(BenchData.Seed);
        var brackets = BenchData.BinanceBtc;
        var fixedBracket = MaintenanceSchedule.Fixed(0.004, 0, 150);
        _table = new PositionTerms[BenchData.BatchSize];
        _fixed = new PositionTerms[BenchData.BatchSize];
        for (var i = 0; i < _table.Length; i++)
        {
            var (side, quantity, entry, leverage) = BenchData.BtcPosition(random, brackets);
            _table[i] = PositionTerms.Create(Venue.Binance, ContractType.Linear, MarginMode.Isolated, side, quantity, entry, leverage, brackets);
            _fixed[i] = PositionTerms.Create(Venue.Binance, ContractType.Linear, MarginMode.Isolated, side, quantity, entry, leverage, fixedBracket);
        }
    }

    /// <summary>Brackets from the built-in Binance BTCUSDT table (bracket chosen at the liquidation price).</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = BenchData.BatchSize)]
    public double BinanceBtcTable() => Sum(_table);

    /// <summary>One explicit bracket (mmr 0.4%, no amount): the closed form without the bracket search.</summary>
    [Benchmark(OperationsPerInvoke = BenchData.BatchSize)]
    public double FixedBracket() => Sum(_fixed);

    internal static double Sum(PositionTerms[] terms)
    {
        var sum = 0.0;
        foreach (ref readonly var t in terms.AsSpan()) sum += LiquidationEngine.LiquidationPrice(t).RawValue;
        return sum;
    }
}

/// <summary>
/// Cross-margin liquidation prices of 1,024 Binance BTCUSDT positions with other symbols' maintenance and PnL
/// (TMM1/UPNL1) as constants; a variant adds one opposite hedge-mode leg of the same symbol.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class CrossLiquidation
{
    private PositionTerms[] _cross = [];
    private PositionTerms[] _hedged = [];

    /// <summary>Builds the positions.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(BenchData.Seed + 1);
        var brackets = BenchData.BinanceBtc;
        _cross = new PositionTerms[BenchData.BatchSize];
        _hedged = new PositionTerms[BenchData.BatchSize];
        for (var i = 0; i < _cross.Length; i++)
        {
            var (side, quantity, entry, leverage) = BenchData.BtcPosition(random, brackets);
            var wallet = quantity * entry / leverage * BenchData.Uniform(random, 1.2, 4);
            var otherMaintenance = wallet * BenchData.Uniform(random, 0, 0.1);
            var otherPnl = wallet * BenchData.Uniform(random, -0.2, 0.2);
            _cross[i] = PositionTerms.Create(Venue.Binance, ContractType.Linear, MarginMode.Cross, side, quantity, entry, leverage,
                brackets, wallet, takerFee: 0.0005, otherMaintenance: otherMaintenance, otherUnrealizedPnl: otherPnl);
            var leg = new HedgeLeg(side == PositionSide.Long ? PositionSide.Short : PositionSide.Long,
                Math.Round(quantity * BenchData.Uniform(random, 0.2, 0.7), 3) + 0.001, Math.Round(entry * BenchData.Uniform(random, 0.97, 1.03), 1));
            _hedged[i] = PositionTerms.Create(Venue.Binance, ContractType.Linear, MarginMode.Cross, side, quantity, entry, leverage,
                brackets, wallet, takerFee: 0.0005, otherMaintenance: otherMaintenance, otherUnrealizedPnl: otherPnl, hedgeLegs: [leg]);
        }
    }

    /// <summary>One-way mode: wallet + UPNL1 − TMM1 as collateral.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = BenchData.BatchSize)]
    public double Cross() => IsolatedLiquidation.Sum(_cross);

    /// <summary>Hedge mode: one opposite leg, brackets iterated to a fixed point.</summary>
    [Benchmark(OperationsPerInvoke = BenchData.BatchSize)]
    public double CrossWithHedgeLeg() => IsolatedLiquidation.Sum(_hedged);
}
