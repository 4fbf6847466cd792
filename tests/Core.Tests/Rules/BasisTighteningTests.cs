using PerpGuard.Core.Market;
using PerpGuard.Core.Rules;
using static PerpGuard.Core.Tests.Rules.RuleSeries;

namespace PerpGuard.Core.Tests.Rules;

/// <summary>R4 fixtures: basisAnn 12% → 6.5% in 24 h, price 1% (fires) or 6% (does not) below the 7-day high.</summary>
public class BasisTighteningTests
{
    private static readonly RuleDefinition R4 = RuleDefinition.Default(RuleKind.BasisTightening);
    private const int Bars = 24 * 8;

    private static (RuleInputs Inputs, DateTimeOffset Now) Fixture(double lastClose)
    {
        var bars = new List<Bar>();
        var basis = new List<BasisPoint>();
        for (var i = 0; i < Bars; i++)
        {
            bars.Add(Hour(i, i == Bars - 1 ? lastClose : 100, high: 100));
            var hoursToEnd = Bars - 1 - i;
            var b = hoursToEnd >= 24 ? 0.12 : 0.065 + (0.12 - 0.065) * hoursToEnd / 24;
            basis.Add(new BasisPoint(End(i), b));
        }
        return (new RuleInputs { Perp = bars, Basis = basis }, End(Bars - 1));
    }

    [Fact]
    public void Fires_when_basis_falls_5_5_pp_in_24_h_with_price_1_percent_below_the_7_day_high()
    {
        var (inputs, now) = Fixture(99);
        var result = Eval(R4, inputs, now);

        Assert.True(result.Fired);
        Assert.Equal(12, result.Value("basis 24 h ago"), 9);
        Assert.Equal(6.5, result.Value("basis now"), 9);
        Assert.Equal(5.5, result.Value("drop in 24 h"), 9);
        Assert.Equal(1, result.Value("below 7-day high"), 9);
        Assert.Equal(0.55, result.Severity, 9); // 5.5/(2·5)
        Assert.Empty(result.Missing);
    }

    [Fact]
    public void Does_not_fire_on_the_same_drop_with_price_6_percent_below_the_high()
    {
        var (inputs, now) = Fixture(94);
        var result = Eval(R4, inputs, now);

        Assert.True(result.Evaluable);
        Assert.False(result.Fired);
        Assert.Equal(6, result.Value("below 7-day high"), 9);
        Assert.Equal(5.5, result.Value("drop in 24 h"), 9);
    }

    [Fact]
    public void Basis_down_to_half_its_7_day_mean_fires_without_the_24_h_drop()
    {
        var bars = new List<Bar>();
        var basis = new List<BasisPoint>();
        for (var i = 0; i < Bars; i++)
        {
            bars.Add(Hour(i, 100));
            basis.Add(new BasisPoint(End(i), i >= Bars - 30 ? 0.04 : 0.10)); // 4% for 30 h: 24 h drop is 0
        }
        var result = Eval(R4, new RuleInputs { Perp = bars, Basis = basis }, End(Bars - 1));

        Assert.True(result.Fired);
        Assert.Equal(0, result.Value("drop in 24 h"), 9);
        Assert.True(result.Value("7-day mean basis") > 8);
    }

    [Fact]
    public void Perps_only_use_the_premium_z_score_and_say_so()
    {
        var (inputs, now) = PremiumFixture(days: 30, lastHoursPremium: -0.0008);
        var result = Eval(R4, inputs, now);

        Assert.True(result.Fired);
        Assert.True(result.Value("premium z (30 d)") <= -2);
        Assert.Contains(result.Missing, m => m.StartsWith("no dated-futures basis: perp premium path", StringComparison.Ordinal));
        Assert.InRange(result.Severity, 0.5, 1);
    }

    [Fact]
    public void Perps_only_do_not_fire_on_a_normal_premium()
    {
        var (inputs, now) = PremiumFixture(days: 30, lastHoursPremium: double.NaN);
        var result = Eval(R4, inputs, now);

        Assert.True(result.Evaluable);
        Assert.False(result.Fired);
        Assert.True(result.Rearm);
    }

    [Fact]
    public void Perps_only_with_under_7_days_of_premium_is_not_evaluable()
    {
        var (inputs, now) = PremiumFixture(days: 5, lastHoursPremium: -0.0008);
        var result = Eval(R4, inputs, now);

        Assert.False(result.Evaluable);
        Assert.Contains(result.Missing, m => m.Contains("fewer than the 168", StringComparison.Ordinal));
    }

    // 5-minute premium samples around +0.05% (seeded noise ±0.02%); the last 8 h at lastHoursPremium unless NaN.
    private static (RuleInputs Inputs, DateTimeOffset Now) PremiumFixture(int days, double lastHoursPremium)
    {
        var random = new Random(11);
        var n = days * 288;
        var premium = new List<PremiumPoint>(n);
        var bars = new List<Bar>();
        for (var i = 0; i < n; i++)
        {
            var t = T0.AddMinutes(5 * (i + 1));
            var p = i >= n - 96 && !double.IsNaN(lastHoursPremium) ? lastHoursPremium : 0.0005 + (random.NextDouble() - 0.5) * 0.0004;
            premium.Add(new PremiumPoint(t, 100 * (1 + p), 100));
        }
        for (var i = 0; i < days * 24; i++) bars.Add(Hour(i, 100));
        return (new RuleInputs { Perp = bars, Premium = premium }, T0.AddDays(days));
    }
}
