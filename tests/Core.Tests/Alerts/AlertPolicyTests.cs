using PerpGuard.Core.Alerts;

namespace PerpGuard.Core.Tests.Alerts;

/// <summary>The state machine of one key: cooldown 30 min, reminders every 30 min at the top level (4), unless a test says otherwise.</summary>
public sealed class AlertPolicyTests
{
    private const long T0 = SweepHarness.T0;
    private const long Minute = 60_000;
    private const int Max = 4;
    private static readonly AlertRule Rule = new(30 * Minute, 30 * Minute, NotifyRecovery: false);

    private static AlertStep Step(ref AlertState state, int level, long nowMs, AlertRule? rule = null, int max = Max) =>
        AlertPolicy.Step(ref state, level, max, nowMs, rule ?? Rule);

    /// <summary>Fired at <paramref name="level"/> at T0, then re-armed a minute later.</summary>
    private static AlertState FiredThenRearmed(int level)
    {
        var state = default(AlertState);
        Assert.Equal(AlertStep.Fire, Step(ref state, level, T0));
        Assert.Equal(AlertStep.StateOnly, Step(ref state, 0, T0 + Minute));
        return state;
    }

    [Fact]
    public void Armed_key_fires_and_records_what_was_sent()
    {
        var state = default(AlertState);

        Assert.Equal(AlertStep.Fire, Step(ref state, 2, T0));
        Assert.Equal(new AlertState { Level = 2, SentLevel = 2, SentAt = T0 }, state);
    }

    [Fact]
    public void Same_level_is_nothing_and_leaves_the_state_alone()
    {
        var state = default(AlertState);
        Step(ref state, 2, T0);
        var before = state;

        Assert.Equal(AlertStep.None, Step(ref state, 2, T0 + Minute));
        Assert.Equal(AlertStep.None, Step(ref state, 2, T0 + 5 * 60 * Minute));
        Assert.Equal(before, state);

        var armed = default(AlertState);
        Assert.Equal(AlertStep.None, Step(ref armed, 0, T0));
        Assert.Equal(default, armed);
    }

    [Fact]
    public void Escalation_fires_even_inside_the_cooldown()
    {
        var state = default(AlertState);
        Step(ref state, 1, T0);

        Assert.Equal(AlertStep.Fire, Step(ref state, 3, T0 + Minute));
        Assert.Equal(new AlertState { Level = 3, SentLevel = 3, SentAt = T0 + Minute }, state);
        Assert.Equal(AlertStep.Fire, Step(ref state, 4, T0 + 2 * Minute));
        Assert.Equal(4, state.SentLevel);
    }

    [Fact]
    public void De_escalation_is_a_state_change_only_and_keeps_what_was_sent()
    {
        var state = default(AlertState);
        Step(ref state, 3, T0);

        Assert.Equal(AlertStep.StateOnly, Step(ref state, 1, T0 + Minute));
        Assert.Equal(new AlertState { Level = 1, SentLevel = 3, SentAt = T0 }, state);
        Assert.Equal(AlertStep.StateOnly, Step(ref state, 0, T0 + 2 * Minute));
        Assert.Equal(new AlertState { Level = 0, SentLevel = 3, SentAt = T0 }, state);
    }

    [Fact]
    public void Re_firing_the_same_level_after_a_re_arm_inside_the_cooldown_is_held_but_the_state_moves()
    {
        var state = FiredThenRearmed(2);

        Assert.Equal(AlertStep.Cooldown, Step(ref state, 2, T0 + 30 * Minute - 1));
        Assert.Equal(new AlertState { Level = 2, SentLevel = 2, SentAt = T0 }, state);
    }

    [Fact]
    public void Re_firing_a_lower_level_inside_the_cooldown_is_held_too()
    {
        var state = FiredThenRearmed(3);

        Assert.Equal(AlertStep.Cooldown, Step(ref state, 1, T0 + 10 * Minute));
        Assert.Equal(1, state.Level);
        Assert.Equal(3, state.SentLevel);
        // Climbing back to the level that was sent is still inside the cooldown; above it is an escalation.
        Assert.Equal(AlertStep.Cooldown, Step(ref state, 3, T0 + 11 * Minute));
        Assert.Equal(AlertStep.Fire, Step(ref state, 4, T0 + 12 * Minute));
    }

    [Fact]
    public void Re_firing_the_same_level_once_the_cooldown_is_over_fires_again()
    {
        var state = FiredThenRearmed(2);

        Assert.Equal(AlertStep.Fire, Step(ref state, 2, T0 + 30 * Minute));
        Assert.Equal(new AlertState { Level = 2, SentLevel = 2, SentAt = T0 + 30 * Minute }, state);
    }

