using System.Globalization;
using BenchmarkDotNet.Attributes;
using PerpGuard.Core.Alerts;
using PerpGuard.Core.Venues;

namespace PerpGuard.Benchmarks;

/// <summary>
/// One alert evaluation sweep (<see cref="AlertSweep.Run(IReadOnlyList{AlertUser}, IReadOnlyList{SymbolSignal}, ReadOnlySpan{RuleSignal}, long, List{AlertFiring})"/>,
/// alert policy included) over 100,000 users with 3 positions each (300,000 positions, 1.5M position keys) against
/// fresh data for 50 symbols: marks from BTC/ETH-like to sub-dollar alts, funding every 8 h (every hour for a fifth of
/// them) at −0.02%…+0.06% per 8 h, volatility 0.3–0.9 and 2–5 cascade zones on each side. Positions: 55% long,
/// 5% inverse (BTC and ETH only), leverage 3–50x skewed low, so liquidation sits ~1.5%–35% from mark and about half the
/// positions are outside the 20% level; default thresholds (20/10/5/2%, 10% hit chance, 5% funding share); 30% of the
/// users also have one rule and one stale subscription (250 rule signals). Setup sweeps once and applies every
/// decision, so the measured sweeps start from the steady state.
/// <see cref="SteadyStateSweep"/>: same data, same time: no transitions, nothing appended (the common case of a
/// sweep every few seconds). Target: under 100 ms on one core and allocation-free.
/// <see cref="SweepWithMarketMove"/>: every mark moved by ±m (alternating between the up set and the down set on each
/// invocation), with m calibrated in setup so that ≥ 1% of positions change some level. The decisions are NOT applied,
/// so the states stay at the steady state of the base marks and every invocation, in every iteration, sees the same
/// transitions of its set (the alternation only keeps both directions in the mix); for comparison, no target.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class AlertSweepBenchmarks
{
    private const int UserCount = 100_000;
    private const int PositionsPerUser = 3;
    private const int SymbolCount = 50;
    private const int RulesPerSymbol = 5;
    private const double SubscriberShare = 0.3;
    private const double TargetMovedShare = 0.01;
    /// <summary>2025-11-21 04:40 UTC; fixed, so a repeated sweep is the steady state (no reminder falls due).</summary>
    private const long NowMs = 1_763_700_000_000;
    private static readonly double[] MoveGrid = [0.0005, 0.001, 0.0015, 0.002, 0.003, 0.004, 0.005, 0.0075, 0.01, 0.015, 0.02];

    private readonly AlertSweep _sweep = new(new AlertSweepSettings());
    private readonly List<AlertFiring> _output = [];
    private AlertUser[] _users = [];
    private SymbolSignal[] _symbols = [];
    private SymbolSignal[] _moving = [];
    private RuleSignal[] _rules = [];
    private double[] _up = [];
    private double[] _down = [];
    private bool _upNext;

    /// <summary>Builds symbols, users and rule signals; sweeps once and applies; calibrates the market move.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(BenchData.Seed + 70);
        _symbols = new SymbolSignal[SymbolCount];
        for (var s = 0; s < SymbolCount; s++) _symbols[s] = Symbol(random, s switch { 0 => 95_000, 1 => 3_500, _ => BenchData.LogUniform(random, 0.01, 1_000) });

        _rules = new RuleSignal[SymbolCount * RulesPerSymbol];
        for (var r = 0; r < _rules.Length; r++)
            _rules[r] = new RuleSignal(random.NextDouble() < 0.9, random.NextDouble() < 0.05, random.NextDouble() < 0.5, random.Next(1, 5) * 3_600_000L);

        _users = new AlertUser[UserCount];
        for (var u = 0; u < UserCount; u++)
        {
            var positions = new WatchedPosition[PositionsPerUser];
            for (var p = 0; p < positions.Length; p++) positions[p] = Position(random);
            AlertSubscription[] subscriptions = random.NextDouble() < SubscriberShare
                ? [new(positions[0].Symbol, AlertKind.Rule, positions[0].Symbol * RulesPerSymbol + random.Next(RulesPerSymbol)), new(positions[0].Symbol, AlertKind.Stale, 0)]
                : [];
            _users[u] = new AlertUser(u + 1, new AlertThresholds([0.20, 0.10, 0.05, 0.02], 0.10, 0.05), positions, subscriptions);
        }

        var first = Sweep(_symbols);
        foreach (var firing in _output) AlertSweep.Apply(firing);
        var again = SteadyStateSweep();
        if (again != 0) throw new InvalidOperationException($"Not a steady state: a second sweep decided {again} things.");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// first sweep: {first:N0} decisions; distance levels 0-4: {Levels()}"));

        // The move: every mark × (1 ± m), m the smallest step on the grid that changes ≥ 1% of positions either way.
        _moving = [.. _symbols.Select(s => new SymbolSignal
        {
            Fresh = s.Fresh, Mark = s.Mark, FundingRate = s.FundingRate, FundingPeriodsPerDay = s.FundingPeriodsPerDay,
            Volatility = s.Volatility, LongZones = s.LongZones, ShortZones = s.ShortZones,
        })];
        foreach (var m in MoveGrid)
        {
            _up = [.. _symbols.Select(s => s.Mark * (1 + m))];
            _down = [.. _symbols.Select(s => s.Mark * (1 - m))];
            var (upDecisions, upPositions) = Moved(_up);
            var (downDecisions, downPositions) = Moved(_down);
            if (Math.Min(upPositions, downPositions) < TargetMovedShare * UserCount * PositionsPerUser && m < MoveGrid[^1]) continue;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"// market move ±{m:P2}: up {upDecisions:N0} decisions on {upPositions:N0} positions, down {downDecisions:N0} on {downPositions:N0} (of {UserCount * PositionsPerUser:N0})"));
            break;
        }
    }

    /// <summary>The steady state: same data and time as the applied setup sweep; returns the number of decisions (0).</summary>
    [Benchmark(Baseline = true)]
    public int SteadyStateSweep() => Sweep(_symbols);

    /// <summary>Marks alternately up and down by the calibrated move; states not applied; returns the number of decisions.</summary>
    [Benchmark]
    public int SweepWithMarketMove()
    {
        var marks = _upNext ? _up : _down;
        _upNext = !_upNext;
        for (var s = 0; s < _moving.Length; s++) _moving[s].Mark = marks[s];
        return Sweep(_moving);
    }

    private int Sweep(SymbolSignal[] symbols)
    {
        _output.Clear();
        _sweep.Run(_users, symbols, _rules, NowMs, _output);
        return _output.Count;
    }

    private (int Decisions, int Positions) Moved(double[] marks)
    {
        for (var s = 0; s < _moving.Length; s++) _moving[s].Mark = marks[s];
        var decisions = Sweep(_moving);
        var positions = new HashSet<(long, int)>();
        foreach (var f in _output)
        {
            if (f.Slot < f.User.Positions.Length * AlertKinds.PositionSlots) positions.Add((f.User.Id, f.Slot / AlertKinds.PositionSlots));
        }
        return (decisions, positions.Count);
    }

    private string Levels()
    {
        var counts = new int[5];
        foreach (var user in _users)
        {
            for (var p = 0; p < user.Positions.Length; p++) counts[user.States[AlertUser.Slot(p, AlertKind.Distance)].Level]++;
        }
        return string.Join(" / ", counts.Select(c => c.ToString("N0", CultureInfo.InvariantCulture)));
    }

    private static SymbolSignal Symbol(Random random, double mark)
    {
        var hourly = random.NextDouble() < 0.2;
        return new SymbolSignal
        {
            Fresh = true,
            Mark = mark,
            FundingPeriodsPerDay = hourly ? 24 : 3,
            FundingRate = BenchData.Uniform(random, -0.0002, 0.0006) / (hourly ? 8 : 1),
            Volatility = BenchData.Uniform(random, 0.3, 0.9),
            LongZones = Zones(random, mark, -1),
            ShortZones = Zones(random, mark, +1),
        };
    }

    // 2–5 zones 1%–30% away, each 0.4%–2% of mark wide; a quarter at critical coverage; the last one the chain's path.
    private static CascadeZone[] Zones(Random random, double mark, int direction)
    {
        var zones = new CascadeZone[random.Next(2, 6)];
        for (var z = 0; z < zones.Length; z++)
        {
            var center = mark * (1 + direction * BenchData.Uniform(random, 0.01, 0.30));
            var half = mark * BenchData.Uniform(random, 0.002, 0.01);
            zones[z] = new CascadeZone(center - half, center + half, (byte)(random.NextDouble() < 0.25 ? 2 : 1), z == zones.Length - 1 ? -1 : z);
        }
        return zones;
    }

    private WatchedPosition Position(Random random)
    {
        // Majors get most positions: symbol index skewed towards 0.
        var symbol = (int)(SymbolCount * Math.Pow(random.NextDouble(), 2));
        var mark = _symbols[symbol].Mark;
        var side = random.NextDouble() < 0.55 ? PositionSide.Long : PositionSide.Short;
        // Leverage 3–50x, skewed low (median ≈ 4.3x, a quarter above ≈ 10x); liquidation ≈ (1/leverage − 0.4% maintenance) from mark, ±10% for the
        // price having moved since entry.
        var leverage = 3 * Math.Pow(50.0 / 3, Math.Pow(random.NextDouble(), 3));
        var distance = (1 / leverage - 0.004) * BenchData.Uniform(random, 0.9, 1.1);
        var liquidation = mark * (1 - (int)side * distance);
        var notional = BenchData.LogUniform(random, 50, 500_000);
        // A quarter of the BTC and ETH positions (a fifth of all) are inverse: 5% overall.
        if (symbol < 2 && random.NextDouble() < 0.25)
        {
            var contractSize = symbol == 0 ? 100 : 10;
            return new WatchedPosition
            {
                Symbol = symbol, Side = side, Liquidation = liquidation, InverseContractSize = contractSize,
                Quantity = Math.Max(1, Math.Round(notional / contractSize)), Collateral = notional / mark / leverage, Entry = mark * (1 - (int)side * 0.02),
            };
        }
        // Isolated margin, or (a third) a cross wallet a few times the position's margin.
        var collateral = notional / leverage * (random.NextDouble() < 1 / 3.0 ? BenchData.Uniform(random, 1, 5) : 1);
        // Entered 2% away from the mark in the position's favor, so the ADL rank is computed for every position.
        return new WatchedPosition { Symbol = symbol, Side = side, Liquidation = liquidation, Quantity = notional / mark, Collateral = collateral, Entry = mark * (1 - (int)side * 0.02) };
    }
}
