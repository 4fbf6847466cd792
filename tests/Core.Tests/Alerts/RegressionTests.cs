using PerpGuard.Core.Alerts;
using PerpGuard.Core.Venues;
using static PerpGuard.Core.Tests.Alerts.SweepHarness;

namespace PerpGuard.Core.Tests.Alerts;

/// <summary>
/// Defects found in review of src/Core/Alerts, kept as regression tests: each comment says what used to happen.
/// </summary>
public sealed class RegressionTests
{
    private const long Minute = 60_000;
    private static readonly AlertRule DistanceRule = new AlertSweepSettings().RuleFor(AlertKind.Distance);

    // Was a bug (AlertSweep.Run, hit chance): SymbolSignal says "everything missing is NaN ... and is then not alerted on",
    // and Mark defaults to NaN. A fresh symbol with a NaN mark and a volatility makes distance NaN, which passes both
    // the "distance <= 0" and the far-sigma shortcut, so HitProbability.Continuous(NaN, ...) throws
    // ArgumentOutOfRangeException("spot") and the whole sweep (every user) stops.
    // Input: Fresh = true, Mark = NaN, Volatility = 0.5; long with liquidation 90.
    // Expected: no decisions, no exception. Actual: ArgumentOutOfRangeException from HitProbability.Continuous.
    [Fact]
    public void Fixed_a_fresh_symbol_without_a_mark_does_not_throw_out_of_the_sweep()
    {
        var world = new SweepHarness();
        var symbol = world.AddSymbol(double.NaN);
        symbol.Volatility = 0.5;
        world.AddUser([Linear(PositionSide.Long, 90)]);

        var firings = world.RunAt(TimeSpan.Zero);

        Assert.Empty(firings);
    }

    // Was a bug (AlertSweep.FundingFlip): a NaN payment (fresh symbol, funding rate known, mark NaN) is neither "< 0" nor
    // "== 0", so it is taken as paying: a position that was seen receiving gets a funding-flip alert although the
    // rate did not change sign.
    // Input: long 1 unit, mark 100, rate −0.0001 (receiving; flag set), then mark NaN with the same rate −0.0001.
    // Expected: no decision. Actual: FundingFlip Fire.
    [Fact]
    public void Fixed_a_missing_mark_is_not_a_funding_flip()
    {
        var world = new SweepHarness();
        var symbol = world.AddSymbol(100);
        symbol.FundingRate = -0.0001;
        symbol.FundingPeriodsPerDay = 3;
        world.AddUser([Linear(PositionSide.Long, double.NaN)]);
        Assert.Equal(AlertStep.StateOnly, Assert.Single(world.RunAt(TimeSpan.Zero)).Step);

        symbol.Mark = double.NaN;
        var firings = world.RunAt(TimeSpan.FromMinutes(1));

        Assert.DoesNotContain(firings, f => f.Kind == AlertKind.FundingFlip);
    }

    // Was a bug (AlertPolicy.Step / AlertState.Snooze): the snooze does not remember its level; it holds everything up to
    // SentLevel, and an escalation that "goes through" raises SentLevel. After an escalation above the snoozed level, a
    // re-fire at that higher level (after a de-escalation, once the cooldown is over) is reported as Snoozed, though it
    // is above the level the user snoozed. (Same cause: the critical reminders after such an escalation are silenced
    // for the rest of the snooze; not asserted here, since "no reminder while snoozed" is also a stated rule.)
    // Input: Fire 1 at T0, Snooze(T0 + 4 h), Fire 4 at T0 + 10 min, level 3 at T0 + 11 min, level 4 at T0 + 45 min.
    // Expected at T0 + 45 min: Fire (35 min after the last alert, above the snoozed level 1). Actual: Snoozed.
    [Fact]
    public void Fixed_snoozing_a_warning_does_not_hold_a_later_re_fire_above_it()
    {
        var state = default(AlertState);
        AlertPolicy.Step(ref state, 1, 4, T0, DistanceRule);
        state.Snooze(T0 + 240 * Minute);
        Assert.Equal(AlertStep.Fire, AlertPolicy.Step(ref state, 4, 4, T0 + 10 * Minute, DistanceRule));
        Assert.Equal(AlertStep.StateOnly, AlertPolicy.Step(ref state, 3, 4, T0 + 11 * Minute, DistanceRule));

        Assert.Equal(AlertStep.Fire, AlertPolicy.Step(ref state, 4, 4, T0 + 45 * Minute, DistanceRule));
    }

    // Was a bug (AlertPolicy.Step with NotifyRecovery): the Recovered step resets SentLevel to 0, which also erases the
    // snooze (the snooze holds only levels ≤ SentLevel). A snoozed stale notice therefore comes back at the next
    // outage inside the snooze. (The Recovered notice itself is also sent while snoozed — doubtful, not asserted.)
    // Input (stale rule: cooldown 0, no repeat, notify recovery): Fire 1 at T0, Snooze(T0 + 1 h),
    // 0 at T0 + 5 min (Recovered), 1 at T0 + 10 min.
    // Expected at T0 + 10 min: Snoozed ("re-fires at the current level are held"). Actual: Fire.
    [Fact]
    public void Fixed_a_snoozed_stale_notice_stays_snoozed_across_a_recovery()
    {
        var rule = new AlertSweepSettings().RuleFor(AlertKind.Stale);
        var state = default(AlertState);
        Assert.Equal(AlertStep.Fire, AlertPolicy.Step(ref state, 1, 1, T0, rule));
        state.Snooze(T0 + 60 * Minute);
        AlertPolicy.Step(ref state, 0, 1, T0 + 5 * Minute, rule);

        Assert.Equal(AlertStep.Snoozed, AlertPolicy.Step(ref state, 1, 1, T0 + 10 * Minute, rule));
    }
}