    [Fact]
    public void After_the_cooldown_a_lower_level_fires_and_lowers_the_sent_level()
    {
        var state = FiredThenRearmed(4);

        Assert.Equal(AlertStep.Fire, Step(ref state, 1, T0 + 45 * Minute));
        Assert.Equal(new AlertState { Level = 1, SentLevel = 1, SentAt = T0 + 45 * Minute }, state);
        // A new cooldown started at 45 min: level 2 is above what was sent since, so it fires.
        Step(ref state, 0, T0 + 46 * Minute);
        Assert.Equal(AlertStep.Fire, Step(ref state, 2, T0 + 47 * Minute));
    }

    [Fact]
    public void Staying_at_the_top_level_reminds_every_repeat_interval_and_not_before()
    {
        var state = default(AlertState);
        Step(ref state, 4, T0);

        Assert.Equal(AlertStep.None, Step(ref state, 4, T0 + 30 * Minute - 1));
        Assert.Equal(AlertStep.Reminder, Step(ref state, 4, T0 + 30 * Minute));
        Assert.Equal(new AlertState { Level = 4, SentLevel = 4, SentAt = T0 + 30 * Minute }, state);
        Assert.Equal(AlertStep.None, Step(ref state, 4, T0 + 59 * Minute));
        Assert.Equal(AlertStep.Reminder, Step(ref state, 4, T0 + 61 * Minute));
        Assert.Equal(T0 + 61 * Minute, state.SentAt);
    }

    [Fact]
    public void No_reminder_below_the_top_level()
    {
        var state = default(AlertState);
        Step(ref state, 3, T0);

        Assert.Equal(AlertStep.None, Step(ref state, 3, T0 + 600 * Minute));
    }

    [Fact]
    public void No_reminder_when_the_repeat_interval_is_zero()
    {
        var state = default(AlertState);
        var rule = Rule with { RepeatMs = 0 };
        Step(ref state, 4, T0, rule);

        Assert.Equal(AlertStep.None, Step(ref state, 4, T0 + 30 * Minute, rule));
        Assert.Equal(AlertStep.None, Step(ref state, 4, T0 + 10_000 * Minute, rule));
    }

    [Fact]
    public void No_reminder_for_a_top_level_that_was_never_sent()
    {
        // SentAt = 0 means "never": the elapsed time since 1970 must not count as a repeat interval.
        var state = new AlertState { Level = 4 };

        Assert.Equal(AlertStep.None, Step(ref state, 4, T0));
        Assert.Equal(4, state.Level);
        Assert.Equal(0, state.SentAt);
    }

    [Fact]
    public void Reminders_wait_while_snoozed_and_resume_when_the_snooze_ends()
    {
        var state = default(AlertState);
        Step(ref state, 4, T0);
        state.Snooze(T0 + 120 * Minute);

        Assert.Equal(AlertStep.None, Step(ref state, 4, T0 + 30 * Minute));
        Assert.Equal(AlertStep.None, Step(ref state, 4, T0 + 120 * Minute - 1));
        Assert.Equal(AlertStep.Reminder, Step(ref state, 4, T0 + 120 * Minute));
    }

    [Fact]
    public void Snooze_holds_re_fires_at_or_below_the_snoozed_level_even_after_the_cooldown()
    {
        var state = FiredThenRearmed(2);
        state.Snooze(T0 + 240 * Minute);

        Assert.Equal(AlertStep.Snoozed, Step(ref state, 2, T0 + 60 * Minute));
        Assert.Equal(2, state.Level);
        Assert.Equal(T0, state.SentAt);
        Step(ref state, 0, T0 + 61 * Minute);
        Assert.Equal(AlertStep.Snoozed, Step(ref state, 1, T0 + 62 * Minute));
    }

    [Fact]
    public void Snooze_is_reported_rather_than_cooldown_when_both_hold()
    {
        var state = FiredThenRearmed(2);
        state.Snooze(T0 + 240 * Minute);

        Assert.Equal(AlertStep.Snoozed, Step(ref state, 2, T0 + 2 * Minute));
    }

