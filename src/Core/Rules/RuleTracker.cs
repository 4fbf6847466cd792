namespace PerpGuard.Core.Rules;

/// <summary>Where a <see cref="RuleTracker"/> stands after its last step.</summary>
public enum RuleStatus
{
    /// <summary>Can fire: never fired, or re-armed and out of cooldown.</summary>
    Armed,
    /// <summary>The last step was a new firing.</summary>
    Fired,
    /// <summary>Re-armed, but within the cooldown of the last firing: a firing now would be suppressed.</summary>
    Cooldown,
    /// <summary>Fired before; waiting for the rule's re-arm condition before it can fire again.</summary>
    WaitingRearm,
}

/// <summary>
/// Hysteresis and cooldown for one rule on one symbol (risk-model §e: "each rule has a re-arm condition and a
/// cooldown"). Pure: the caller passes each <see cref="RuleResult"/> with its time. A firing is reported only when
/// the tracker is armed and out of cooldown; after it, the tracker waits for <see cref="RuleResult.Rearm"/> (or a
/// result with a different <see cref="RuleResult.Anchor"/>, e.g. a new R1 flush), and the cooldown still blocks a
/// firing that comes sooner than <c>cooldown</c> after the last one. Results that are not evaluable change nothing.
/// Not thread-safe.
/// </summary>
public sealed class RuleTracker
{
    private readonly TimeSpan _cooldown;
    private bool _armed = true;
    private DateTimeOffset? _firedAnchor;

    /// <summary>A tracker with the given cooldown (zero for none).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cooldown"/> is negative.</exception>
    public RuleTracker(TimeSpan cooldown)
    {
        if (cooldown < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(cooldown), cooldown, "The cooldown cannot be negative.");
        _cooldown = cooldown;
    }

    /// <summary>A tracker with the rule's <c>cooldown</c> parameter.</summary>
    public static RuleTracker For(RuleDefinition rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return new RuleTracker(rule.CooldownTime);
    }

    /// <summary>The cooldown after a firing.</summary>
    public TimeSpan Cooldown => _cooldown;

    /// <summary>State after the last step.</summary>
    public RuleStatus Status { get; private set; } = RuleStatus.Armed;

    /// <summary>When the last reported firing happened.</summary>
    public DateTimeOffset? LastFired { get; private set; }

    /// <summary>The last result passed to <see cref="Step"/>.</summary>
    public RuleResult? Last { get; private set; }

    /// <summary>
    /// Feeds one result. True when this step is a new firing to report: the result fired, the tracker was armed (or
    /// re-armed by this result) and the cooldown since <see cref="LastFired"/> has passed.
    /// </summary>
    public bool Step(RuleResult result, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(result);
        Last = result;
        if (!result.Evaluable)
        {
            if (Status == RuleStatus.Fired) Status = StatusNow(now);
            return false;
        }
        if (!_armed && (result.Rearm || result.Anchor is { } anchor && anchor != _firedAnchor)) _armed = true;
        if (_armed && result.Fired && !InCooldown(now))
        {
            _armed = false;
            LastFired = now;
            _firedAnchor = result.Anchor;
            Status = RuleStatus.Fired;
            return true;
        }
        Status = StatusNow(now);
        return false;
    }

    private bool InCooldown(DateTimeOffset now) => LastFired is { } last && now - last < _cooldown;

    private RuleStatus StatusNow(DateTimeOffset now) =>
        !_armed ? RuleStatus.WaitingRearm : InCooldown(now) ? RuleStatus.Cooldown : RuleStatus.Armed;
}
