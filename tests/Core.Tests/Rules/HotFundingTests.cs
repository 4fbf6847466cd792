using PerpGuard.Core.Market;
using PerpGuard.Core.Rules;
using static PerpGuard.Core.Tests.Rules.RuleSeries;

namespace PerpGuard.Core.Tests.Rules;

/// <summary>R2 fixtures: no Coinbase premium; three funding periods; spot and perp CVD over the 24 h window.</summary>
public class HotFundingTests
{
    private static readonly RuleDefinition R2 = RuleDefinition.Default(RuleKind.HotFunding);
    private static readonly DateTimeOffset Now = T0.AddDays(2);

    private static List<FundingPoint> Funding(params double[] percentPer8h) =>
        [.. percentPer8h.Select((p, i) => new FundingPoint(Now.AddHours(-8 * (percentPer8h.Length - 1 - i)), p / 100))];

    // Spot CVD −5M (50M at 45% buys), perp CVD +40M (200M at 60% buys).
    private static RuleInputs Inputs(List<FundingPoint> funding, double spotTotal = 50e6, double spotShare = 0.45, double perpShare = 0.6,
        bool spot = true, double? coinbase = null) => new()
    {
        Funding = funding,
        Perp = Flow(Now, 24, 200e6, perpShare),
        Spot = spot ? Flow(Now, 24, spotTotal, spotShare) : null,
        CoinbasePremium = coinbase,
    };

    [Fact]
    public void Fires_on_three_hot_periods_with_spot_CVD_negative_and_perp_CVD_positive()
    {
        var result = Eval(R2, Inputs(Funding(0.035, 0.04, 0.032)), Now);

        Assert.True(result.Evaluable);
        Assert.True(result.Fired);
        Assert.Equal(-5e6, result.Value("spot CVD"), 3);
        Assert.Equal(40e6, result.Value("perp CVD"), 3);
        Assert.Equal(3, result.Value("hot periods in a row"));
        Assert.Equal(0.032, result.Value("fund8h now"), 12);
        // (0.032/0.03 − 1) × (1 + 5/40)/2 = 0.0666… × 0.5625 = 0.0375
        Assert.Equal(0.0375, result.Severity, 9);
        Assert.Empty(result.Missing);
    }

    [Fact]
    public void Does_not_fire_when_spot_CVD_is_positive_and_taker_buy_share_is_0_55()
    {
        var result = Eval(R2, Inputs(Funding(0.035, 0.04, 0.032), spotTotal: 100e6, spotShare: 0.55), Now);

        Assert.True(result.Evaluable);
        Assert.False(result.Fired);
        Assert.Equal(10e6, result.Value("spot CVD"), 3);
        Assert.Equal(55, result.Value("spot taker-buy share"), 9);
    }

    [Fact]
    public void Does_not_fire_when_the_funding_run_is_broken()
    {
        var result = Eval(R2, Inputs(Funding(0.035, 0.025, 0.04)), Now);

        Assert.True(result.Evaluable);
        Assert.False(result.Fired);
        Assert.Equal(1, result.Value("hot periods in a row"));
        Assert.False(result.Rearm); // latest 0.04% is still hot
    }

    [Fact]
    public void Severity_grows_with_funding_and_with_spot_selling_against_perp_buying()
    {
        // fund8h 0.045%: 0.045/0.03 − 1 = 0.5; spot CVD −40M vs perp +40M: (1 + 1)/2 = 1 → 0.5.
        var result = Eval(R2, Inputs(Funding(0.035, 0.04, 0.045), spotTotal: 200e6, spotShare: 0.4), Now);

        Assert.True(result.Fired);
        Assert.Equal(0.5, result.Severity, 9);
    }

    [Fact]
    public void NaN_perp_taker_volume_makes_the_rule_not_evaluable_and_names_the_input()
    {
        var result = Eval(R2, Inputs(Funding(0.035, 0.04, 0.032), perpShare: double.NaN), Now);

        Assert.False(result.Evaluable);
        Assert.False(result.Fired);
        Assert.Contains(result.Missing, m => m.StartsWith("perp taker volume not given", StringComparison.Ordinal));
    }

    [Fact]
    public void A_known_false_condition_still_decides_when_perp_taker_volume_is_missing()
    {
        var result = Eval(R2, Inputs(Funding(0.035, 0.025, 0.04), perpShare: double.NaN), Now);

        Assert.True(result.Evaluable);
        Assert.False(result.Fired);
        Assert.Contains(result.Missing, m => m.StartsWith("perp taker volume not given", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_spot_bars_or_Coinbase_premium_spot_lead_cannot_be_checked()
    {
        var result = Eval(R2, Inputs(Funding(0.035, 0.04, 0.032), spot: false), Now);

        Assert.False(result.Evaluable);
        Assert.Contains(result.Missing, m => m.StartsWith("no spot bars and no Coinbase premium", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_spot_bars_a_negative_Coinbase_premium_stands_in_for_spot_not_leading()
    {
        var result = Eval(R2, Inputs(Funding(0.035, 0.04, 0.032), spot: false, coinbase: -0.001), Now);

        Assert.True(result.Fired);
        Assert.Contains(result.Missing, m => m.Contains("Coinbase premium alone", StringComparison.Ordinal));
        Assert.Equal(0.0666666666666 / 2, result.Severity, 9); // spot term 0 without spot CVD
    }

    [Fact]
    public void NaN_spot_taker_volume_is_reported_and_blocks_the_decision()
    {
        var result = Eval(R2, Inputs(Funding(0.035, 0.04, 0.032), spotShare: double.NaN), Now);

        Assert.False(result.Evaluable);
        Assert.Contains(result.Missing, m => m.StartsWith("spot taker volume not given", StringComparison.Ordinal));
    }

    [Fact]
    public void Funding_below_fHi_re_arms()
    {
        var result = Eval(R2, Inputs(Funding(0.035, 0.04, 0.02)), Now);

        Assert.True(result.Rearm);
        Assert.False(result.Fired);
    }

    [Fact]
    public void Too_few_funding_periods_is_not_evaluable()
    {
        var result = Eval(R2, Inputs(Funding(0.04, 0.05)), Now);

        Assert.False(result.Evaluable);
        Assert.Contains(result.Missing, m => m.Contains("2 of the 3 periods", StringComparison.Ordinal));
    }

    [Fact]
    public void Taker_flow_uses_the_VWAP_when_quote_volume_is_given()
    {
        Bar[] bars =
        [
            new() { OpenTime = T0, Interval = TimeSpan.FromHours(1), Open = 100, High = 110, Low = 90, Close = 105, Volume = 10, QuoteVolume = 1000, TakerBuyVolume = 6 },
            new() { OpenTime = T0.AddHours(1), Interval = TimeSpan.FromHours(1), Open = 100, High = 100, Low = 100, Close = 100, Volume = 5, TakerBuyVolume = double.NaN },
        ];
        var flow = SeriesMath.Flow(bars, T0, T0.AddHours(2));

        Assert.Equal(600, flow.BuyUsd, 12);  // 6 × VWAP 100, not × close 105
        Assert.Equal(400, flow.SellUsd, 12);
        Assert.Equal(200, flow.Cvd, 12);
        Assert.Equal(0.6, flow.BuyShare, 12);
        Assert.Equal(1, flow.BarsWithoutTaker);
        Assert.True(flow.Available);
    }
}