    [Fact]
    public void Escalation_above_the_snoozed_level_goes_through_and_the_snooze_keeps_its_own_level()
    {
        var state = FiredThenRearmed(2);
        state.Snooze(T0 + 240 * Minute);
        Assert.Equal(new AlertState { Level = 0, SentLevel = 2, SentAt = T0, SnoozedUntil = T0 + 240 * Minute, SnoozeLevel = 2 }, state);

        // 3 > snoozed level 2 and > told level 2: an alert, inside both the cooldown and the snooze.
        Assert.Equal(AlertStep.Fire, Step(ref state, 3, T0 + 5 * Minute));
        Assert.Equal(new AlertState { Level = 3, SentLevel = 3, SentAt = T0 + 5 * Minute, SnoozedUntil = T0 + 240 * Minute, SnoozeLevel = 2 }, state);
        // Back to 3 after a dip: above the snooze, but told 1 min ago → the cooldown holds it, not the snooze.
        Assert.Equal(AlertStep.StateOnly, Step(ref state, 0, T0 + 6 * Minute));
        Assert.Equal(AlertStep.Cooldown, Step(ref state, 3, T0 + 6 * Minute));
        // Down to 2 (≤ the snoozed level) after the cooldown: still snoozed.
        Assert.Equal(AlertStep.StateOnly, Step(ref state, 0, T0 + 40 * Minute));
        Assert.Equal(AlertStep.Snoozed, Step(ref state, 2, T0 + 41 * Minute));
        // Up to 3 again, 36 min after it was told: above the snooze, past the cooldown → an alert again.
        Assert.Equal(AlertStep.Fire, Step(ref state, 3, T0 + 41 * Minute + 1));
        Assert.Equal(new AlertState { Level = 3, SentLevel = 3, SentAt = T0 + 41 * Minute + 1, SnoozedUntil = T0 + 240 * Minute, SnoozeLevel = 2 }, state);
    }

    [Fact]
    public void Reminders_above_the_snoozed_level_are_not_held()
    {
        // Snoozed at 2, then escalated to the top (4): reminders of the top level are above what was snoozed.
        var state = FiredThenRearmed(2);
        state.Snooze(T0 + 240 * Minute);
        Assert.Equal(AlertStep.Fire, Step(ref state, 4, T0 + 10 * Minute));

        Assert.Equal(AlertStep.None, Step(ref state, 4, T0 + 40 * Minute - 1));
        Assert.Equal(AlertStep.Reminder, Step(ref state, 4, T0 + 40 * Minute));
        Assert.Equal(new AlertState { Level = 4, SentLevel = 4, SentAt = T0 + 40 * Minute, SnoozedUntil = T0 + 240 * Minute, SnoozeLevel = 2 }, state);
    }

    [Fact]
    public void Once_the_snooze_ends_re_fires_follow_the_cooldown_again()
    {
        var state = FiredThenRearmed(2);
        state.Snooze(T0 + 60 * Minute);

        Assert.Equal(AlertStep.Fire, Step(ref state, 2, T0 + 60 * Minute));
    }

    [Fact]
    public void Snooze_holds_the_higher_of_the_current_and_the_told_level_and_leaves_what_was_told()
    {
        // A key whose level was never sent (restored from storage that way) is snoozed at its current level 3; what was
        // told (1) is left as it is.
        var state = new AlertState { Level = 3, SentLevel = 1, SentAt = T0 };
        state.Snooze(T0 + 60 * Minute);
        Assert.Equal(new AlertState { Level = 3, SentLevel = 1, SentAt = T0, SnoozedUntil = T0 + 60 * Minute, SnoozeLevel = 3 }, state);
        Assert.True(state.Snoozes(3, T0 + 60 * Minute - 1));
        Assert.False(state.Snoozes(4, T0 + 60 * Minute - 1));
        Assert.False(state.Snoozes(3, T0 + 60 * Minute));
        // Told only 1 long ago, but 3 was snoozed: back at 3 after a dip is held.
        Step(ref state, 0, T0 + 50 * Minute);
        Assert.Equal(AlertStep.Snoozed, Step(ref state, 3, T0 + 51 * Minute));
        Assert.Equal(new AlertState { Level = 3, SentLevel = 1, SentAt = T0, SnoozedUntil = T0 + 60 * Minute, SnoozeLevel = 3 }, state);

        // Snoozing below what was told snoozes the told level (3), and keeps it.
        var lower = new AlertState { Level = 1, SentLevel = 3, SentAt = T0 };
        lower.Snooze(T0 + 60 * Minute);
        Assert.Equal(new AlertState { Level = 1, SentLevel = 3, SentAt = T0, SnoozedUntil = T0 + 60 * Minute, SnoozeLevel = 3 }, lower);
        // 3 again after the cooldown is still snoozed; 4 is above it.
        Assert.Equal(AlertStep.Snoozed, Step(ref lower, 3, T0 + 45 * Minute));
        Assert.Equal(AlertStep.Fire, Step(ref lower, 4, T0 + 46 * Minute));
    }

    [Fact]
    public void Recovery_after_a_sent_notice_is_an_alert_of_its_own_when_the_rule_notifies_recoveries()
    {
        var rule = new AlertRule(0, 0, NotifyRecovery: true);
        var state = default(AlertState);

        Assert.Equal(AlertStep.Fire, Step(ref state, 1, T0, rule, max: 1));
        Assert.Equal(AlertStep.Recovered, Step(ref state, 0, T0 + 5 * Minute, rule, max: 1));
        Assert.Equal(new AlertState { Level = 0, SentLevel = 0, SentAt = T0 + 5 * Minute }, state);
        // The next start is a new notice (the recovery cleared what was sent), even right away.
        Assert.Equal(AlertStep.Fire, Step(ref state, 1, T0 + 5 * Minute + 1, rule, max: 1));
    }

