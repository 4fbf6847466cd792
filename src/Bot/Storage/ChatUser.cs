using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Storage;

/// <summary>
/// A person talking to PerpGuard on one chat platform. Everything a user owns (positions, settings) hangs off
/// <see cref="Id"/>, and every query for it filters on that owner.
/// </summary>
public sealed class ChatUser
{
    /// <summary>Database key. Never shown to other users.</summary>
    public long Id { get; set; }
    /// <summary>Chat platform: <c>console</c>, <c>telegram</c> or <c>discord</c>.</summary>
    public required string Platform { get; set; }
    /// <summary>The platform's id for this user (Telegram chat id, Discord user id, <c>local</c> on the console).</summary>
    public required string ExternalId { get; set; }
    /// <summary>Name to greet the user with, as the platform reported it.</summary>
    public string? DisplayName { get; set; }
    /// <summary>IANA time zone id (<c>Europe/Berlin</c>) or a fixed offset (<c>UTC+02:00</c>) for quiet hours and times.</summary>
    public string TimeZone { get; set; } = "UTC";
    /// <summary>Venue used when a command names none.</summary>
    public Venue DefaultVenue { get; set; } = Venue.Binance;
    /// <summary>Alert thresholds and quiet hours.</summary>
    public AlertSettings Alerts { get; set; } = new();
    /// <summary>Push alerts are held until this instant (null: not muted).</summary>
    public DateTimeOffset? MutedUntil { get; set; }
    /// <summary>False once the user stopped the bot or the platform reports the chat unreachable.</summary>
    public bool IsActive { get; set; } = true;
    /// <summary>Why delivery stopped (e.g. <c>blocked the bot (403)</c>); shown in /status, cleared by /start.</summary>
    public string? InactiveReason { get; set; }
    /// <summary>When delivery stopped.</summary>
    public DateTimeOffset? InactiveSince { get; set; }
    /// <summary>First contact.</summary>
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>The user's positions.</summary>
    public List<Position> Positions { get; } = [];
}

/// <summary>When a user wants to hear about risk. Fractions, not percent (0.2 = 20%).</summary>
public sealed class AlertSettings
{
    /// <summary>Default escalation levels: distance to liquidation as a fraction of mark, most distant first.</summary>
    public static readonly IReadOnlyList<double> DefaultLevels = [0.20, 0.10, 0.05, 0.02];

    /// <summary>Escalation levels, strictly decreasing, each in (0, 1).</summary>
    public double[] Levels { get; set; } = [.. DefaultLevels];
    /// <summary>Alert when the chance of touching liquidation within 24 h reaches this.</summary>
    public double HitChance { get; set; } = 0.10;
    /// <summary>Alert when funding over the next 24 h exceeds this share of the position's margin.</summary>
    public double FundingShare { get; set; } = 0.05;
    /// <summary>Start of quiet hours in the user's time zone (null: no quiet hours).</summary>
    public TimeOnly? QuietFrom { get; set; }
    /// <summary>End of quiet hours; may be earlier than <see cref="QuietFrom"/> (the window crosses midnight).</summary>
    public TimeOnly? QuietTo { get; set; }
    /// <summary>Whether critical alerts break through quiet hours.</summary>
    public bool CriticalInQuietHours { get; set; } = true;
    /// <summary>Default <see cref="DailyCap"/>.</summary>
    public const int DefaultDailyCap = 20;
    /// <summary>Non-critical alerts delivered per day (the user's day) before the rest are summarized hourly.</summary>
    public int DailyCap { get; set; } = DefaultDailyCap;
}
