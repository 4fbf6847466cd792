using PerpGuard.Core.Market;
using PerpGuard.Core.Rules;
using static PerpGuard.Core.Tests.Rules.RuleSeries;

namespace PerpGuard.Core.Tests.Rules;

/// <summary>R1 fixture: OI 100 for 24 h, falls to 88 over 3 h while price falls 100 → 93 (liquidations flagged), then climbs back to 91 over 48 h with price at most 97.</summary>
public class OiRebuildTests
{
    private static readonly RuleDefinition R1 = RuleDefinition.Default(RuleKind.OiRebuild);
    private const int FlushBar = 26;       // OI 88 at the close of bar 26
    private const int Climb = 48;

    // Bars 0..23 at 100; 24..26 fall to 93 (OI 96, 92, 88); 27..74 climb (k = 1..48): OI 88 + k/16 with k = 31 set to
    // 89.9 (k = 32 is exactly 90), price 93 + k/16 with highs 0.5 above (≤ 96.5).
    private static (List<Bar> Bars, List<OpenInterestPoint> Oi) Fixture(int? spikeAtK = null, double spikeHigh = 99.6)
    {
        var bars = new List<Bar>();
        var oi = new List<OpenInterestPoint>();
        for (var i = 0; i < 24; i++) Add(i, 100, 100, 100);
        double[] fallOi = [96, 92, 88];
        double[] fallPx = [97.67, 95.33, 93];
        for (var j = 0; j < 3; j++) Add(24 + j, fallOi[j], fallPx[j], j == 0 ? 100 : fallPx[j - 1]);
        for (var k = 1; k <= Climb; k++)
        {
            var value = k == 31 ? 89.9 : 88 + k / 16.0;
            var close = 93 + k / 16.0;
            Add(FlushBar + k, value, close, close - 1 / 16.0, k == spikeAtK ? spikeHigh : close + 0.5);
        }
        return (bars, oi);

        void Add(int i, double value, double close, double open, double? high = null)
        {
            bars.Add(Hour(i, close, high: high ?? Math.Max(open, close), open: open));
            oi.Add(new OpenInterestPoint(End(i), value / 50, value));
        }
    }

    // 30 days of hourly long liquidations of 1M, 50M in each of the three flush hours.
    private static List<LiquidationVolume> Liquidations(bool flagged = true)
    {
        var list = new List<LiquidationVolume>();
        for (var t = T0.AddDays(-30); t <= End(FlushBar + Climb); t = t.AddHours(1))
        {
            var flush = flagged && t > End(23) && t <= End(FlushBar);
            list.Add(new LiquidationVolume(t, flush ? 50e6 : 1e6, 0.5e6));
        }
        return list;
    }

    private static RuleInputs Inputs(List<Bar> bars, List<OpenInterestPoint> oi, List<LiquidationVolume>? liquidations) =>
        new() { Perp = bars, OpenInterest = oi, Liquidations = liquidations };

    private static DateTimeOffset AtK(int k) => End(FlushBar + k);

    [Fact]
    public void Does_not_fire_at_OI_89_9_and_fires_when_OI_reaches_90()
    {
        var (bars, oi) = Fixture();
        var inputs = Inputs(bars, oi, Liquidations());

        for (var k = 0; k <= 31; k++) Assert.False(Eval(R1, inputs, AtK(k)).Fired, $"k={k}");
        var at899 = Eval(R1, inputs, AtK(31));
        Assert.Equal(89.9, at899.Value("OI/OIpre"), 9);
        Assert.True(at899.Evaluable);

        var at90 = Eval(R1, inputs, AtK(32));
        Assert.True(at90.Fired);
        Assert.Equal(90, at90.Value("OI now"), 12);
        Assert.Equal(100, at90.Value("OIpre"), 12);
        Assert.Equal(100, at90.Value("Hpre"), 12);
        Assert.Equal(End(FlushBar), at90.Anchor);
        Assert.Equal(End(FlushBar).ToUnixTimeSeconds(), at90.Value("flush time"));
        Assert.Equal(12, at90.Value("flush OI drop"), 9);
        Assert.Equal(7, at90.Value("flush price drop"), 9);
        Assert.Equal(150e6 + 21e6, at90.Value("flush long liquidations"), 3);
        Assert.Equal(24e6, at90.Value("liquidation baseline"), 3);
        Assert.Equal(99.5, at90.Value("ceiling Hpre(1-eps)"), 9);
        Assert.Equal(0, at90.Severity, 12); // (0.90 − 0.90)/(1 − 0.90)
        Assert.DoesNotContain(at90.Missing, m => m.Contains("liquidation", StringComparison.Ordinal));

        for (var k = 32; k <= Climb; k++) Assert.True(Eval(R1, inputs, AtK(k)).Fired, $"k={k}");
    }

    [Fact]
    public void Does_not_fire_when_price_prints_99_6_before_OI_reaches_90()
    {
        var (bars, oi) = Fixture(spikeAtK: 10);
        var inputs = Inputs(bars, oi, Liquidations());

        for (var k = 0; k <= Climb; k++) Assert.False(Eval(R1, inputs, AtK(k)).Fired, $"k={k}");
        var last = Eval(R1, inputs, AtK(Climb));
        Assert.Equal(99.6, last.Value("max high since flush"), 12);
        Assert.Equal(91, last.Value("OI now"), 12);
        Assert.False(last.Rearm); // 99.6 is not a close above Hpre = 100
    }

