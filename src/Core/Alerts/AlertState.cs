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
    /// <summary>Kind-specific memory (funding flip: bit 0 = funding was seen paying the position).</summary>
    public byte Flags { get; set; }
    /// <summary>When the last alert for this key was decided (Unix ms; 0 = never).</summary>
    public long SentAt { get; set; }
    /// <summary>Alerts up to <see cref="SentLevel"/> are held back until then (Unix ms; 0 = not snoozed).</summary>
    public long SnoozedUntil { get; set; }

    /// <summary>Snoozes the key until <paramref name="untilMs"/>: repeats and re-fires at the current level are held; escalation still goes through.</summary>
    public void Snooze(long untilMs)
    {
        SnoozedUntil = untilMs;
        if (Level > SentLevel) SentLevel = Level;
    }
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
    /// recoveries and the start was told. Staying at <paramref name="maxLevel"/>: a reminder every repeat interval.
    /// </summary>
    public static AlertStep Step(ref AlertState state, int level, int maxLevel, long nowMs, in AlertRule rule)
    {
        var old = state.Level;
        if (level == old)
        {
            if (level > 0 && level >= maxLevel && rule.RepeatMs > 0 && nowMs - state.SentAt >= rule.RepeatMs && state.SentAt > 0 && nowMs >= state.SnoozedUntil)
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
                state.SentAt = nowMs;
                return AlertStep.Recovered;
            }
            return AlertStep.StateOnly;
        }
        if (level <= state.SentLevel)
        {
            if (nowMs < state.SnoozedUntil) return AlertStep.Snoozed;
            if (nowMs - state.SentAt < rule.CooldownMs) return AlertStep.Cooldown;
        }
        state.SentLevel = (byte)level;
        state.SentAt = nowMs;
        return AlertStep.Fire;
    }
}
