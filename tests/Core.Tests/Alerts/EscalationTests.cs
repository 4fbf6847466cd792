using PerpGuard.Core.Alerts;

namespace PerpGuard.Core.Tests.Alerts;

/// <summary>Distance levels and single thresholds with hysteresis (defaults: levels 20% / 10% / 5% / 2%, h = 0.25).</summary>
public sealed class EscalationTests
{
    private const double H = 0.25;
    private static readonly double[] Levels = [0.20, 0.10, 0.05, 0.02];

    private static int Level(double distance, int current, double hysteresis = H) => Escalation.DistanceLevel(distance, Levels, current, hysteresis);

    [Theory]
    [InlineData(0.50, 0)]
    [InlineData(0.2001, 0)]
    [InlineData(0.20, 1)]
    [InlineData(0.1001, 1)]
    [InlineData(0.10, 2)]
    [InlineData(0.0501, 2)]
    [InlineData(0.05, 3)]
    [InlineData(0.0201, 3)]
    [InlineData(0.02, 4)]
    [InlineData(0.0001, 4)]
    public void From_armed_a_level_is_entered_exactly_at_its_threshold(double distance, int expected) =>
        Assert.Equal(expected, Level(distance, 0));

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.01)]
    [InlineData(-5.0)]
    public void Distance_zero_or_past_liquidation_is_the_top_level(double distance)
    {
        Assert.Equal(4, Level(distance, 0));
        Assert.Equal(4, Level(distance, 2));
        Assert.Equal(4, Level(distance, 4));
    }

    [Theory]
    [InlineData(0.04, 0, 3)] // armed straight to 5%
    [InlineData(0.015, 0, 4)] // armed straight to 2%
    [InlineData(0.015, 1, 4)] // from 20% to 2%, skipping two levels
    [InlineData(0.09, 1, 2)]
    [InlineData(0.049, 2, 3)]
    public void Several_levels_are_jumped_at_once_when_rising(double distance, int current, int expected) =>
        Assert.Equal(expected, Level(distance, current));

    [Theory]
    // At level 2 (10%): back to 1 only at 10% × 1.25 = 12.5%, back to 0 only at 20% × 1.25 = 25%.
    [InlineData(0.1001, 2, 2)]
    [InlineData(0.12, 2, 2)]
    [InlineData(0.1249, 2, 2)]
    [InlineData(0.126, 2, 1)]
    [InlineData(0.2499, 2, 1)]
    [InlineData(0.30, 2, 0)]
    // At level 4 (2%): 2.5%, 6.25%, 12.5% and 25% are the exits.
    [InlineData(0.024, 4, 4)]
    [InlineData(0.026, 4, 3)]
    [InlineData(0.062, 4, 3)]
    [InlineData(0.063, 4, 2)]
    [InlineData(0.13, 4, 1)]
    [InlineData(0.26, 4, 0)]
    // At level 1 (20%): anything under 25% holds it.
    [InlineData(0.24, 1, 1)]
    [InlineData(0.2501, 1, 0)]
    public void Falling_back_needs_the_distance_to_clear_the_level_times_one_plus_hysteresis(double distance, int current, int expected) =>
        Assert.Equal(expected, Level(distance, current));

    [Fact]
    public void Without_hysteresis_a_level_is_left_as_soon_as_the_distance_is_outside_it()
    {
        Assert.Equal(1, Level(0.1001, 2, hysteresis: 0));
        Assert.Equal(0, Level(0.2001, 2, hysteresis: 0));
        Assert.Equal(2, Level(0.10, 2, hysteresis: 0));
    }

    [Fact]
    public void A_current_level_beyond_the_users_levels_is_treated_as_the_top_level()
    {
        // The user shortened the list while a key was at level 6: 3% is inside the 5% level and clears 2.5%.
        Assert.Equal(3, Level(0.03, 6));
        Assert.Equal(4, Level(0.022, 6));
    }

    [Fact]
    public void Custom_levels_use_their_own_thresholds()
    {
        double[] levels = [0.30, 0.15];

        Assert.Equal(0, Escalation.DistanceLevel(0.31, levels, 0, H));
        Assert.Equal(1, Escalation.DistanceLevel(0.30, levels, 0, H));
        Assert.Equal(2, Escalation.DistanceLevel(0.0, levels, 0, H));
        // 0.15 × 1.25 = 0.1875.
        Assert.Equal(2, Escalation.DistanceLevel(0.18, levels, 2, H));
        Assert.Equal(1, Escalation.DistanceLevel(0.19, levels, 2, H));
    }

    [Theory]
    // Threshold 10%: entered at 10%, left below 10% × 0.75 = 7.5%.
    [InlineData(0.10, 0, 1)]
    [InlineData(0.50, 0, 1)]
    [InlineData(0.0999, 0, 0)]
    [InlineData(0.08, 0, 0)]
    [InlineData(0.0999, 1, 1)]
    [InlineData(0.0751, 1, 1)]
    [InlineData(0.0749, 1, 0)]
    [InlineData(0.0, 1, 0)]
    [InlineData(-0.3, 1, 0)]
    public void Threshold_level_enters_at_the_threshold_stays_above_the_margin_and_re_arms_below_it(double value, int current, int expected) =>
        Assert.Equal(expected, Escalation.ThresholdLevel(value, 0.10, current, H));
}