    [Fact]
    public void Severity_is_the_OI_excess_over_r_scaled_and_full_when_price_is_3_percent_under_Hpre()
    {
        var (bars, oi) = Fixture();
        var result = Eval(R1, Inputs(bars, oi, Liquidations()), AtK(Climb));

        // OI 91: (0.91 − 0.90)/0.10 = 0.1; close 96 is 4% under Hpre 100 (≥ 3%) so the factor is 1.
        Assert.True(result.Fired);
        Assert.Equal(96, result.Value("close"), 12);
        Assert.Equal(0.1, result.Severity, 9);
    }

    [Fact]
    public void Without_a_liquidation_feed_the_flush_is_detected_on_the_drops_alone_and_says_so()
    {
        var (bars, oi) = Fixture();
        var inputs = Inputs(bars, oi, liquidations: null);

        Assert.False(Eval(R1, inputs, AtK(31)).Fired);
        var result = Eval(R1, inputs, AtK(32));
        Assert.True(result.Fired);
        Assert.Contains(result.Missing, m => m.StartsWith("no liquidation feed: flush detected on the OI", StringComparison.Ordinal));
        Assert.True(double.IsNaN(result.Value("flush long liquidations")));
    }

    [Fact]
    public void Liquidations_at_their_usual_level_do_not_confirm_a_flush()
    {
        var (bars, oi) = Fixture();
        var result = Eval(R1, Inputs(bars, oi, Liquidations(flagged: false)), AtK(Climb));

        Assert.True(result.Evaluable);
        Assert.False(result.Fired);
        Assert.Equal(0, result.Value("flushes in window"));
        Assert.Null(result.Anchor);
    }

    [Fact]
    public void A_close_above_Hpre_re_arms()
    {
        var (bars, oi) = Fixture();
        bars[^1] = Hour(FlushBar + Climb, 100.5, high: 100.6);
        var result = Eval(R1, Inputs(bars, oi, Liquidations()), AtK(Climb));

        Assert.True(result.Rearm);
        Assert.False(result.Fired);
    }

    [Fact]
    public void Without_open_interest_it_is_not_evaluable()
    {
        var (bars, _) = Fixture();
        var result = Eval(R1, Inputs(bars, [], null), AtK(Climb));

        Assert.False(result.Evaluable);
        Assert.False(result.Fired);
        Assert.Contains(result.Missing, m => m.Contains("no open interest", StringComparison.Ordinal));
    }
}

/// <summary>The hourly pre-filter of the flush scan never hides a flush the full 5-minute scan finds.</summary>
[Collection(nameof(FlushScanSwitch))]
public class OiRebuildPreFilterTests
{
    [Fact]
    public void Pre_filtered_and_full_scans_agree_on_random_walks()
    {
        var random = new Random(5);
        var rule = RuleDefinition.Default(RuleKind.OiRebuild);
        var five = TimeSpan.FromMinutes(5);
        var start = new DateTimeOffset(2025, 3, 1, 0, 3, 0, TimeSpan.Zero); // OI stamped off the bar grid
        var agreed = 0;
        var flushes = 0;
        for (var symbol = 0; symbol < 12; symbol++)
        {
            var bars = new List<Bar>();
            var oi = new List<OpenInterestPoint>();
            double price = 100, open = 100, value = 1e6;
            for (var i = 0; i < 12 * 24 * 12; i++)
            {
                open = price;
                price *= Math.Exp((random.NextDouble() - 0.5) * 0.012);
                value *= Math.Exp((random.NextDouble() - 0.5) * 0.02);
                bars.Add(RuleSeries.At(start.AddMinutes(-3) + i * five, five, price, open: open, high: Math.Max(open, price) * 1.001));
                if (random.Next(20) != 0) oi.Add(new OpenInterestPoint(start + i * five, value / price, value)); // gaps
            }
            var inputs = new RuleInputs { Perp = bars, OpenInterest = oi };
            for (var h = 24 * 9; h < 24 * 12; h += 7)
            {
                var now = start.AddHours(h).AddMinutes(-3);
                try
                {
                    InvalidationRules.SkipFlushScan = false;
                    var full = InvalidationRules.Evaluate(rule, inputs, now);
                    InvalidationRules.SkipFlushScan = true;
                    var filtered = InvalidationRules.Evaluate(rule, inputs, now);
                    Assert.Equal(full.Anchor, filtered.Anchor);
                    Assert.Equal(full.Fired, filtered.Fired);
                    if (full.Anchor is not null) flushes++;
                    agreed++;
                }
                finally
                {
                    InvalidationRules.SkipFlushScan = true;
                }
            }
        }
        Assert.True(flushes > 5, $"only {flushes} flushes in {agreed} evaluations: the walk is too calm to test the filter");
    }
}

[CollectionDefinition(nameof(FlushScanSwitch), DisableParallelization = true)]
public sealed class FlushScanSwitch;
