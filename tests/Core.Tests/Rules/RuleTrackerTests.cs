using PerpGuard.Core.Market;
using PerpGuard.Core.Rules;
using static PerpGuard.Core.Tests.Rules.RuleSeries;

namespace PerpGuard.Core.Tests.Rules;

public class RuleTrackerTests
{
    private static RuleResult Result(bool fired, bool rearm = false, bool evaluable = true, DateTimeOffset? anchor = null) =>
        new(RuleKind.SupportLost, fired, fired ? 0.5 : 0, [], [], rearm, evaluable) { Anchor = anchor };

    [Fact]
    public void Fires_once_waits_for_re_arm_is_held_by_cooldown_then_fires_again()
    {
        var tracker = new RuleTracker(TimeSpan.FromHours(4));
        var t = T0;

        Assert.Equal(RuleStatus.Armed, tracker.Status);
        Assert.True(tracker.Step(Result(fired: true), t));                  // fire
        Assert.Equal(RuleStatus.Fired, tracker.Status);
        Assert.Equal(t, tracker.LastFired);

        Assert.False(tracker.Step(Result(fired: true), t.AddHours(1)));     // condition still holds: no re-fire
        Assert.Equal(RuleStatus.WaitingRearm, tracker.Status);
        Assert.False(tracker.Step(Result(fired: false), t.AddHours(2)));    // condition gone but not re-armed
        Assert.Equal(RuleStatus.WaitingRearm, tracker.Status);

        Assert.False(tracker.Step(Result(fired: false, rearm: true), t.AddHours(2.5))); // re-arm
        Assert.Equal(RuleStatus.Cooldown, tracker.Status);
        Assert.False(tracker.Step(Result(fired: true), t.AddHours(3)));     // cooldown blocks
        Assert.Equal(RuleStatus.Cooldown, tracker.Status);
        Assert.Equal(t, tracker.LastFired);

        Assert.True(tracker.Step(Result(fired: true), t.AddHours(4)));      // cooldown over: fires again
        Assert.Equal(RuleStatus.Fired, tracker.Status);
        Assert.Equal(t.AddHours(4), tracker.LastFired);
    }

    [Fact]
    public void Re_arm_after_the_cooldown_returns_to_armed()
    {
        var tracker = new RuleTracker(TimeSpan.FromHours(4));
        Assert.True(tracker.Step(Result(true), T0));
        Assert.False(tracker.Step(Result(false, rearm: true), T0.AddHours(5)));
        Assert.Equal(RuleStatus.Armed, tracker.Status);
    }

    [Fact]
    public void Results_that_are_not_evaluable_change_nothing()
    {
        var tracker = new RuleTracker(TimeSpan.FromHours(4));
        Assert.False(tracker.Step(Result(true, evaluable: false), T0));
        Assert.Equal(RuleStatus.Armed, tracker.Status);
        Assert.Null(tracker.LastFired);

        Assert.True(tracker.Step(Result(true), T0.AddHours(1)));
        Assert.False(tracker.Step(Result(false, rearm: true, evaluable: false), T0.AddHours(6)));
        Assert.Equal(RuleStatus.WaitingRearm, tracker.Status);
        Assert.NotNull(tracker.Last);
        Assert.False(tracker.Last.Evaluable);
    }

    [Fact]
    public void A_new_anchor_re_arms_like_a_new_R1_flush()
    {
        var tracker = new RuleTracker(TimeSpan.FromHours(4));
        Assert.True(tracker.Step(Result(true, anchor: T0), T0.AddHours(10)));
        Assert.False(tracker.Step(Result(true, anchor: T0), T0.AddHours(20)));
        Assert.True(tracker.Step(Result(true, anchor: T0.AddHours(25)), T0.AddHours(30)));
    }

    [Fact]
    public void Tracks_R3_over_an_hourly_series()
    {
        // Cooldown 5 h. 101 ×48, then 99.7, 99.6 (fire at step 1), 99.5 (holds), 100.3 (re-arm, in cooldown), 99.6,
        // 99.5 (fires again but 4 h after the first firing: cooldown blocks), 99.4 (5 h after: reported).
        double[] tail = [99.7, 99.6, 99.5, 100.3, 99.6, 99.5, 99.4];
        var bars = new List<Bar>();
        for (var i = 0; i < 48; i++) bars.Add(Hour(i, 101));
        foreach (var c in tail) bars.Add(Hour(bars.Count, c));
        var inputs = new RuleInputs { Perp = bars };
        Assert.True(RuleDefinition.TryCreate(RuleKind.SupportLost, ["level=100", "cooldown=5"], out var rule, out _));
        var tracker = RuleTracker.For(rule);

        var reported = new List<int>();
        for (var i = 48; i < bars.Count; i++)
        {
            if (tracker.Step(Eval(rule, inputs, End(i)), End(i))) reported.Add(i - 48);
        }

        Assert.Equal([1, 6], reported);
    }
}
