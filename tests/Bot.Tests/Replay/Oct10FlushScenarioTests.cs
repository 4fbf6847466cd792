using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PerpGuard.Bot.Tests.Replay;

/// <summary>
/// The shipped replay scenario src/Bot/Replay/Scenarios/oct10-flush.jsonl: it is exactly the builder's output, every
/// line follows the format, and the shape matches the figures the header states. Set PERPGUARD_WRITE_SCENARIO=1 to
/// rewrite the file from the builder instead of comparing.
/// </summary>
public class Oct10FlushScenarioTests
{
    private static readonly string[] TypeOrder = ["bar", "oi", "ticker", "spot", "book"];
    private static readonly string[] SymbolOrder = ["binance:BTCUSDT", "binance:ETHUSDT", "hyperliquid:BTC"];
    private static readonly string[] Markets = ["perp", "spot"];
    private static readonly string[] CalmTimes = ["2025-10-10T12:00:00Z", "2025-10-10T20:00:00Z", "2025-10-10T23:30:00Z"];
    private static readonly DateTime CascadeStart = Oct10FlushScenario.Stated.CascadeStart;
    private static readonly DateTime CascadeEnd = Oct10FlushScenario.Stated.CascadeEnd;

    [Fact]
    public void Committed_file_is_the_builder_output_byte_for_byte()
    {
        var built = Encoding.UTF8.GetBytes(Oct10FlushScenario.Build());
        var committed = ScenarioFile.Bytes;

        Assert.True(built.AsSpan().SequenceEqual(committed),
            $"{Oct10FlushScenario.RelativePath} differs from the builder's output ({committed.Length} vs {built.Length} bytes). " +
            "Regenerate: PERPGUARD_WRITE_SCENARIO=1 dotnet test tests/Bot.Tests --filter \"FullyQualifiedName~Replay\"");
        Assert.False(committed.AsSpan().StartsWith(Encoding.UTF8.Preamble), "no byte-order mark");
        Assert.DoesNotContain((byte)'\r', committed);
        Assert.Equal((byte)'\n', committed[^1]);
    }

    [Fact]
    public void The_builder_is_deterministic_and_the_file_stays_small()
    {
        Assert.Equal(Oct10FlushScenario.Build(), Oct10FlushScenario.Build());
        Assert.InRange(ScenarioFile.Bytes.Length, 500_000, 1_500_000);
    }

