namespace PerpGuard.Bot.Chat;

/// <summary>Reconnect and retry waits of the chat clients: exponential, capped, with jitter so clients do not retry in step.</summary>
public static class Backoff
{
    /// <summary>The wait before retry <paramref name="attempt"/> (1-based): <paramref name="first"/> doubled per attempt, capped at <paramref name="max"/>, ±20%.</summary>
    public static TimeSpan Jittered(TimeSpan first, TimeSpan max, int attempt)
    {
        var wait = first * Math.Pow(2, Math.Clamp(attempt - 1, 0, 20));
        if (wait > max) wait = max;
        return wait * (0.8 + 0.4 * Random.Shared.NextDouble());
    }
}