    [Fact]
    public void No_recovery_notice_when_the_start_was_never_sent()
    {
        var rule = new AlertRule(0, 0, NotifyRecovery: true);
        var state = new AlertState { Level = 1 };

        Assert.Equal(AlertStep.StateOnly, Step(ref state, 0, T0, rule, max: 1));
        Assert.Equal(new AlertState(), state);
    }

    [Fact]
    public void Recovery_is_a_plain_state_change_when_the_rule_does_not_notify_it_or_the_level_stays_above_zero()
    {
        var state = default(AlertState);
        Step(ref state, 1, T0, max: 1);
        Assert.Equal(AlertStep.StateOnly, Step(ref state, 0, T0 + Minute, max: 1));
        Assert.Equal(1, state.SentLevel);

        var notifying = new AlertRule(0, 0, NotifyRecovery: true);
        var two = default(AlertState);
        Step(ref two, 2, T0, notifying);
        Assert.Equal(AlertStep.StateOnly, Step(ref two, 1, T0 + Minute, notifying));
        Assert.Equal(2, two.SentLevel);
    }

    [Theory]
    [InlineData(60, 30, 60)] // cooldown longer than the repeat interval: the cooldown decides
    [InlineData(10, 30, 30)] // cooldown shorter: the repeat interval decides
    [InlineData(45, 45, 45)]
    public void Reminders_wait_for_the_longer_of_the_repeat_interval_and_the_cooldown(int cooldownMinutes, int repeatMinutes, int gapMinutes)
    {
        var rule = new AlertRule(cooldownMinutes * Minute, repeatMinutes * Minute, NotifyRecovery: false);
        var state = default(AlertState);
        Assert.Equal(AlertStep.Fire, Step(ref state, 4, T0, rule));

        // A millisecond short of the gap nothing is due, though (60/30) the repeat interval has long passed.
        Assert.Equal(AlertStep.None, Step(ref state, 4, T0 + gapMinutes * Minute - 1, rule));
        Assert.Equal(AlertStep.Reminder, Step(ref state, 4, T0 + gapMinutes * Minute, rule));
        Assert.Equal(new AlertState { Level = 4, SentLevel = 4, SentAt = T0 + gapMinutes * Minute }, state);
        // The next one counts from the reminder.
        Assert.Equal(AlertStep.None, Step(ref state, 4, T0 + 2 * gapMinutes * Minute - 1, rule));
        Assert.Equal(AlertStep.Reminder, Step(ref state, 4, T0 + 2 * gapMinutes * Minute, rule));
    }

    [Fact]
    public void A_recovery_inside_the_snooze_is_quiet_clears_what_was_told_and_the_snooze_holds_the_next_outage()
    {
        // The stale rule: no cooldown, no reminders, recoveries notified.
        var rule = new AlertRule(0, 0, NotifyRecovery: true);
        var state = default(AlertState);
        Assert.Equal(AlertStep.Fire, Step(ref state, 1, T0, rule, max: 1));
        state.Snooze(T0 + 60 * Minute);

        // Recovered at 5 min: no notice (StateOnly), nothing told any more, SentAt untouched, the snooze still there.
        Assert.Equal(AlertStep.StateOnly, Step(ref state, 0, T0 + 5 * Minute, rule, max: 1));
        Assert.Equal(new AlertState { Level = 0, SentLevel = 0, SentAt = T0, SnoozedUntil = T0 + 60 * Minute, SnoozeLevel = 1 }, state);
        // The next outage inside the snooze is held, and its end is a plain state change (nothing was told).
        Assert.Equal(AlertStep.Snoozed, Step(ref state, 1, T0 + 10 * Minute, rule, max: 1));
        Assert.Equal(new AlertState { Level = 1, SentLevel = 0, SentAt = T0, SnoozedUntil = T0 + 60 * Minute, SnoozeLevel = 1 }, state);
        Assert.Equal(AlertStep.StateOnly, Step(ref state, 0, T0 + 20 * Minute, rule, max: 1));
        // Once the snooze is over, an outage and its end are both told again.
        Assert.Equal(AlertStep.Fire, Step(ref state, 1, T0 + 60 * Minute, rule, max: 1));
        Assert.Equal(AlertStep.Recovered, Step(ref state, 0, T0 + 65 * Minute, rule, max: 1));
        Assert.Equal(new AlertState { Level = 0, SentLevel = 0, SentAt = T0 + 65 * Minute, SnoozedUntil = T0 + 60 * Minute, SnoozeLevel = 1 }, state);
    }
}
