using BenchmarkDotNet.Attributes;
using PerpGuard.Core.Market;
using PerpGuard.Core.Rules;

namespace PerpGuard.Benchmarks;

/// <summary>
/// The invalidation rules R1–R5 (risk-model §e) for 200 symbols at one <c>now</c>. Each symbol has 30 days of
/// 5-minute perp and spot bars (with taker volume), 5-minute open interest and premium samples and 8-hourly funding
/// (seeded random walks, built once). <see cref="AllRulesFor200Symbols"/> reuses each symbol's
/// <see cref="RuleInputs"/>, so the hourly resamplings are cached after the first call (the steady state of an
/// hourly evaluation over a snapshot); <see cref="AllRulesFor200SymbolsColdCache"/> wraps the same lists in new
/// inputs every call, so it also pays the resampling of 2 × 8,640 bars and 8,640 premium samples per symbol.
/// Target: under 20 ms for the warm case.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class RuleEvaluation
{
    private const int Symbols = 200;
    private const int Days = 30;
    private const int BarsPerDay = 288;
    private static readonly DateTimeOffset Start = new(2025, 9, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = Start.AddDays(Days);
    private static readonly TimeSpan Five = TimeSpan.FromMinutes(5);

    private RuleInputs[] _inputs = [];
    private RuleDefinition[][] _rules = [];

    /// <summary>Builds the 200 symbols' series and rules, and evaluates once so the warm case starts warm.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(BenchData.Seed + 40);
        _inputs = new RuleInputs[Symbols];
        _rules = new RuleDefinition[Symbols][];
        for (var s = 0; s < Symbols; s++)
        {
            var n = Days * BarsPerDay;
            var perp = new Bar[n];
            var spot = new Bar[n];
            var oi = new OpenInterestPoint[n];
            var premium = new PremiumPoint[n];
            var price = 10 + random.NextDouble() * 50_000;
            var coinsOi = 1e6 / price * (1 + random.NextDouble() * 100);
            var basePremium = (random.NextDouble() - 0.3) * 0.001;
            for (var i = 0; i < n; i++)
            {
                var open = price;
                price *= Math.Exp((random.NextDouble() - 0.5) * 0.004);
                var high = Math.Max(open, price) * (1 + random.NextDouble() * 0.001);
                var low = Math.Min(open, price) * (1 - random.NextDouble() * 0.001);
                var t = Start + i * Five;
                var perpVolume = 1e5 / price * (0.5 + random.NextDouble());
                var spotVolume = perpVolume * (0.15 + random.NextDouble() * 0.1);
                perp[i] = new Bar { OpenTime = t, Interval = Five, Open = open, High = high, Low = low, Close = price, Volume = perpVolume, TakerBuyVolume = perpVolume * (0.4 + random.NextDouble() * 0.2) };
                spot[i] = new Bar { OpenTime = t, Interval = Five, Open = open, High = high, Low = low, Close = price, Volume = spotVolume, TakerBuyVolume = spotVolume * (0.4 + random.NextDouble() * 0.2) };
                coinsOi *= Math.Exp((random.NextDouble() - 0.5) * 0.01);
                oi[i] = new OpenInterestPoint(t + Five, coinsOi, coinsOi * price);
                var p = basePremium + (random.NextDouble() - 0.5) * 0.0004;
                premium[i] = new PremiumPoint(t + Five, price * (1 + p), price);
            }
            var funding = new FundingPoint[Days * 3];
            for (var i = 0; i < funding.Length; i++) funding[i] = new FundingPoint(Start.AddHours(8 * (i + 1)), 0.0001 + (random.NextDouble() - 0.3) * 0.0005);
            _inputs[s] = new RuleInputs { Perp = perp, Spot = spot, OpenInterest = oi, Funding = funding, Premium = premium };
            _rules[s] =
            [
                RuleDefinition.Default(RuleKind.OiRebuild),
                RuleDefinition.Default(RuleKind.HotFunding),
                RuleDefinition.Support(price * 0.99),
                RuleDefinition.Default(RuleKind.BasisTightening),
                RuleDefinition.Default(RuleKind.PerpVolumeSpike),
            ];
        }
        AllRulesFor200Symbols();
    }

    /// <summary>R1–R5 for every symbol on its reused (cached) inputs; returns the number of firings.</summary>
    [Benchmark(Baseline = true)]
    public int AllRulesFor200Symbols()
    {
        var fired = 0;
        for (var s = 0; s < Symbols; s++)
        {
            foreach (var rule in _rules[s])
            {
                if (InvalidationRules.Evaluate(rule, _inputs[s], Now).Fired) fired++;
            }
        }
        return fired;
    }

    /// <summary>The same with fresh inputs (empty caches) per symbol: includes resampling to hours.</summary>
    [Benchmark]
    public int AllRulesFor200SymbolsColdCache()
    {
        var fired = 0;
        for (var s = 0; s < Symbols; s++)
        {
            var warm = _inputs[s];
            var inputs = new RuleInputs { Perp = warm.Perp, Spot = warm.Spot, OpenInterest = warm.OpenInterest, Funding = warm.Funding, Premium = warm.Premium };
            foreach (var rule in _rules[s])
            {
                if (InvalidationRules.Evaluate(rule, inputs, Now).Fired) fired++;
            }
        }
        return fired;
    }
}
