using System.Diagnostics;

namespace PerpGuard.Bot.Replay;

/// <summary>
/// The clock of a replay: scenario time, running <see cref="Speed"/> times faster than the wall clock from the moment
/// playback starts, and stopped at the scenario's end (the tape ran out, so the world stands still at its last
/// moment). Everything that asks the time (freshness, /status, later alerts and quiet hours) runs on it, and timers
/// created through it are scaled the same way.
/// </summary>
public sealed class ReplayClock : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTimeOffset _anchor;
    private long _startedAt;
    private bool _running;

    /// <summary>A clock stopped at <paramref name="at"/> until <see cref="Start"/>.</summary>
    public ReplayClock(DateTimeOffset at, double speed)
    {
        if (!(speed > 0) || double.IsInfinity(speed)) throw new ArgumentOutOfRangeException(nameof(speed), speed, "The speed must be a positive number.");
        _anchor = at;
        Speed = speed;
    }

    /// <summary>Scenario seconds per wall-clock second.</summary>
    public double Speed { get; }

    /// <summary>Whether the clock is running (between <see cref="Start"/> and <see cref="Stop"/>).</summary>
    public bool Running { get { lock (_gate) return _running; } }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate) return _running ? _anchor + Stopwatch.GetElapsedTime(_startedAt) * Speed : _anchor;
    }

    /// <summary>Starts scenario time running from where it stands.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_running) return;
            _startedAt = Stopwatch.GetTimestamp();
            _running = true;
        }
    }

    /// <summary>Stops the clock at <paramref name="at"/>.</summary>
    public void Stop(DateTimeOffset at)
    {
        lock (_gate)
        {
            _anchor = at;
            _running = false;
        }
    }

    /// <summary>The wall-clock wait until scenario time reaches <paramref name="at"/> (zero if it has).</summary>
    public TimeSpan WallTimeUntil(DateTimeOffset at)
    {
        var ahead = at - GetUtcNow();
        return ahead > TimeSpan.Zero ? ahead / Speed : TimeSpan.Zero;
    }

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new ScaledTimer(System.CreateTimer(callback, state, Scale(dueTime), Scale(period)), this);

    private TimeSpan Scale(TimeSpan span) => span == Timeout.InfiniteTimeSpan || span <= TimeSpan.Zero ? span : span / Speed;

    private sealed class ScaledTimer(ITimer inner, ReplayClock clock) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(clock.Scale(dueTime), clock.Scale(period));
        public void Dispose() => inner.Dispose();
        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
