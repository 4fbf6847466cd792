namespace PerpGuard.Bot.Tests.Fakes;

/// <summary>Waiting for something another thread (a channel's loop, a fake server) does: polled, with a deadline.</summary>
internal static class Eventually
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The first non-null result of <paramref name="probe"/>; a <see cref="TimeoutException"/> with <paramref name="describe"/>'s text past the deadline.</summary>
    public static async Task<T> FindAsync<T>(Func<T?> probe, TimeSpan? timeout, Func<string> describe) where T : class
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            if (probe() is { } found) return found;
            if (DateTime.UtcNow > deadline) throw new TimeoutException(describe());
            await Task.Delay(15);
        }
    }

    /// <summary>Returns once <paramref name="condition"/> holds; a <see cref="TimeoutException"/> naming <paramref name="what"/> past the deadline.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what}: not within {(timeout ?? DefaultTimeout).TotalSeconds:0} s");
            await Task.Delay(15);
        }
    }
}
