namespace PerpGuard.Core.Alerts;

/// <summary>
/// The state machine of one alert key (user, position or symbol, kind). <see cref="Level"/> 0 is armed; 1 and up
/// are fired levels (escalation steps). Times are Unix milliseconds (0 = never), so the struct stays small and
/// allocation-free in a sweep over hundreds of thousands of keys.
/// </summary>
public struct AlertState
{
    /// <summary>Current level: 0 armed, 1.. fired at that escalation step.</summary>
    public byte Level { get; set; }
    /// <summary>Highest level the user was told (or chose not to hear, by snoozing) since <see cref="SentAt"/>.</summary>
    public byte SentLevel { get; set; }
    /// <summary>Kind-specific memory (funding flip: bit 0 = funding was seen paying the position, i.e. the position receiving).</summary>
    public byte Flags { get; set; }
    /// <summary>When the last alert for this key was decided (Unix ms; 0 = never).</summary>
    public long SentAt { get; set; }
    /// <summary>Alerts up to <see cref="SnoozeLevel"/> are held back until then (Unix ms; 0 = not snoozed).</summary>
    public long SnoozedUntil { get; set; }
    /// <summary>The level the user snoozed: re-fires and reminders at or below it are held until <see cref="SnoozedUntil"/>.</summary>
    public byte SnoozeLevel { get; set; }

    /// <summary>Snoozes the key until <paramref name="untilMs"/>: repeats and re-fires at the current level (or the last one told, if higher) are held; escalation above it still goes through.</summary>
    public void Snooze(long untilMs)
    {
        SnoozedUntil = untilMs;
        SnoozeLevel = Math.Max(Level, SentLevel);
    }

    /// <summary>Whether an alert at <paramref name="level"/> is held by the snooze at <paramref name="nowMs"/>.</summary>
    public readonly bool Snoozes(int level, long nowMs) => nowMs < SnoozedUntil && level <= SnoozeLevel;
}

/// <summary>What one step of the state machine decided.</summary>
public enum AlertStep : byte
{
    /// <summary>Nothing changed.</summary>
    None,
    /// <summary>The state changed without an alert (re-armed, or de-escalated after hysteresis, or kind memory).</summary>
    StateOnly,
    /// <summary>A new alert: armed → fired, or an escalation.</summary>
    Fire,
    /// <summary>Still at the most critical level: the periodic reminder is due.</summary>
    Reminder,
    /// <summary>The condition ended and the user had been told it started (stale data recovered).</summary>
    Recovered,
    /// <summary>Would have fired, but the user was told the same or more within the cooldown.</summary>
    Cooldown,
    /// <summary>Would have fired, but the key is snoozed at this level.</summary>
    Snoozed,
}

/// <summary>The rules of one alert key's state machine, as numbers (milliseconds), so a step is a few comparisons.</summary>
/// <param name="CooldownMs">After an alert, a re-fire at the same or a lower level waits this long; escalation never waits.</param>
/// <param name="RepeatMs">While at <c>maxLevel</c>, a reminder every this often (0: no reminders).</param>
/// <param name="NotifyRecovery">Whether the end of the condition is an alert of its own (stale data).</param>
public readonly record struct AlertRule(long CooldownMs, long RepeatMs, bool NotifyRecovery);

/// <summary>The transition function of <see cref="AlertState"/>. Pure: the caller passes the new level and the time.</summary>
public static class AlertPolicy
{
    /// <summary>
    /// Moves <paramref name="state"/> to <paramref name="level"/> (already computed with hysteresis) and says whether
    /// that is an alert. Rising: an alert unless the user was told this level or a higher one within the cooldown, or
    /// snoozed it. Falling: a state change (re-armed), or <see cref="AlertStep.Recovered"/> when the rule notifies
    /// recoveries and the start was told (held quietly while snoozed). Staying at <paramref name="maxLevel"/>: a reminder
    /// every repeat interval, but never sooner than the cooldown after the last alert, and not while snoozed.
    /// </summary>
    public static AlertStep Step(ref AlertState state, int level, int maxLevel, long nowMs, in AlertRule rule)
    {
        var old = state.Level;
        if (level == old)
        {
            if (level > 0 && level >= maxLevel && rule.RepeatMs > 0 && state.SentAt > 0 && nowMs - state.SentAt >= Math.Max(rule.RepeatMs, rule.CooldownMs) && !state.Snoozes(level, nowMs))
            {
                state.SentAt = nowMs;
                state.SentLevel = (byte)level;
                return AlertStep.Reminder;
            }
            return AlertStep.None;
        }
        state.Level = (byte)level;
        if (level < old)
        {
            if (rule.NotifyRecovery && level == 0 && state.SentLevel > 0)
            {
                state.SentLevel = 0;
                if (state.Snoozes(old, nowMs)) return AlertStep.StateOnly;
                state.SentAt = nowMs;
                return AlertStep.Recovered;
            }
            return AlertStep.StateOnly;
        }
        if (state.Snoozes(level, nowMs)) return AlertStep.Snoozed;
        if (level <= state.SentLevel && nowMs - state.SentAt < rule.CooldownMs) return AlertStep.Cooldown;
        state.SentLevel = (byte)level;
        state.SentAt = nowMs;
        return AlertStep.Fire;
    }
}
