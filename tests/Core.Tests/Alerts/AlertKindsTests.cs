using PerpGuard.Core.Alerts;

namespace PerpGuard.Core.Tests.Alerts;

/// <summary>Kind names, distance severities and the state-slot layout of a user.</summary>
public sealed class AlertKindsTests
{
    [Theory]
    [InlineData(0.30, AlertSeverity.Warning)]
    [InlineData(0.20, AlertSeverity.Warning)]
    [InlineData(0.1001, AlertSeverity.Warning)]
    [InlineData(0.10, AlertSeverity.High)]
    [InlineData(0.07, AlertSeverity.High)]
    [InlineData(0.05, AlertSeverity.Critical)]
    [InlineData(0.02, AlertSeverity.Critical)]
    public void Distance_severity_follows_the_levels_threshold(double threshold, AlertSeverity expected) =>
        Assert.Equal(expected, AlertKinds.DistanceSeverity(threshold));

    [Fact]
    public void Every_kind_has_a_name_that_parses_back_case_insensitively()
    {
        string[] expected = ["distance", "hit-chance", "cascade", "funding", "funding-flip", "rule", "stale", "divergence", "adl"];

        Assert.Equal(expected, Enum.GetValues<AlertKind>().Select(k => k.Name()));
        foreach (var kind in Enum.GetValues<AlertKind>())
        {
            Assert.True(AlertKinds.TryParse(kind.Name().ToUpperInvariant(), out var parsed));
            Assert.Equal(kind, parsed);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("hit_chance")]
    [InlineData("distances")]
    [InlineData(null)]
    public void Unknown_names_do_not_parse(string? text)
    {
        Assert.False(AlertKinds.TryParse(text, out var kind));
        Assert.Equal(default, kind);
    }

    [Fact]
    public void Name_of_an_undefined_kind_throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ((AlertKind)0).Name());

    [Fact]
    public void Position_slots_follow_the_per_position_order_and_subscriptions_come_after_them()
    {
        var user = new AlertUser(7, SweepHarness.DefaultThresholds(), [default, default, default],
            [new AlertSubscription(0, AlertKind.Rule, 0), new AlertSubscription(0, AlertKind.Stale, 0)]);

        Assert.Equal(AlertKinds.PositionSlots, AlertKinds.PerPosition.Length);
        Assert.Equal(3 * 6 + 2, user.States.Length);
        for (var i = 0; i < AlertKinds.PerPosition.Length; i++)
        {
            Assert.Equal(i, AlertUser.Slot(0, AlertKinds.PerPosition[i]));
            Assert.Equal(12 + i, AlertUser.Slot(2, AlertKinds.PerPosition[i]));
        }
        Assert.Equal(18, user.SubscriptionSlot(0));
        Assert.Equal(19, user.SubscriptionSlot(1));
        Assert.All(user.States, s => Assert.Equal(default, s));
    }
}
