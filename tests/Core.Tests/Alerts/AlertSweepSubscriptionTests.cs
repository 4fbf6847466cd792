using PerpGuard.Core.Alerts;
using PerpGuard.Core.Venues;
using static PerpGuard.Core.Tests.Alerts.SweepHarness;

namespace PerpGuard.Core.Tests.Alerts;

/// <summary>Stale-data notices and invalidation-rule subscriptions through the sweep.</summary>
public sealed class AlertSweepSubscriptionTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private const long Hour = 3_600_000;

    // ---- stale notices ---------------------------------------------------------------------------------------

    [Fact]
    public void Stale_notice_fires_once_and_the_recovery_is_announced_when_prices_are_fresh_again()
    {
        var world = new SweepHarness();
        var symbol = world.AddSymbol(80);
        // A long past its liquidation: while stale, still nothing about the position.
        var user = world.AddUser([Linear(PositionSide.Long, 90)], [new AlertSubscription(0, AlertKind.Stale, 0)]);
        var slot = user.SubscriptionSlot(0);
        Assert.Equal(AlertKinds.PositionSlots, slot);

        // Stale, but not long enough for a notice: the key stays as it is.
        symbol.Fresh = false;
        Assert.Empty(world.RunAt(0 * Minute));

        symbol.StaleNotice = true;
        var notice = Assert.Single(world.RunAt(1 * Minute));
        Assert.Equal((AlertKind.Stale, AlertStep.Fire, slot, AlertSeverity.Info), (notice.Kind, notice.Step, notice.Slot, notice.Severity));
        Assert.True(double.IsNaN(notice.Value));
        Assert.Empty(world.RunAt(2 * Minute));
        Assert.Empty(world.RunAt(60 * Minute));

        // Fresh again: the recovery notice first (subscriptions are swept before positions, so it precedes what it
        // explains), then the position is evaluated again: past liquidation (−10/80), the crossing, level 5.
        symbol.Fresh = true;
        symbol.StaleNotice = false;
        var back = world.RunAt(61 * Minute);
        Assert.Equal([(AlertKind.Stale, AlertStep.Recovered), (AlertKind.Distance, AlertStep.Fire)], back.Select(f => (f.Kind, f.Step)));
        Assert.Equal((5, AlertSeverity.Critical), ((int)back[1].After.Level, back[1].Severity));
        Assert.Equal(new AlertState { SentAt = T0 + Ms(61 * Minute) }, user.States[slot]);
        Assert.Empty(world.RunAt(62 * Minute));

        // Stale cooldown is zero: the next outage is a new notice at once.
        symbol.Fresh = false;
        symbol.StaleNotice = true;
        Assert.Equal(AlertStep.Fire, Assert.Single(world.RunAt(62 * Minute + TimeSpan.FromSeconds(1))).Step);
    }

    [Fact]
    public void Fresh_prices_without_a_notice_having_been_sent_re_arm_silently()
    {
        var world = new SweepHarness();
        var symbol = world.AddSymbol(100);
        var user = world.AddUser([], [new AlertSubscription(0, AlertKind.Stale, 0)]);
        user.States[0] = new AlertState { Level = 1 }; // restored at level 1 without a sent notice

        var firings = world.RunAt(TimeSpan.Zero);

        Assert.Equal(AlertStep.StateOnly, Assert.Single(firings).Step);
        Assert.Equal(default, user.States[0]);
    }

    [Fact]
    public void Stale_notice_is_per_subscription_symbol()
    {
        var world = new SweepHarness();
        world.AddSymbol(100);
        var stale = world.AddSymbol(100);
        stale.Fresh = false;
        stale.StaleNotice = true;
        var user = world.AddUser([], [new AlertSubscription(0, AlertKind.Stale, 0), new AlertSubscription(1, AlertKind.Stale, 0)]);

        var fired = Assert.Single(world.RunAt(TimeSpan.Zero));

        Assert.Equal(user.SubscriptionSlot(1), fired.Slot);
    }

    // ---- rules -----------------------------------------------------------------------------------------------

    private static (SweepHarness World, SymbolSignal Symbol, AlertUser User) OneRule(long cooldownMs)
    {
        var world = new SweepHarness();
        var symbol = world.AddSymbol(100);
        // One position first, so the rule's slot (5) is after the position slots.
        var user = world.AddUser([Linear(PositionSide.Long, double.NaN)], [new AlertSubscription(0, AlertKind.Rule, 0)]);
        world.Rules = [new RuleSignal(true, false, false, cooldownMs)];
        return (world, symbol, user);
    }

    private static List<AlertFiring> Signal(SweepHarness world, bool fired, bool rearm, TimeSpan at, bool evaluable = true)
    {
        world.Rules[0] = world.Rules[0] with { Evaluable = evaluable, Fired = fired, Rearm = rearm };
        return world.RunAt(at);
    }

    [Fact]
    public void Rule_fires_on_its_condition_holds_until_its_re_arm_condition_and_respects_its_own_cooldown()
    {
        var (world, _, user) = OneRule(cooldownMs: 2 * Hour);
        var slot = user.SubscriptionSlot(0);
        Assert.Equal(AlertKinds.PositionSlots, slot);

        Assert.Empty(Signal(world, fired: false, rearm: false, 0 * Minute));

        var fired = Assert.Single(Signal(world, fired: true, rearm: false, 1 * Minute));
        Assert.Equal((AlertKind.Rule, AlertStep.Fire, slot, AlertSeverity.Warning), (fired.Kind, fired.Step, fired.Slot, fired.Severity));
        Assert.True(double.IsNaN(fired.Value));

        // Condition gone but no re-arm yet: still fired, nothing. Condition and re-arm both true: the condition wins.
        Assert.Empty(Signal(world, fired: false, rearm: false, 2 * Minute));
        Assert.Empty(Signal(world, fired: true, rearm: true, 3 * Minute));

        var rearmed = Assert.Single(Signal(world, fired: false, rearm: true, 4 * Minute));
        Assert.Equal(AlertStep.StateOnly, rearmed.Step);
        Assert.Equal(0, user.States[slot].Level);

        // Fired again 59 min after the alert: the rule's 2 h cooldown holds it.
        var held = Assert.Single(Signal(world, fired: true, rearm: false, 60 * Minute));
        Assert.Equal(AlertStep.Cooldown, held.Step);
        Assert.Equal(1, user.States[slot].Level);

        // Re-armed, and fired again 2 h after the first alert: a new alert.
        Assert.Equal(AlertStep.StateOnly, Assert.Single(Signal(world, fired: false, rearm: true, 61 * Minute)).Step);
        Assert.Empty(Signal(world, fired: false, rearm: true, 62 * Minute));
        Assert.Equal(AlertStep.Fire, Assert.Single(Signal(world, fired: true, rearm: false, 121 * Minute)).Step);
    }

    [Fact]
    public void A_rules_cooldown_is_its_own_not_a_kind_default()
    {
        var (world, _, _) = OneRule(cooldownMs: 0);

        Assert.Equal(AlertStep.Fire, Assert.Single(Signal(world, fired: true, rearm: false, 0 * Minute)).Step);
        Assert.Equal(AlertStep.StateOnly, Assert.Single(Signal(world, fired: false, rearm: true, 1 * Minute)).Step);
        Assert.Equal(AlertStep.Fire, Assert.Single(Signal(world, fired: true, rearm: false, 2 * Minute)).Step);
    }

    [Fact]
    public void A_rule_that_cannot_be_evaluated_or_whose_symbol_is_stale_leaves_its_state_alone()
    {
        var (world, symbol, user) = OneRule(cooldownMs: 0);
        var slot = user.SubscriptionSlot(0);

        Assert.Empty(Signal(world, fired: true, rearm: false, 0 * Minute, evaluable: false));
        Signal(world, fired: true, rearm: false, 1 * Minute);
        Assert.Equal(1, user.States[slot].Level);

        Assert.Empty(Signal(world, fired: false, rearm: true, 2 * Minute, evaluable: false));
        symbol.Fresh = false;
        Assert.Empty(Signal(world, fired: false, rearm: true, 3 * Minute));
        Assert.Equal(1, user.States[slot].Level);

        symbol.Fresh = true;
        Assert.Equal(AlertStep.StateOnly, Assert.Single(Signal(world, fired: false, rearm: true, 4 * Minute)).Step);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    public void A_rule_subscription_pointing_outside_the_signals_is_skipped(int signal)
    {
        var world = new SweepHarness();
        world.AddSymbol(100);
        world.AddUser([], [new AlertSubscription(0, AlertKind.Rule, signal)]);
        world.Rules = [new RuleSignal(true, true, false, 0)];

        Assert.Empty(world.RunAt(TimeSpan.Zero));
    }

    [Fact]
    public void Two_users_on_the_same_rule_signal_have_independent_keys()
    {
        var world = new SweepHarness();
        world.AddSymbol(100);
        var a = world.AddUser([], [new AlertSubscription(0, AlertKind.Rule, 0)]);
        var b = world.AddUser([], [new AlertSubscription(0, AlertKind.Rule, 0)]);
        world.Rules = [new RuleSignal(true, true, false, 0)];

        var firings = world.RunWithoutApplying();

        Assert.Equal([a, b], firings.Select(f => f.User));
        AlertSweep.Apply(firings[0]);
        Assert.Equal(1, a.States[0].Level);
        Assert.Equal(0, b.States[0].Level);
        Assert.Same(b, Assert.Single(world.RunWithoutApplying()).User);
    }
}
