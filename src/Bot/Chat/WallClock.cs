namespace PerpGuard.Bot.Chat;

/// <summary>
/// The key of the keyed <see cref="TimeProvider"/> that always tells real time. A replay runs the whole process on
/// scenario time, but chat platforms live in the real world: message dates, rate limits and retry-after waits are
/// wall-clock facts.
/// </summary>
public static class WallClock
{
    /// <summary>The service key.</summary>
    public const string Key = "wall";
}
