using PerpGuard.Core.Alerts;

namespace PerpGuard.Bot.Storage;

/// <summary>
/// The persisted state machine of one alert key (see <see cref="AlertState"/>). Written in the same transaction as the
/// alerts it decides, so a crash never separates a decision from its state.
/// </summary>
public sealed class AlertStateRow
{
    /// <summary>The user.</summary>
    public long OwnerId { get; set; }
    /// <summary>The key within the user: <c>p12.distance</c> (position 12), <c>r7</c> (rule 7), <c>stale.binance.BTCUSDT</c>.</summary>
    public required string Key { get; set; }
    /// <summary><see cref="AlertState.Level"/>.</summary>
    public int Level { get; set; }
    /// <summary><see cref="AlertState.SentLevel"/>.</summary>
    public int SentLevel { get; set; }
    /// <summary><see cref="AlertState.Flags"/>.</summary>
    public int Flags { get; set; }
    /// <summary><see cref="AlertState.SentAt"/> (Unix ms).</summary>
    public long SentAt { get; set; }
    /// <summary><see cref="AlertState.SnoozedUntil"/> (Unix ms).</summary>
    public long SnoozedUntil { get; set; }
    /// <summary><see cref="AlertState.SnoozeLevel"/>.</summary>
    public int SnoozeLevel { get; set; }

    /// <summary>Longest key.</summary>
    public const int MaxKeyLength = 64;

    /// <summary>The state machine value.</summary>
    public AlertState ToState() => new() { Level = (byte)Level, SentLevel = (byte)SentLevel, Flags = (byte)Flags, SentAt = SentAt, SnoozedUntil = SnoozedUntil, SnoozeLevel = (byte)SnoozeLevel };

    /// <summary>Copies a state machine value in.</summary>
    public void Set(in AlertState s)
    {
        Level = s.Level;
        SentLevel = s.SentLevel;
        Flags = s.Flags;
        SentAt = s.SentAt;
        SnoozedUntil = s.SnoozedUntil;
        SnoozeLevel = s.SnoozeLevel;
    }
}

/// <summary>Where an alert is in its life: the outbox and the history are the same rows.</summary>
public enum AlertStatus
{
    /// <summary>Decided, waiting to be sent (or retried at <see cref="AlertRecord.NextAttemptAt"/>).</summary>
    Pending,
    /// <summary>Held for a digest (quiet hours, or over the daily cap) until <see cref="AlertRecord.ReleaseAt"/>.</summary>
    Held,
    /// <summary>Delivered to the channel.</summary>
    Sent,
    /// <summary>Not sent by policy (cooldown, snooze, mute); kept for /alerts.</summary>
    Suppressed,
    /// <summary>Delivered inside the digest <see cref="AlertRecord.DigestId"/>.</summary>
    Digested,
    /// <summary>Could not be delivered before giving up (<see cref="AlertRecord.LastError"/> says why).</summary>
    Failed,
}

/// <summary>
/// One alert decision: history for <c>/alerts</c> and, while <see cref="Status"/> is pending, the transactional outbox
/// row the dispatcher sends. <see cref="Message"/> is the rendered message, fixed at decision time, so a retry or a
/// restart sends exactly what was decided.
/// </summary>
public sealed class AlertRecord
{
    /// <summary>Id shown to the user (<c>/snooze 17 1h</c>).</summary>
    public long Id { get; set; }
    /// <summary>The user.</summary>
    public long OwnerId { get; set; }
    /// <summary>The alert key (<see cref="AlertStateRow.Key"/>); <c>digest</c> for a digest.</summary>
    public required string Key { get; set; }
    /// <summary>Kind, null for a digest.</summary>
    public AlertKind? Kind { get; set; }
    /// <summary>Severity.</summary>
    public AlertSeverity Severity { get; set; }
    /// <summary>What the state machine decided (fire, reminder, recovered, cooldown, snoozed).</summary>
    public AlertStep Step { get; set; }
    /// <summary>The position, when the alert is about one.</summary>
    public long? PositionId { get; set; }
    /// <summary><c>venue:symbol</c> the alert is about.</summary>
    public string? Symbol { get; set; }
    /// <summary>When it was decided.</summary>
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>One line: what happened and the number behind it (for /alerts and digests).</summary>
    public required string Summary { get; set; }
    /// <summary>The message as JSON (a serialized <see cref="Chat.Reply"/>).</summary>
    public required string Message { get; set; }
    /// <summary>Where it is.</summary>
    public AlertStatus Status { get; set; }
    /// <summary>Why it was held, suppressed or failed.</summary>
    public string? Reason { get; set; }
    /// <summary>Held until (quiet hours end, next cap summary).</summary>
    public DateTimeOffset? ReleaseAt { get; set; }
    /// <summary>Not sent before this (retry backoff).</summary>
    public DateTimeOffset NextAttemptAt { get; set; }
    /// <summary>Send attempts so far.</summary>
    public int Attempts { get; set; }
    /// <summary>When the channel accepted it.</summary>
    public DateTimeOffset? SentAt { get; set; }
    /// <summary>The last channel error.</summary>
    public string? LastError { get; set; }
    /// <summary>Unique per decision; passed to the channel so a platform that can deduplicate does.</summary>
    public required string IdempotencyKey { get; set; }
    /// <summary>The digest that carried it.</summary>
    public long? DigestId { get; set; }
    /// <summary>Counts towards the daily cap (a delivered, non-critical alert that was not a digest).</summary>
    public bool Counted { get; set; }

    /// <summary>Longest summary.</summary>
    public const int MaxSummaryLength = 256;
}

/// <summary>A symbol whose alerts a user muted (<c>/mute BTC</c>), on every venue, until a time or until unmuted.</summary>
public sealed class MutedSymbol
{
    /// <summary>The user.</summary>
    public long OwnerId { get; set; }
    /// <summary>Base asset, upper case (<c>BTC</c>).</summary>
    public required string Asset { get; set; }
    /// <summary>Muted until (null: until /unmute).</summary>
    public DateTimeOffset? Until { get; set; }
}
