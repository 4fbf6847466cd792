using PerpGuard.Core.Alerts;
using PerpGuard.Core.Venues;

namespace PerpGuard.Core.Tests.Alerts;

/// <summary>
/// A small sweep world: symbols, users, rule signals and a clock. <see cref="Run"/> does what the bot does after a
/// sweep: every firing is persisted (here: returned) and then applied with <see cref="AlertSweep.Apply"/>.
/// </summary>
internal sealed class SweepHarness
{
    /// <summary>2025-11-21 04:40 UTC in Unix ms: an arbitrary clock start far from 0 (0 means "never").</summary>
    public const long T0 = 1_763_700_000_000;

    public SweepHarness(AlertSweepSettings? settings = null) => Sweep = new AlertSweep(settings ?? new AlertSweepSettings());

    public AlertSweep Sweep { get; }
    public List<SymbolSignal> Symbols { get; } = [];
    public List<AlertUser> Users { get; } = [];
    public RuleSignal[] Rules { get; set; } = [];
    public long Now { get; set; } = T0;

    /// <summary>Defaults of a new user: levels 20% / 10% / 5% / 2%, hit chance 10%, funding 5% of margin per 24 h.</summary>
    public static AlertThresholds DefaultThresholds() => new([0.20, 0.10, 0.05, 0.02], 0.10, 0.05);

    /// <summary>A fresh symbol with only a mark: no volatility, funding or cascade view, so only distance is evaluated.</summary>
    public SymbolSignal AddSymbol(double mark)
    {
        var symbol = new SymbolSignal { Fresh = true, Mark = mark };
        Symbols.Add(symbol);
        return symbol;
    }

    public AlertUser AddUser(WatchedPosition[] positions, AlertSubscription[]? subscriptions = null, AlertThresholds? thresholds = null)
    {
        var user = new AlertUser(Users.Count + 1, thresholds ?? DefaultThresholds(), positions, subscriptions ?? []);
        Users.Add(user);
        return user;
    }

    /// <summary>One sweep at <see cref="Now"/>, its firings applied.</summary>
    public List<AlertFiring> Run()
    {
        var output = RunWithoutApplying();
        foreach (var firing in output) AlertSweep.Apply(firing);
        return output;
    }

    /// <summary>One sweep at <see cref="Now"/>; nothing applied.</summary>
    public List<AlertFiring> RunWithoutApplying()
    {
        var output = new List<AlertFiring>();
        Sweep.Run(Users, Symbols, Rules, Now, output);
        return output;
    }

    /// <summary>Moves the clock to <see cref="T0"/> + <paramref name="sinceStart"/> and sweeps.</summary>
    public List<AlertFiring> RunAt(TimeSpan sinceStart)
    {
        Now = T0 + Ms(sinceStart);
        return Run();
    }

    public static long Ms(TimeSpan span) => (long)span.TotalMilliseconds;

    public static WatchedPosition Linear(PositionSide side, double liquidation, double quantity = 1, double collateral = 1e9, int symbol = 0) =>
        new() { Symbol = symbol, Side = side, Liquidation = liquidation, Quantity = quantity, Collateral = collateral };
}
