using PerpGuard.Core.Alerts;
using PerpGuard.Core.Venues;
using static PerpGuard.Core.Tests.Alerts.SweepHarness;

namespace PerpGuard.Core.Tests.Alerts;

/// <summary>
/// Distance alerts through the whole sweep: a single position on a symbol with only a mark (no volatility, funding or
/// cascade view), default levels 20% / 10% / 5% / 2%, hysteresis 0.25, cooldown 30 min, critical reminder every 30 min.
/// Distance is <c>side·(mark − liquidation)/mark</c>.
/// </summary>
public sealed class AlertSweepDistanceTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static (SweepHarness World, SymbolSignal Symbol, AlertUser User) OnePosition(PositionSide side, double liquidation, double mark)
    {
        var world = new SweepHarness();
        var symbol = world.AddSymbol(mark);
        var user = world.AddUser([Linear(side, liquidation)]);
        return (world, symbol, user);
    }

    private static List<AlertFiring> MarkAt(SweepHarness world, SymbolSignal symbol, double mark, TimeSpan at)
    {
        symbol.Mark = mark;
        return world.RunAt(at);
    }

    private static void AssertFiring(AlertFiring firing, AlertStep step, int level, double distance, AlertSeverity severity)
    {
        Assert.Equal(AlertKind.Distance, firing.Kind);
        Assert.Equal(0, firing.Slot);
        Assert.Equal(step, firing.Step);
        Assert.Equal(level, firing.After.Level);
        Assert.Equal(distance, firing.Value, 12);
        Assert.Equal(severity, firing.Severity);
    }

    [Fact]
    public void Long_at_90_with_mark_120_110_104_101_105_112_fires_once_at_the_20_percent_level()
    {
        var (world, symbol, user) = OnePosition(PositionSide.Long, 90, 120);

        // 120: 30/120 = 25.0%  → outside 20%: armed, nothing.
        Assert.Empty(MarkAt(world, symbol, 120, 0 * Minute));
        // 110: 20/110 = 18.18% → inside 20%: level 1, a warning.
        var fired = Assert.Single(MarkAt(world, symbol, 110, 1 * Minute));
        AssertFiring(fired, AlertStep.Fire, 1, 20.0 / 110, AlertSeverity.Warning);
        Assert.Same(user, fired.User);
        // 104: 14/104 = 13.46%, 101: 11/101 = 10.89% → still outside 10%: level 1 holds, nothing.
        Assert.Empty(MarkAt(world, symbol, 104, 2 * Minute));
        Assert.Empty(MarkAt(world, symbol, 101, 3 * Minute));
        // 105: 15/105 = 14.29%, 112: 22/112 = 19.64% → below the 25% re-arm line: level 1 holds, nothing.
        Assert.Empty(MarkAt(world, symbol, 105, 4 * Minute));
        Assert.Empty(MarkAt(world, symbol, 112, 5 * Minute));

        Assert.Equal(new AlertState { Level = 1, SentLevel = 1, SentAt = T0 + Ms(1 * Minute) }, user.States[0]);
    }

    [Fact]
    public void Long_at_100_escalates_level_by_level_de_escalates_with_hysteresis_and_respects_cooldown_and_reminders()
    {
        var (world, symbol, user) = OnePosition(PositionSide.Long, 100, 130);

        // 130: 30/130 = 23.08% → armed.
        Assert.Empty(MarkAt(world, symbol, 130, 0 * Minute));
        // 120: 20/120 = 16.67% → level 1 (20%), warning.
        AssertFiring(Assert.Single(MarkAt(world, symbol, 120, 1 * Minute)), AlertStep.Fire, 1, 20.0 / 120, AlertSeverity.Warning);
        // 108: 8/108 = 7.41% → level 2 (10%), high; an escalation fires inside the cooldown.
        AssertFiring(Assert.Single(MarkAt(world, symbol, 108, 2 * Minute)), AlertStep.Fire, 2, 8.0 / 108, AlertSeverity.High);
        // 104: 4/104 = 3.85% → level 3 (5%), critical.
        AssertFiring(Assert.Single(MarkAt(world, symbol, 104, 3 * Minute)), AlertStep.Fire, 3, 4.0 / 104, AlertSeverity.Critical);
        // 101: 1/101 = 0.99% → level 4 (2%), critical.
        AssertFiring(Assert.Single(MarkAt(world, symbol, 101, 4 * Minute)), AlertStep.Fire, 4, 1.0 / 101, AlertSeverity.Critical);
        // 101.5: 1.48% → still level 4; a minute after the alert no reminder is due.
        Assert.Empty(MarkAt(world, symbol, 101.5, 5 * Minute));
        // 103: 3/103 = 2.91% ≥ 2% × 1.25 = 2.5% → back to level 3 (state only); < 5% × 1.25, so not further.
        AssertFiring(Assert.Single(MarkAt(world, symbol, 103, 6 * Minute)), AlertStep.StateOnly, 3, 3.0 / 103, AlertSeverity.Critical);
        // 101 again at 7 min: level 4 was sent 3 min ago → held by the cooldown, but the state is at 4.
        AssertFiring(Assert.Single(MarkAt(world, symbol, 101, 7 * Minute)), AlertStep.Cooldown, 4, 1.0 / 101, AlertSeverity.Critical);
        Assert.Equal(new AlertState { Level = 4, SentLevel = 4, SentAt = T0 + Ms(4 * Minute) }, user.States[0]);
        // Still at 101 at 33 min: 29 min since the alert, no reminder; at 34 min (30 min) the reminder.
        Assert.Empty(MarkAt(world, symbol, 101, 33 * Minute));
        AssertFiring(Assert.Single(MarkAt(world, symbol, 101, 34 * Minute)), AlertStep.Reminder, 4, 1.0 / 101, AlertSeverity.Critical);
        // 112: 12/112 = 10.71% ≥ 2.5% and ≥ 6.25%, < 12.5% → level 2 (state only).
        AssertFiring(Assert.Single(MarkAt(world, symbol, 112, 35 * Minute)), AlertStep.StateOnly, 2, 12.0 / 112, AlertSeverity.High);
        // 130: 23.08% ≥ 12.5%, < 25% → level 1; 140: 40/140 = 28.57% ≥ 25% → armed.
        AssertFiring(Assert.Single(MarkAt(world, symbol, 130, 36 * Minute)), AlertStep.StateOnly, 1, 30.0 / 130, AlertSeverity.Warning);
        AssertFiring(Assert.Single(MarkAt(world, symbol, 140, 37 * Minute)), AlertStep.StateOnly, 0, 40.0 / 140, AlertSeverity.Info);
        // 115: 15/115 = 13.04% → level 1; the reminder at 34 min told level 4 four minutes ago → cooldown.
        AssertFiring(Assert.Single(MarkAt(world, symbol, 115, 38 * Minute)), AlertStep.Cooldown, 1, 15.0 / 115, AlertSeverity.Warning);
        // Re-armed at 69 min and back at 70 min: 36 min since the reminder → a fresh level-1 alert.
        AssertFiring(Assert.Single(MarkAt(world, symbol, 140, 69 * Minute)), AlertStep.StateOnly, 0, 40.0 / 140, AlertSeverity.Info);
        AssertFiring(Assert.Single(MarkAt(world, symbol, 115, 70 * Minute)), AlertStep.Fire, 1, 15.0 / 115, AlertSeverity.Warning);
        Assert.Equal(new AlertState { Level = 1, SentLevel = 1, SentAt = T0 + Ms(70 * Minute) }, user.States[0]);
    }

    [Fact]
    public void Short_distance_is_measured_upwards_and_a_mark_past_liquidation_is_the_crossing_level()
    {
        var (world, symbol, user) = OnePosition(PositionSide.Short, 100, 80);

        // 100 − 80 over 80 = 25% → armed; 92: 8/92 = 8.70% → level 2; 101: −1/101 = −0.99% → the crossing, level 5
        // (one above the four user levels), critical.
        Assert.Empty(MarkAt(world, symbol, 80, 0 * Minute));
        AssertFiring(Assert.Single(MarkAt(world, symbol, 92, 1 * Minute)), AlertStep.Fire, 2, 8.0 / 92, AlertSeverity.High);
        AssertFiring(Assert.Single(MarkAt(world, symbol, 101, 2 * Minute)), AlertStep.Fire, 5, -1.0 / 101, AlertSeverity.Critical);
        Assert.Equal(new AlertState { Level = 5, SentLevel = 5, SentAt = T0 + Ms(2 * Minute) }, user.States[0]);
        // A short whose mark falls back below liquidation (99: 1.01%, would be level 4) stays presumed closed.
        Assert.Empty(MarkAt(world, symbol, 99, 3 * Minute));
    }

    [Fact]
    public void A_mark_exactly_at_the_liquidation_price_is_the_crossing()
    {
        var (world, symbol, user) = OnePosition(PositionSide.Long, 100, 101);

        // 101: 1/101 = 0.99% → level 4; 100: distance 0 → the crossing, although no mark went past the price.
        AssertFiring(Assert.Single(MarkAt(world, symbol, 101, 0 * Minute)), AlertStep.Fire, 4, 1.0 / 101, AlertSeverity.Critical);
        AssertFiring(Assert.Single(MarkAt(world, symbol, 100, 1 * Minute)), AlertStep.Fire, 5, 0.0, AlertSeverity.Critical);
        Assert.Equal(5, user.States[0].Level);
    }

    [Fact]
    public void The_crossing_is_told_once_and_then_nothing_about_the_position_until_its_states_are_reset()
    {
        var (world, symbol, user) = OnePosition(PositionSide.Long, 100, 130);

        // 130: 23.08% → armed; 95: −5/95 = −5.26% → straight from armed to the crossing, one alert.
        Assert.Empty(MarkAt(world, symbol, 130, 0 * Minute));
        AssertFiring(Assert.Single(MarkAt(world, symbol, 95, 1 * Minute)), AlertStep.Fire, 5, -5.0 / 95, AlertSeverity.Critical);
        var crossed = new AlertState { Level = 5, SentLevel = 5, SentAt = T0 + Ms(1 * Minute) };
        Assert.Equal(crossed, user.States[0]);

        // Presumed closed by the venue: deeper past it, back at it, recovering through every level (101: 0.99%, 104: 3.85%,
        // 108: 7.41%, 120: 16.67%) and far away (200: 50%), at the reminder times (31, 61 min) and much later: nothing.
        double[] marks = [90, 100, 101, 104, 108, 120, 200, 101, 95];
        TimeSpan[] times = [2 * Minute, 31 * Minute, 32 * Minute, 33 * Minute, 34 * Minute, 35 * Minute, 61 * Minute, 600 * Minute, 601 * Minute];
        for (var i = 0; i < marks.Length; i++) Assert.Empty(MarkAt(world, symbol, marks[i], times[i]));
        Assert.Equal(crossed, user.States[0]);

        // The bot forgets the states of an edited or removed position: from armed, 101 is level 4 again, an alert.
        Array.Clear(user.States);
        AssertFiring(Assert.Single(MarkAt(world, symbol, 101, 602 * Minute)), AlertStep.Fire, 4, 1.0 / 101, AlertSeverity.Critical);
    }

    [Fact]
    public void Reminders_repeat_at_the_top_user_level_but_never_at_the_crossing()
    {
        var (world, symbol, user) = OnePosition(PositionSide.Long, 100, 101);

        // 101: level 4 (the top user level); 101.5 (1.48%) half an hour later: still level 4, the reminder.
        AssertFiring(Assert.Single(MarkAt(world, symbol, 101, 0 * Minute)), AlertStep.Fire, 4, 1.0 / 101, AlertSeverity.Critical);
        AssertFiring(Assert.Single(MarkAt(world, symbol, 101.5, 30 * Minute)), AlertStep.Reminder, 4, 1.5 / 101.5, AlertSeverity.Critical);
        // 99.5 five minutes after the reminder: the crossing is above everything told, so the cooldown does not hold it.
        AssertFiring(Assert.Single(MarkAt(world, symbol, 99.5, 35 * Minute)), AlertStep.Fire, 5, -0.5 / 99.5, AlertSeverity.Critical);
        // Staying past liquidation: no reminder at 65, 95 or 300 min.
        Assert.Empty(MarkAt(world, symbol, 99.5, 65 * Minute));
        Assert.Empty(MarkAt(world, symbol, 99, 95 * Minute));
        Assert.Empty(MarkAt(world, symbol, 99, 300 * Minute));
        Assert.Equal(new AlertState { Level = 5, SentLevel = 5, SentAt = T0 + Ms(35 * Minute) }, user.States[0]);
    }

    [Fact]
    public void The_crossing_goes_through_a_snooze_of_the_top_level()
    {
        var (world, symbol, user) = OnePosition(PositionSide.Long, 100, 101);
        AssertFiring(Assert.Single(MarkAt(world, symbol, 101, 0 * Minute)), AlertStep.Fire, 4, 1.0 / 101, AlertSeverity.Critical);
        user.States[0].Snooze(T0 + Ms(240 * Minute));

        // The snooze holds the top level's reminder at 30 min, but not the crossing at 31 min.
        Assert.Empty(MarkAt(world, symbol, 101, 30 * Minute));
        AssertFiring(Assert.Single(MarkAt(world, symbol, 98, 31 * Minute)), AlertStep.Fire, 5, -2.0 / 98, AlertSeverity.Critical);
        Assert.Equal(new AlertState { Level = 5, SentLevel = 5, SentAt = T0 + Ms(31 * Minute), SnoozedUntil = T0 + Ms(240 * Minute), SnoozeLevel = 4 }, user.States[0]);
    }

    [Fact]
    public void A_reminder_waits_for_a_cooldown_longer_than_the_repeat_interval()
    {
        var cooldowns = new AlertSweepSettings().Cooldowns.ToDictionary();
        cooldowns[AlertKind.Distance] = TimeSpan.FromMinutes(50);
        var world = new SweepHarness(new AlertSweepSettings { Cooldowns = cooldowns, CriticalRepeat = TimeSpan.FromMinutes(30) });
        var symbol = world.AddSymbol(101);
        world.AddUser([Linear(PositionSide.Long, 100)]);

        AssertFiring(Assert.Single(MarkAt(world, symbol, 101, 0 * Minute)), AlertStep.Fire, 4, 1.0 / 101, AlertSeverity.Critical);
        // Repeat interval (30 min) over, cooldown (50 min) not: nothing at 30 or 49 min; the reminder at 50 min, then 100 min.
        Assert.Empty(MarkAt(world, symbol, 101, 30 * Minute));
        Assert.Empty(MarkAt(world, symbol, 101, 49 * Minute));
        AssertFiring(Assert.Single(MarkAt(world, symbol, 101, 50 * Minute)), AlertStep.Reminder, 4, 1.0 / 101, AlertSeverity.Critical);
        Assert.Empty(MarkAt(world, symbol, 101, 99 * Minute));
        AssertFiring(Assert.Single(MarkAt(world, symbol, 101, 100 * Minute)), AlertStep.Reminder, 4, 1.0 / 101, AlertSeverity.Critical);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(0.0)]
    [InlineData(-101.0)]
    [InlineData(double.PositiveInfinity)]
    public void A_fresh_symbol_without_a_usable_mark_is_skipped_for_every_position_kind(double mark)
    {
        var world = new SweepHarness();
        var symbol = world.AddSymbol(100);
        symbol.Volatility = 0.8;
        symbol.FundingRate = -0.001;
        symbol.FundingPeriodsPerDay = 3;
        symbol.LongZones = [new CascadeZone(93, 95, 2, 0)];
        var user = world.AddUser([Linear(PositionSide.Long, 94, quantity: 10, collateral: 10)]);
        // At 100 every position kind has a state: distance 6% (level 2), hit chance 14.39% (σ 0.8), cascade level 2,
        // and the long receiving funding is remembered for the flip. Funding is received, so no share alert.
        Assert.Equal([AlertKind.Distance, AlertKind.HitChance, AlertKind.Cascade, AlertKind.FundingFlip], world.RunAt(0 * Minute).Select(f => f.Kind));
        var before = user.States.ToArray();

        // The same symbol, still fresh, with an unusable mark; the rate turns to paying (a flip and a share of
        // 10·100·0.01·3/10 = 300% at the old mark), the zones move away and the volatility drops.
        symbol.Mark = mark;
        symbol.FundingRate = 0.01;
        symbol.LongZones = [];
        symbol.Volatility = 0.2;

        Assert.Empty(world.RunAt(1 * Minute));
        Assert.Empty(world.RunAt(60 * Minute));
        Assert.Equal(before, user.States);
    }

    [Fact]
    public void A_long_moving_the_other_way_raises_nothing()
    {
        var (world, symbol, _) = OnePosition(PositionSide.Long, 100, 110);

        // 110: 9.09% → level 2. A long whose mark rises only moves away.
        Assert.Equal(2, Assert.Single(MarkAt(world, symbol, 110, 0 * Minute)).After.Level);
        Assert.Empty(MarkAt(world, symbol, 111, 1 * Minute));
        Assert.Empty(MarkAt(world, symbol, 112, 2 * Minute));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(0.0)]
    [InlineData(-5.0)]
    [InlineData(double.PositiveInfinity)]
    public void A_position_without_a_liquidation_price_gets_no_distance_alerts(double liquidation)
    {
        var (world, symbol, _) = OnePosition(PositionSide.Long, liquidation, 100);

        Assert.Empty(MarkAt(world, symbol, 100, 0 * Minute));
        Assert.Empty(MarkAt(world, symbol, 1, 1 * Minute));
    }

    [Fact]
    public void The_users_own_levels_decide_level_count_and_severity()
    {
        var world = new SweepHarness();
        var symbol = world.AddSymbol(100);
        world.AddUser([Linear(PositionSide.Long, 80)], thresholds: new AlertThresholds([0.30, 0.08], 0.10, 0.05));

        // 100: 20% → inside 30% only: level 1, a warning (30% > 10%).
        AssertFiring(Assert.Single(MarkAt(world, symbol, 100, 0 * Minute)), AlertStep.Fire, 1, 0.20, AlertSeverity.Warning);
        // 86: 6/86 = 6.98% → inside 8%: level 2 of 2, high (8% ≤ 10%), and the top level for reminders.
        AssertFiring(Assert.Single(MarkAt(world, symbol, 86, 1 * Minute)), AlertStep.Fire, 2, 6.0 / 86, AlertSeverity.High);
        AssertFiring(Assert.Single(MarkAt(world, symbol, 86, 31 * Minute)), AlertStep.Reminder, 2, 6.0 / 86, AlertSeverity.High);
    }

    [Fact]
    public void Reminders_follow_the_critical_repeat_setting()
    {
        var world = new SweepHarness(new AlertSweepSettings { CriticalRepeat = TimeSpan.Zero });
        var symbol = world.AddSymbol(101);
        world.AddUser([Linear(PositionSide.Long, 100)]);

        Assert.Equal(AlertStep.Fire, Assert.Single(MarkAt(world, symbol, 101, 0 * Minute)).Step);
        Assert.Empty(MarkAt(world, symbol, 101, 600 * Minute));
    }

    [Fact]
    public void Each_position_has_its_own_key_and_slot()
    {
        var world = new SweepHarness();
        world.AddSymbol(100);
        world.AddSymbol(50);
        var user = world.AddUser([Linear(PositionSide.Long, 95, symbol: 0), Linear(PositionSide.Short, 52, symbol: 1), Linear(PositionSide.Long, 10, symbol: 1)]);

        // BTC 5/100 = 5% → level 3; ETH short 2/50 = 4% → level 3; ETH long 40/50 = 80% → armed.
        var firings = world.RunAt(TimeSpan.Zero);

        Assert.Equal([0, AlertKinds.PositionSlots], firings.Select(f => f.Slot));
        Assert.All(firings, f => Assert.Equal(3, f.After.Level));
        Assert.Equal(3, user.States[AlertUser.Slot(0, AlertKind.Distance)].Level);
        Assert.Equal(3, user.States[AlertUser.Slot(1, AlertKind.Distance)].Level);
        Assert.Equal(0, user.States[AlertUser.Slot(2, AlertKind.Distance)].Level);
    }

    [Fact]
    public void Nothing_is_applied_until_the_caller_applies_the_firings()
    {
        var world = new SweepHarness();
        world.AddSymbol(104);
        var user = world.AddUser([Linear(PositionSide.Long, 100)]);

        var first = world.RunWithoutApplying();
        var second = world.RunWithoutApplying();

        // 4/104 = 3.85% → level 3, decided twice because nothing was applied.
        var decided = Assert.Single(first);
        Assert.Equal(decided, Assert.Single(second));
        Assert.Equal(AlertStep.Fire, decided.Step);
        Assert.Equal(new AlertState { Level = 3, SentLevel = 3, SentAt = T0 }, decided.After);
        Assert.Equal(default, user.States[0]);

        AlertSweep.Apply(decided);

        Assert.Equal(decided.After, user.States[0]);
        Assert.Empty(world.RunWithoutApplying());
    }

    [Fact]
    public void The_output_list_is_appended_to_not_cleared()
    {
        var world = new SweepHarness();
        world.AddSymbol(104);
        world.AddUser([Linear(PositionSide.Long, 100)]);
        var output = new List<AlertFiring>();

        world.Sweep.Run(world.Users, world.Symbols, world.Rules, T0, output);
        world.Sweep.Run(world.Users, world.Symbols, world.Rules, T0, output);

        Assert.Equal(2, output.Count);
    }
}
