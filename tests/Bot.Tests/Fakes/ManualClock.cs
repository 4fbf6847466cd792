namespace PerpGuard.Bot.Tests.Fakes;

/// <summary>A <see cref="TimeProvider"/> whose time moves only when a test says so.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public static DateTimeOffset Start { get; } = new(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);

    public ManualClock() : this(Start)
    {
    }

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
