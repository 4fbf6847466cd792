namespace PerpGuard.Bot.Storage;

/// <summary>
/// An incoming platform update PerpGuard has handled (a Telegram <c>update_id</c>). Telegram redelivers an update until
/// the next poll confirms it, so a restart in between would run the command twice; this log makes it run once. Rows
/// older than two days are pruned: Telegram keeps undelivered updates for 24 hours at most.
/// </summary>
public sealed class ProcessedUpdate
{
    /// <summary>How long handled ids are kept.</summary>
    public static readonly TimeSpan Keep = TimeSpan.FromDays(2);

    /// <summary>Platform (<c>telegram</c>).</summary>
    public required string Platform { get; set; }
    /// <summary>The platform's update id.</summary>
    public long UpdateId { get; set; }
    /// <summary>When it was handled.</summary>
    public DateTimeOffset HandledAt { get; set; }
}
