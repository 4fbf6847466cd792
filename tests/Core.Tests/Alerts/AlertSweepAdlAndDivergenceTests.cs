using PerpGuard.Core.Alerts;
using PerpGuard.Core.Venues;
using static PerpGuard.Core.Tests.Alerts.SweepHarness;

namespace PerpGuard.Core.Tests.Alerts;

/// <summary>
/// The auto-deleveraging alert (a winning position with a high estimated ADL light while the other side's cascade zone
/// is within 5% of the mark) and the per-asset divergence subscription, through the sweep.
/// </summary>
public sealed class AlertSweepAdlAndDivergenceTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static List<AlertFiring> Of(AlertKind kind, List<AlertFiring> firings) => [.. firings.Where(f => f.Kind == kind)];

    [Fact]
    public void Adl_fires_for_a_high_ranked_winner_with_an_opposite_cascade_near_and_rearms_below_light_3()
    {
        var world = new SweepHarness();
        var symbol = world.AddSymbol(100);
        // 1 coin long from 90 on 10 of margin (9x): at 100 the PnL is 10 → share 1.0, equity 20, effective leverage 5,
        // score 5 → light 5 (thresholds 0.5, 1, 2, 4).
        var user = world.AddUser([new WatchedPosition { Symbol = 0, Side = PositionSide.Long, Liquidation = 81, Quantity = 1, Collateral = 10, Entry = 90 }]);

        // No short-liquidation zone above: nothing, however high the rank.
        Assert.Empty(Of(AlertKind.Adl, world.RunAt(0 * Minute)));
        // A zone 6% away is out of reach; at 4% it counts.
        symbol.ShortZones = [new CascadeZone(106, 110, 2, 0)];
        Assert.Empty(Of(AlertKind.Adl, world.RunAt(1 * Minute)));
        symbol.ShortZones = [new CascadeZone(104, 110, 2, 0)];
        var fired = Assert.Single(Of(AlertKind.Adl, world.RunAt(2 * Minute)));
        Assert.Equal((AlertStep.Fire, AlertSeverity.Warning, 5.0), (fired.Step, fired.Severity, fired.Value));
        Assert.Equal(AlertUser.Slot(0, AlertKind.Adl), fired.Slot);

        // Mark 95: PnL 5 → share 0.5, equity 15, leverage 6.33, score 3.17 → light 4: still on. Mark 91.5: PnL 1.5 → share
        // 0.15, equity 11.5, leverage 7.96, score 1.19 → light 3: under the firing light but at the hold light, still on.
        // Mark 91: share 0.1, equity 11, leverage 8.27, score 0.83 → light 2: re-armed. (The zone stays within 5% of each mark.)
        symbol.ShortZones = [new CascadeZone(95, 110, 2, 0)];
        symbol.Mark = 95;
        Assert.Empty(Of(AlertKind.Adl, world.RunAt(3 * Minute)));
        symbol.Mark = 91.5;
        Assert.Empty(Of(AlertKind.Adl, world.RunAt(4 * Minute)));
        symbol.Mark = 91;
        Assert.Equal(AlertStep.StateOnly, Assert.Single(Of(AlertKind.Adl, world.RunAt(5 * Minute))).Step);
        Assert.Equal(0, user.States[AlertUser.Slot(0, AlertKind.Adl)].Level);
    }

    [Fact]
    public void Adl_never_fires_for_a_losing_position_or_one_without_an_entry()
    {
        var world = new SweepHarness();
        var symbol = world.AddSymbol(100);
        symbol.LongZones = [new CascadeZone(97, 99, 2, 0)];
        symbol.ShortZones = [new CascadeZone(101, 103, 2, 0)];
        world.AddUser([new WatchedPosition { Symbol = 0, Side = PositionSide.Short, Liquidation = 120, Quantity = 1, Collateral = 10, Entry = 90 }]);
        world.AddUser([Linear(PositionSide.Long, 81, collateral: 10)]); // entry unknown (NaN)
        Assert.Empty(Of(AlertKind.Adl, world.RunAt(0 * Minute)));
    }

    [Fact]
    public void Divergence_follows_the_signal_holds_when_unmeasured_and_tells_the_all_clear_as_info()
    {
        var world = new SweepHarness();
        var symbol = world.AddSymbol(100);
        var user = world.AddUser([], [new AlertSubscription(0, AlertKind.Divergence, -1)]);
        symbol.Fresh = false; // this venue's own staleness does not matter: divergence is measured across venues
        symbol.Diverged = 1;
        symbol.DivergenceSpread = 0.023;
        var fired = Assert.Single(Of(AlertKind.Divergence, world.RunAt(0 * Minute)));
        Assert.Equal((AlertStep.Fire, AlertSeverity.Warning, 0.023), (fired.Step, fired.Severity, fired.Value));

        symbol.Diverged = null; // fewer than two fresh venues: the state holds
        Assert.Empty(Of(AlertKind.Divergence, world.RunAt(1 * Minute)));

        symbol.Diverged = 0;
        symbol.DivergenceSpread = 0.004;
        var clear = Assert.Single(Of(AlertKind.Divergence, world.RunAt(2 * Minute)));
        Assert.Equal((AlertStep.Recovered, AlertSeverity.Info), (clear.Step, clear.Severity));
        Assert.Equal(0, user.States[user.SubscriptionSlot(0)].Level);
    }
}