    [Fact]
    public void The_header_states_times_symbols_and_the_figures_followed()
    {
        var header = ScenarioFile.Header;
        Assert.Equal("oct10-flush", header.GetProperty("name").GetString());
        Assert.Equal(["type", "name", "title", "built", "follows", "start", "playFrom", "end", "symbols"],
            header.EnumerateObject().Select(p => p.Name));
        Assert.Equal(Stamp(ScenarioFile.Lines[0].T), header.GetProperty("start").GetString());
        Assert.Equal(Stamp(ScenarioFile.Lines[^1].T), header.GetProperty("end").GetString());
        Assert.Equal("2025-10-09T19:00:00Z", header.GetProperty("start").GetString());
        Assert.Equal("2025-10-10T19:00:00Z", header.GetProperty("playFrom").GetString());
        Assert.Equal("2025-10-11T01:00:00Z", header.GetProperty("end").GetString());
        Assert.Equal(SymbolOrder, header.GetProperty("symbols").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("seed 20251010", header.GetProperty("built").GetString(), StringComparison.Ordinal);

        var follows = string.Join("\n", header.GetProperty("follows").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("Binance BTCUSDT perp 121,500.0 at 20:50 -> 102,000.0 at 21:21, -16.0% peak-to-trough", follows, StringComparison.Ordinal);
        Assert.Contains("HL BTC 112,000 at 21:15 -> 97,330 at 21:27 (-13.1%)", follows, StringComparison.Ordinal);
        Assert.Contains("Binance ETHUSDT perp 4,360.00 -> 3,435.00 at 21:21 (-21.2%)", follows, StringComparison.Ordinal);
        Assert.Contains("Binance BTCUSDT OI (USD) -26%", follows, StringComparison.Ordinal);
        Assert.Contains("HL BTC OI (USD) -57%", follows, StringComparison.Ordinal);
        Assert.Contains("Binance ETHUSDT OI (USD) -35%", follows, StringComparison.Ordinal);
        Assert.Contains("E15: Binance BTCUSDT -1% bid depth $244.0M baseline -> $2.14M minimum (114x) [E24]", follows, StringComparison.Ordinal);
        Assert.Contains("$116.9M -> $0.57M (205x) [E24]", follows, StringComparison.Ordinal);
        Assert.Contains("$18.0M -> $0.30M (60x)", follows, StringComparison.Ordinal);
        Assert.Contains("retraces ~55% of the drop by 22:30", follows, StringComparison.Ordinal);
        Assert.Contains("its mark up to 8% under its oracle index in 21:15-21:40", follows, StringComparison.Ordinal);
        Assert.Contains("minimum -0.0300%/8h BTC, -0.0600%/8h ETH, -0.0150%/h HL", follows, StringComparison.Ordinal);
    }

    [Fact]
    public void Lines_are_sorted_by_time_with_the_stable_tie_order()
    {
        var lines = ScenarioFile.Lines;
        for (var i = 1; i < lines.Count; i++)
        {
            var (a, b) = (lines[i - 1], lines[i]);
            Assert.True(a.T <= b.T, $"line {i + 2}: {Stamp(b.T)} after {Stamp(a.T)}");
            if (a.T != b.T) continue;
            var (ta, tb) = (Array.IndexOf(TypeOrder, a.Type), Array.IndexOf(TypeOrder, b.Type));
            Assert.True(ta <= tb, $"line {i + 2}: {b.Type} after {a.Type} at {Stamp(b.T)}");
            if (ta == tb)
                Assert.True(Array.IndexOf(SymbolOrder, a.Key) <= Array.IndexOf(SymbolOrder, b.Key), $"line {i + 2}: symbol order at {Stamp(b.T)}");
        }
    }

    [Fact]
    public void Every_line_follows_the_format()
    {
        var lines = ScenarioFile.Lines;
        foreach (var (line, n) in lines.Select((l, i) => (l, i + 2)))
        {
            var e = line.E;
            var hl = line.Venue == "hyperliquid";
            Assert.True(SymbolOrder.Contains(line.Key), $"line {n}: unknown symbol {line.Key}");
            string[] keys = line.Type switch
            {
                "bar" => ["type", "t", "venue", "symbol", "market", "open", "interval", "o", "h", "l", "c", "v", "qv", .. hl ? Array.Empty<string>() : ["tb"], "closed"],
                "oi" => ["type", "t", "venue", "symbol", "coins", "usd"],
                "ticker" => ["type", "t", "venue", "symbol", "mark", "index", "last", "funding", "fundingHours", "nextFunding", "volume24h", "quoteVolume24h", .. hl ? ["oi"] : Array.Empty<string>()],
                "spot" => ["type", "t", "venue", "symbol", "spotSymbol", "price", "quoteVolume24h"],
                "book" => ["type", "t", "venue", "symbol", "bestBid", "bestAsk", "bidUsd", "askUsd", "reach", "levels"],
                _ => throw new Xunit.Sdk.XunitException($"line {n}: unknown type {line.Type}"),
            };
            Assert.True(keys.SequenceEqual(e.EnumerateObject().Select(p => p.Name)), $"line {n}: keys {string.Join(",", e.EnumerateObject().Select(p => p.Name))}");
            foreach (var p in e.EnumerateObject())
            {
                if (p.Value.ValueKind == JsonValueKind.Number)
                    Assert.True(double.IsFinite(p.Value.GetDouble()) && p.Value.GetDouble() >= 0 || p.Name == "funding", $"line {n}: {p.Name} = {p.Value}");
            }
            switch (line.Type)
            {
                case "bar":
                    Assert.Contains(Str(e, "market"), Markets);
                    Assert.True(Str(e, "market") == "perp" || line.Venue == "binance", $"line {n}: spot bar off Binance");
                    Assert.Equal(Stamp(line.T.AddMinutes(-5)), Str(e, "open"));
                    Assert.Equal("5m", Str(e, "interval"));
                    Assert.True(e.GetProperty("closed").GetBoolean());
                    break;
                case "ticker":
                    var hours = e.GetProperty("fundingHours").GetInt32();
                    Assert.Equal(hl ? 1 : 8, hours);
                    var next = Time(Str(e, "nextFunding"));
                    Assert.True(next > line.T && next <= line.T.AddHours(hours) && next.Hour % hours == 0 && next.Minute == 0, $"line {n}: nextFunding {Stamp(next)}");
                    Assert.InRange(Num(e, "funding"), -0.005, 0.005);
                    Assert.True(Num(e, "mark") > 0 && Num(e, "index") > 0 && Num(e, "last") > 0, $"line {n}: prices");
                    break;
                case "spot":
                    Assert.Equal("binance", line.Venue);
                    Assert.Equal(line.Symbol, Str(e, "spotSymbol"));
                    Assert.True(Num(e, "price") > 0);
                    break;
                case "book":
                    Assert.True(Num(e, "bestBid") > 0 && Num(e, "bestBid") < Num(e, "bestAsk"), $"line {n}: top of book");
                    foreach (var side in new[] { "bidUsd", "askUsd" })
                    {
                        var bands = Arr(e, side);
                        Assert.Equal(5, bands.Length);
                        Assert.True(bands[0] > 0, $"line {n}: {side} empty");
                        for (var i = 1; i < bands.Length; i++) Assert.True(bands[i] >= bands[i - 1], $"line {n}: {side} decreases");
                    }
                    Assert.InRange(Num(e, "reach"), 0.001, 1);
                    Assert.True(e.GetProperty("levels").TryGetInt32(out var levels) && levels > 0);
                    break;
            }
        }
    }

    [Fact]
    public void History_is_5_minute_and_playback_is_60_seconds()
    {
        var playFrom = Oct10FlushScenario.PlayFrom;
        foreach (var key in SymbolOrder)
        {
            foreach (var market in key.StartsWith("binance", StringComparison.Ordinal) ? new[] { "perp", "spot" } : ["perp"])
            {
                var bars = ScenarioFile.Bars(key, market);
                Assert.Equal(360, bars.Count); // 2025-10-09T19:00 -> 2025-10-11T01:00, contiguous
                Assert.Equal(Oct10FlushScenario.Start.AddMinutes(5), bars[0].T);
                for (var i = 1; i < bars.Count; i++) Assert.Equal(bars[i - 1].T.AddMinutes(5), bars[i].T);
                for (var i = 1; i < bars.Count; i++) Assert.Equal(Num(bars[i - 1].E, "c"), Num(bars[i].E, "o")); // continuous
            }
            Assert.All(Of("oi", key).Where(l => l.T < playFrom), l => Assert.Equal(0, l.T.Minute % 5));
            Assert.Equal(288 + 361, Of("oi", key).Count);
            Assert.All(Of("ticker", key).Where(l => l.T < playFrom), l => Assert.Equal(0, l.T.Minute));
            Assert.Equal(24 + 361, Of("ticker", key).Count);
            Assert.Equal(361, Of("book", key).Count);
            Assert.Equal(playFrom, Of("book", key)[0].T);
        }
        Assert.Equal(24 + 361, Of("spot", "binance:BTCUSDT").Count);
        Assert.Empty(Of("spot", "hyperliquid:BTC"));
    }

    [Fact]
    public void Every_bar_contains_its_open_and_close_with_positive_finite_volumes()
    {
        foreach (var bar in ScenarioFile.Lines.Where(l => l.Type == "bar"))
        {
            var (o, h, l, c, v, qv) = (Num(bar.E, "o"), Num(bar.E, "h"), Num(bar.E, "l"), Num(bar.E, "c"), Num(bar.E, "v"), Num(bar.E, "qv"));
            var what = $"{bar.Key} {bar.E.GetProperty("market")} bar {Stamp(bar.T)}";
            Assert.True(l > 0 && l <= Math.Min(o, c) && Math.Max(o, c) <= h && double.IsFinite(h), $"{what}: o {o} h {h} l {l} c {c}");
            Assert.True(v > 0 && qv > 0 && double.IsFinite(qv), $"{what}: volumes");
            Assert.InRange(qv / v, l * 0.999, h * 1.001); // the bar's VWAP lies in its range
            if (bar.E.TryGetProperty("tb", out var tb)) Assert.InRange(tb.GetDouble(), 0, v);
        }
    }

    [Fact]
    public void Binance_BTC_falls_by_the_stated_figure_inside_the_cascade_window()
    {
        var cascade = BarsBetween("binance:BTCUSDT", "perp", CascadeStart, CascadeEnd);
        var high = cascade.Max(b => Num(b.E, "h"));
        var low = cascade.Min(b => Num(b.E, "l"));

        Assert.Equal(Oct10FlushScenario.Stated.BtcHigh, high, 0.001 * high);
        Assert.Equal(Oct10FlushScenario.Stated.BtcLow, low, 0.001 * low);
        Assert.InRange(low, 102_000, 106_600); // E15's venue-dependent range of lows
        Assert.Equal(0.160, 1 - low / high, 0.003);
        Assert.Equal(low, ScenarioFile.Bars("binance:BTCUSDT", "perp").Min(b => Num(b.E, "l"))); // the day's low
        // The stated low prints at 21:21, inside the 21:20-21:25 bar (a wick).
        Assert.Equal(Oct10FlushScenario.Stated.BtcLow, Num(TickerAt("binance:BTCUSDT", Oct10FlushScenario.Stated.BtcLowAt).E, "last"));
    }

    [Fact]
    public void ETH_falls_harder_than_BTC()
    {
        var cascade = BarsBetween("binance:ETHUSDT", "perp", CascadeStart, CascadeEnd);
        var drop = 1 - cascade.Min(b => Num(b.E, "l")) / cascade.Max(b => Num(b.E, "h"));
        Assert.Equal(0.212, drop, 0.003);
        Assert.True(drop > Oct10FlushScenario.Stated.BtcDrop + 0.04);
    }

    [Fact]
    public void Hyperliquid_BTC_falls_112k_to_97k_in_21_15_to_21_27_at_its_own_level()
    {
        var from = Oct10FlushScenario.Stated.HlFromAt;
        var to = Oct10FlushScenario.Stated.HlLowAt;
        var window = Of("ticker", "hyperliquid:BTC").Where(l => l.T >= from && l.T <= to).ToList();
        var start = Num(window[0].E, "last");
        var low = window.MinBy(l => Num(l.E, "last"))!;

        Assert.Equal(112_000, start, 1);
        Assert.Equal(97_330, Num(low.E, "last"), 1);
        Assert.Equal(to, low.T);
        Assert.Equal(0.131, 1 - Num(low.E, "last") / start, 0.002);
        Assert.Equal(97_330, ScenarioFile.Bars("hyperliquid:BTC", "perp").Min(b => Num(b.E, "l")), 1);
        // Its own level: well under Binance at the same minute, and under Binance's low.
        Assert.True(Num(low.E, "last") < 0.95 * Num(TickerAt("binance:BTCUSDT", to).E, "last"));
        Assert.True(Num(low.E, "last") < Oct10FlushScenario.Stated.BtcLow * 0.97);
        // Outside the dislocation it tracks Binance within a few basis points.
        foreach (var t in CalmTimes.Select(Time))
            Assert.Equal(1, Num(TickerAt("hyperliquid:BTC", t).E, "last") / Num(TickerAt("binance:BTCUSDT", t).E, "last"), 0.002);
    }

    [Theory]
    [InlineData("binance:BTCUSDT", 0.26)]
    [InlineData("binance:ETHUSDT", 0.35)]
    [InlineData("hyperliquid:BTC", 0.57)]
    public void Open_interest_builds_then_falls_by_the_stated_share(string key, double stated)
    {
        var oi = Of("oi", key);
        var pre = oi.Where(l => l.T <= CascadeStart).ToList();
        var max = pre.Max(l => Num(l.E, "usd"));
        var min = oi.Where(l => l.T >= CascadeStart).Min(l => Num(l.E, "usd"));

        Assert.Equal(stated, 1 - min / max, 0.015);
        Assert.True(Num(pre[^1].E, "coins") > Num(pre[0].E, "coins") * 1.04, "OI builds through the history");
        Assert.True(oi.All(l => Num(l.E, "coins") > 0));
        // One side, coins x mark = usd.
        foreach (var tick in Of("ticker", key))
        {
            var point = oi.Single(l => l.T == tick.T);
            Assert.Equal(1, Num(point.E, "usd") / (Num(point.E, "coins") * Num(tick.E, "mark")), 0.001);
            if (tick.E.TryGetProperty("oi", out var coins)) Assert.Equal(Num(point.E, "coins"), coins.GetDouble());
        }
        // Partial rebuild only: below 90% of the pre-crash max at the end (R1 does not fire inside the file).
        Assert.True(Num(oi[^1].E, "usd") < 0.9 * max);
    }

    [Fact]
    public void Most_of_the_OI_drop_is_gone_by_the_end_of_the_cascade()
    {
        var oi = Of("oi", "binance:BTCUSDT");
        var atStart = Num(oi.Single(l => l.T == CascadeStart).E, "coins");
        var atEnd = Num(oi.Single(l => l.T == CascadeEnd).E, "coins");
        var min = oi.Min(l => Num(l.E, "coins"));
        Assert.Equal(Oct10FlushScenario.Stated.OiGoneByCascadeEnd, (atStart - atEnd) / (atStart - min), 0.06);
    }

    [Theory]
    [InlineData("binance:BTCUSDT", 0.000100, 0.000120, -0.000300)]
    [InlineData("binance:ETHUSDT", 0.000100, 0.000130, -0.000600)]
    [InlineData("hyperliquid:BTC", 0.000030, 0.000042, -0.000150)]
    public void Funding_is_hot_before_and_flips_negative_after_the_flush(string key, double lo, double hi, double min)
    {
        var tickers = Of("ticker", key);
        var before = tickers.Where(l => l.T <= CascadeStart).Select(l => Num(l.E, "funding")).ToList();
        Assert.All(before, f => Assert.InRange(f, lo, hi));
        Assert.True(before.Max() > hi * 0.97, "funding runs hot before the crash");

        var firstNegative = tickers.First(l => Num(l.E, "funding") < 0).T;
        Assert.InRange(firstNegative, CascadeStart, CascadeEnd);
        Assert.Equal(min, tickers.Min(l => Num(l.E, "funding")), Math.Abs(min) * 0.02);
        // Stays negative for at least an hour after the flush.
        Assert.All(tickers.Where(l => l.T >= CascadeEnd && l.T <= CascadeEnd.AddHours(1)), l => Assert.True(Num(l.E, "funding") < 0));
    }

    [Theory]
    [InlineData("binance:BTCUSDT", 244.0e6, 2.14e6, 114, "2025-10-10T21:21:00Z")]
    [InlineData("binance:ETHUSDT", 116.9e6, 0.57e6, 205, "2025-10-10T21:21:00Z")]
    [InlineData("hyperliquid:BTC", 18.0e6, 0.30e6, 60, "2025-10-10T21:27:00Z")]
    public void The_minus_1_percent_bid_depth_thins_by_the_stated_factor_then_partly_recovers(string key, double baseline, double min, double factor, string minAt)
    {
        var books = Of("book", key);
        var bid1 = books.Select(l => (l.T, Usd: Arr(l.E, "bidUsd")[1])).ToList();
        var measuredBase = Median(bid1.Where(b => b.T <= CascadeStart).Select(b => b.Usd));
        var lowest = bid1.MinBy(b => b.Usd);

        Assert.Equal(baseline, measuredBase, baseline * 0.03);
        Assert.Equal(min, lowest.Usd, min * 0.01);
        Assert.Equal(Time(minAt), lowest.T);
        Assert.Equal(factor, measuredBase / lowest.Usd, factor * 0.05);
        Assert.InRange(bid1[^1].Usd / baseline, 0.30, 0.55);          // partial recovery by 01:00
        Assert.True(bid1.Where(b => b.T >= Time(minAt)).Max(b => b.Usd) < 0.6 * baseline);
        // Not thin at the trigger (D04); the asks thin far less than the bids.
        Assert.InRange(bid1.Single(b => b.T == CascadeStart).Usd / baseline, 0.85, 1.15);
        var atMin = books.Single(l => l.T == lowest.T).E;
        Assert.True(Arr(atMin, "askUsd")[1] > 5 * Arr(atMin, "bidUsd")[1]);
        Assert.True(Num(atMin, "bestAsk") - Num(atMin, "bestBid") > 10 * (Num(books[0].E, "bestAsk") - Num(books[0].E, "bestBid")), "spread widens");
    }

    [Fact]
    public void The_rebound_retraces_the_stated_share_and_fails_below_the_pre_crash_high()
    {
        var bars = ScenarioFile.Bars("binance:BTCUSDT", "perp");
        var preCrashHigh = bars.Where(b => b.T <= CascadeStart).Max(b => Num(b.E, "h"));
        var low = Oct10FlushScenario.Stated.BtcLow;
        var reboundBars = BarsBetween("binance:BTCUSDT", "perp", CascadeEnd, Time("2025-10-10T23:00:00Z"));
        var top = reboundBars.MaxBy(b => Num(b.E, "h"))!;
        var retrace = (Num(top.E, "h") - low) / (Oct10FlushScenario.Stated.BtcHigh - low);

        Assert.Equal(0.55, retrace, 0.05);
        Assert.InRange(top.T, Time("2025-10-10T22:15:00Z"), Time("2025-10-10T22:45:00Z"));
        Assert.InRange(preCrashHigh, 122_500, 123_500); // "~123.0k" in the header
        Assert.True(bars.Where(b => b.T > CascadeEnd).Max(b => Num(b.E, "h")) < preCrashHigh * 0.95, "fails well below the pre-crash high");
        // Then chop: nothing after 23:00 reclaims the rebound top.
        Assert.True(bars.Where(b => b.T > Time("2025-10-10T23:00:00Z")).Max(b => Num(b.E, "h")) < Num(top.E, "h"));
    }

    [Fact]
    public void Mark_stays_near_index_except_the_stated_Hyperliquid_dislocation()
    {
        var from = Oct10FlushScenario.Stated.HlDislocationFrom;
        var to = Oct10FlushScenario.Stated.HlDislocationTo;
        var deepest = 0.0;
        foreach (var l in ScenarioFile.Lines.Where(l => l.Type == "ticker"))
        {
            var gap = Num(l.E, "mark") / Num(l.E, "index") - 1;
            var dislocation = l.Venue == "hyperliquid" && l.T >= from && l.T <= to;
            Assert.True(Math.Abs(gap) <= (dislocation ? Oct10FlushScenario.Stated.HlMaxDislocation : 0.02), $"{l.Key} {Stamp(l.T)}: mark/index {gap:P2}");
            if (dislocation) deepest = Math.Min(deepest, gap);
        }
        Assert.True(deepest < -0.06, $"the stated dislocation is there ({deepest:P2})");
        // Binance perps trade at a discount to spot in the cascade and a small premium before it.
        var btc = Of("ticker", "binance:BTCUSDT");
        Assert.True(btc.Where(l => l.T < CascadeStart).Average(l => Num(l.E, "mark") / Num(l.E, "index") - 1) > 0);
        Assert.True(Num(TickerAt("binance:BTCUSDT", Oct10FlushScenario.Stated.BtcLowAt).E, "mark") / Num(TickerAt("binance:BTCUSDT", Oct10FlushScenario.Stated.BtcLowAt).E, "index") < 0.997);
    }

    [Fact]
    public void Taker_buying_collapses_and_perp_volume_spikes_far_more_than_spot()
    {
        var playFrom = Oct10FlushScenario.PlayFrom;
        var perp = ScenarioFile.Bars("binance:BTCUSDT", "perp");
        var spot = ScenarioFile.Bars("binance:BTCUSDT", "spot");
        static double Share(Line b) => Num(b.E, "tb") / Num(b.E, "v");

        var calmShare = Median(perp.Where(b => b.T < CascadeStart).Select(Share));
        var cascadeShare = perp.Where(b => b.T > CascadeStart && b.T <= CascadeEnd).Min(Share);
        Assert.InRange(calmShare, 0.46, 0.54);
        Assert.True(cascadeShare < 0.32, $"taker-buy share bottoms at {cascadeShare:F2}");

        double Spike(List<Line> bars) =>
            bars.Where(b => b.T > CascadeStart && b.T <= CascadeEnd).Max(b => Num(b.E, "v")) /
            Median(bars.Where(b => b.T > playFrom.AddHours(-2) && b.T <= CascadeStart).Select(b => Num(b.E, "v")));
        var (perpSpike, spotSpike) = (Spike(perp), Spike(spot));
        Assert.True(perpSpike > 12, $"perp spike {perpSpike:F1}x");
        Assert.True(perpSpike > 2.5 * spotSpike, $"perp {perpSpike:F1}x vs spot {spotSpike:F1}x");
        // D14: spot ~0.21 of perp volume in calm hours.
        var ratio = spot.Where(b => b.T < CascadeStart).Sum(b => Num(b.E, "v")) / perp.Where(b => b.T < CascadeStart).Sum(b => Num(b.E, "v"));
        Assert.Equal(0.21, ratio, 0.02);
    }

    [Fact]
    public void The_steepest_minute_ends_at_21_15()
    {
        var last = Of("ticker", "binance:BTCUSDT").Where(l => l.T >= Oct10FlushScenario.PlayFrom).ToList();
        var steepest = Enumerable.Range(1, last.Count - 1).MinBy(i => Num(last[i].E, "last") / Num(last[i - 1].E, "last"));
        Assert.Equal(Oct10FlushScenario.Stated.PeakMinute, last[steepest].T);
    }

    // --- reading the file ------------------------------------------------------------------------------------------

    private sealed record Line(JsonElement E, DateTime T, string Type, string Venue, string Symbol)
    {
        public string Key => $"{Venue}:{Symbol}";
    }

    private static class ScenarioFile
    {
        private static readonly Lazy<byte[]> LazyBytes = new(Load);
        private static readonly Lazy<(JsonElement Header, List<Line> Lines)> Parsed = new(Parse);

        public static byte[] Bytes => LazyBytes.Value;
        public static JsonElement Header => Parsed.Value.Header;
        public static List<Line> Lines => Parsed.Value.Lines;

        public static List<Line> Bars(string key, string market) =>
            Lines.Where(l => l.Type == "bar" && l.Key == key && l.E.GetProperty("market").GetString() == market).ToList();

        // With PERPGUARD_WRITE_SCENARIO=1 the builder's output is written to the repository first.
        private static byte[] Load()
        {
            var path = Path.Combine(RepoRoot(), Oct10FlushScenario.RelativePath);
            if (Environment.GetEnvironmentVariable("PERPGUARD_WRITE_SCENARIO") == "1")
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, Encoding.UTF8.GetBytes(Oct10FlushScenario.Build()));
            }
            return File.ReadAllBytes(path);
        }

        private static (JsonElement, List<Line>) Parse()
        {
            var text = Encoding.UTF8.GetString(Bytes);
            var rows = text.Split('\n');
            Assert.Equal("", rows[^1]);
            using var header = JsonDocument.Parse(rows[0]);
            Assert.Equal("header", header.RootElement.GetProperty("type").GetString());
            var lines = new List<Line>(rows.Length);
            foreach (var row in rows.AsSpan(1, rows.Length - 2))
            {
                using var doc = JsonDocument.Parse(row);
                var e = doc.RootElement.Clone();
                lines.Add(new Line(e, Time(Str(e, "t")), Str(e, "type"), Str(e, "venue"), Str(e, "symbol")));
            }
            return (header.RootElement.Clone(), lines);
        }

        private static string RepoRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "PerpGuard.slnx"))) return dir.FullName;
            throw new InvalidOperationException("PerpGuard.slnx not found above " + AppContext.BaseDirectory);
        }
    }

    private static List<Line> Of(string type, string key) => ScenarioFile.Lines.Where(l => l.Type == type && l.Key == key).ToList();

    private static Line TickerAt(string key, DateTime t) => ScenarioFile.Lines.Single(l => l.Type == "ticker" && l.Key == key && l.T == t);

    // Bars whose open time lies in [from, to).
    private static List<Line> BarsBetween(string key, string market, DateTime from, DateTime to) =>
        ScenarioFile.Bars(key, market).Where(b => b.T > from && b.T <= to).ToList();

    private static string Str(JsonElement e, string name) =>
        e.GetProperty(name).ValueKind == JsonValueKind.String ? e.GetProperty(name).GetString()! : throw new Xunit.Sdk.XunitException($"{name} is not a string");

    private static double Num(JsonElement e, string name) => e.GetProperty(name).GetDouble();

    private static double[] Arr(JsonElement e, string name) => e.GetProperty(name).EnumerateArray().Select(x => x.GetDouble()).ToArray();

    private static DateTime Time(string s) =>
        DateTime.ParseExact(s, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    private static string Stamp(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }
}
