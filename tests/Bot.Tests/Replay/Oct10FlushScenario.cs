using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace PerpGuard.Bot.Tests.Replay;

/// <summary>
/// Builds the <c>oct10-flush</c> replay scenario: a synthetic long-liquidation flush shaped after the real event E15
/// (2025-10-10/11, ../shared/docs/events.md), as JSON Lines. Deterministic: a fixed seed, a small PRNG of our own, no
/// clock, invariant formatting. The committed file src/Bot/Replay/Scenarios/oct10-flush.jsonl is this output
/// (regenerate with <c>PERPGUARD_WRITE_SCENARIO=1 dotnet test tests/Bot.Tests --filter "FullyQualifiedName~Replay"</c>).
/// <para>
/// How a series is made: a few named phases give anchor values at anchor times; between anchors the value moves
/// along a straight line (in log for prices, OI and depth) plus noise that is pinned to zero at every anchor, so the
/// anchors (and the figures the header states) hold exactly. Everything is sampled on a 15-second grid; bars, tickers
/// and 24 h volumes are read off that grid.
/// </para>
/// </summary>
internal static class Oct10FlushScenario
{
    public const string Name = "oct10-flush";
    public const ulong Seed = 20251010;
    public const string RelativePath = "src/Bot/Replay/Scenarios/oct10-flush.jsonl";

    /// <summary>First line time (history starts).</summary>
    public static readonly DateTime Start = At("10-09 19:00");
    /// <summary>From here on the lines play at the speed factor; before it they are history loaded at once.</summary>
    public static readonly DateTime PlayFrom = At("10-10 19:00");
    /// <summary>Last line time.</summary>
    public static readonly DateTime End = At("10-11 01:00");

    /// <summary>The figures the header states and the tests check against the data.</summary>
    internal static class Stated
    {
        public static readonly DateTime CascadeStart = At("10-10 20:50");
        public static readonly DateTime CascadeEnd = At("10-10 21:30");
        public static readonly DateTime PeakMinute = At("10-10 21:15");

        // Binance BTCUSDT perp: E15 says ~$121-122k -> lows $102k-$106.6k (venue-dependent); we pick $102.0k.
        public const double BtcHigh = 121_500;
        public const double BtcLow = 102_000;
        public static readonly DateTime BtcLowAt = At("10-10 21:21"); // inside the 21:20 bar: a wick, not a bar edge
        public static double BtcDrop => 1 - BtcLow / BtcHigh;

        // Binance ETHUSDT perp: events.md gives no ETH price, only that alts fell much more; our pick.
        public const double EthHigh = 4_360;
        public const double EthLow = 3_435;
        public static double EthDrop => 1 - EthLow / EthHigh;

        // Hyperliquid BTC: $112k -> $97k (-13.1%) within 21:15-21:27, at its own level.
        public const double HlFrom = 112_000;
        public const double HlLow = 97_330;
        public static readonly DateTime HlFromAt = At("10-10 21:15");
        public static readonly DateTime HlLowAt = At("10-10 21:27");
        public static double HlDrop => 1 - HlLow / HlFrom;
        /// <summary>HL mark may sit this far under its oracle index inside the dislocation window.</summary>
        public const double HlMaxDislocation = 0.08;
        public static readonly DateTime HlDislocationFrom = At("10-10 21:15");
        public static readonly DateTime HlDislocationTo = At("10-10 21:40");

        // OI in USD, pre-crash max -> minimum.
        public const double BtcOiDrop = 0.26;
        public const double EthOiDrop = 0.35;
        public const double HlOiDrop = 0.57;
        /// <summary>Share of Binance BTCUSDT's coin OI drop (20:50 -> minimum) already gone at 21:30.</summary>
        public const double OiGoneByCascadeEnd = 0.70;

        // -1% bid depth (USD), baseline -> minimum.
        public const double BtcBid1Base = 244.0e6;
        public const double BtcBid1Min = 2.14e6;
        public const double EthBid1Base = 116.9e6;
        public const double EthBid1Min = 0.57e6;
        public const double HlBid1Base = 18.0e6;
        public const double HlBid1Min = 0.30e6;
        /// <summary>-1% bid depth at the end, as a share of baseline (partial recovery).</summary>
        public const double Bid1AtEnd = 0.40;

        // Rebound attempt: Binance BTC retraces this share of the drop by 22:30, and fails below the pre-crash high.
        public static readonly DateTime ReboundAt = At("10-10 22:30");
        public const double ReboundRetrace = 0.55;

        // Funding per interval.
        public const double BtcFundingLo = 0.000100;
        public const double BtcFundingHi = 0.000120;
        public const double BtcFundingMin = -0.000300;
        public const double EthFundingHi = 0.000130;
        public const double EthFundingMin = -0.000600;
        public const double HlFundingHi = 0.0000420;
        public const double HlFundingMin = -0.000150;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The scenario as named phases. Times are 2025 UTC ("MM-dd HH:mm"). History starts a day before Start so 24 h
    // volumes are full from the first ticker.

    // Binance BTCUSDT perp last price.
    private static readonly Anchor[] BtcPrice =
    [
        // warm-up and history: calm, range 120.7k-122.5k
        A("10-08 19:00", 121_300), A("10-09 00:00", 121_050), A("10-09 06:00", 120_700), A("10-09 12:00", 121_200),
        A("10-09 19:00", 121_000), A("10-10 00:00", 121_600), A("10-10 06:00", 122_000), A("10-10 12:00", 122_450),
        A("10-10 15:00", 121_950), A("10-10 17:00", 122_100), A("10-10 19:00", 121_900),
        // drift / softening 19:00-20:50: lower highs
        A("10-10 19:30", 121_750), A("10-10 20:00", 121_850), A("10-10 20:20", 121_650), A("10-10 20:40", 121_700),
        // cascade 20:50-21:30: peak minute 21:14-21:15, low 21:21
        A("10-10 20:50", Stated.BtcHigh), A("10-10 21:00", 119_800), A("10-10 21:05", 118_600), A("10-10 21:10", 117_000),
        A("10-10 21:14", 115_800), A("10-10 21:15", 112_000), A("10-10 21:17", 107_800), A("10-10 21:21", Stated.BtcLow),
        A("10-10 21:23", 105_800), A("10-10 21:27", 104_900), A("10-10 21:30", 107_600),
        // rebound attempt to 22:30 (~55% retrace), fails
        A("10-10 21:45", 109_800), A("10-10 22:00", 110_600), A("10-10 22:15", 111_500), A("10-10 22:30", 112_700),
        A("10-10 22:45", 111_600), A("10-10 23:00", 110_400),
        // chop
        A("10-10 23:30", 111_300), A("10-11 00:00", 110_200), A("10-11 00:30", 111_000), A("10-11 01:00", 110_500),
    ];

    // Binance ETHUSDT perp last price: same phases, harder fall.
    private static readonly Anchor[] EthPrice =
    [
        A("10-08 19:00", 4_335), A("10-09 00:00", 4_320), A("10-09 06:00", 4_300), A("10-09 12:00", 4_345),
        A("10-09 19:00", 4_350), A("10-10 00:00", 4_372), A("10-10 06:00", 4_395), A("10-10 12:00", 4_412),
        A("10-10 15:00", 4_378), A("10-10 17:00", 4_390), A("10-10 19:00", 4_382),
        A("10-10 19:30", 4_371), A("10-10 20:00", 4_377), A("10-10 20:20", 4_368), A("10-10 20:40", 4_370),
        A("10-10 20:50", Stated.EthHigh), A("10-10 21:00", 4_300), A("10-10 21:05", 4_240), A("10-10 21:10", 4_100),
        A("10-10 21:14", 3_995), A("10-10 21:15", 3_820), A("10-10 21:17", 3_640), A("10-10 21:21", Stated.EthLow),
        A("10-10 21:23", 3_610), A("10-10 21:27", 3_560), A("10-10 21:30", 3_690),
        A("10-10 21:45", 3_760), A("10-10 22:00", 3_795), A("10-10 22:15", 3_850), A("10-10 22:30", 3_905),
        A("10-10 22:45", 3_850), A("10-10 23:00", 3_800),
        A("10-10 23:30", 3_835), A("10-11 00:00", 3_775), A("10-11 00:30", 3_815), A("10-11 01:00", 3_790),
    ];

    // Hyperliquid BTC: log spread over Binance BTCUSDT perp. ~+1 bp normally; its own, lower level in 21:15-21:35.
    private static readonly Anchor[] HlSpread =
    [
        A("10-08 19:00", 0.0001), A("10-10 21:10", 0.0001),
        A("10-10 21:15", Math.Log(Stated.HlFrom / 112_000)),   // Binance is at 112,000 too at 21:15
        A("10-10 21:21", Math.Log(100_600 / Stated.BtcLow)),
        A("10-10 21:23", Math.Log(101_300 / 105_800.0)),
        A("10-10 21:27", Math.Log(Stated.HlLow / 104_900)),    // HL low while Binance trades at 104,900
        A("10-10 21:30", Math.Log(104_900 / 107_600.0)),
        A("10-10 21:35", -0.0060), A("10-10 21:45", -0.0005), A("10-10 22:00", 0.0001), A("10-11 01:00", 0.0001),
    ];

    // Price noise scale: log-sd per 15 s step for BTC (ETH and HL derive from it).
    private static readonly Anchor[] Sigma =
    [
        A("10-08 19:00", 0.00022), A("10-10 19:00", 0.00022), A("10-10 20:45", 0.00030), A("10-10 20:50", 0.00060),
        A("10-10 21:00", 0.00110), A("10-10 21:10", 0.00150), A("10-10 21:15", 0.00180), A("10-10 21:20", 0.00180),
        A("10-10 21:30", 0.00140), A("10-10 22:00", 0.00090), A("10-10 22:30", 0.00070), A("10-10 23:00", 0.00050),
        A("10-11 01:00", 0.00040),
    ];

    // Perp premium over spot (fraction); ETH uses 1.6x.
    private static readonly Anchor[] Premium =
    [
        A("10-08 19:00", 0.0003), A("10-10 12:00", 0.0004), A("10-10 19:00", 0.0003), A("10-10 20:50", 0.0002),
        A("10-10 21:00", -0.0005), A("10-10 21:10", -0.0012), A("10-10 21:15", -0.0030), A("10-10 21:21", -0.0045),
        A("10-10 21:27", -0.0030), A("10-10 21:30", -0.0020), A("10-10 21:45", -0.0010), A("10-10 22:30", -0.0004),
        A("10-11 01:00", -0.0003),
    ];

    // Predicted funding per interval: hot before, flips negative after the flush.
    private static readonly Anchor[] BtcFunding =
    [
        A("10-08 19:00", 0.000100), A("10-09 19:00", 0.000105), A("10-10 06:00", 0.000115), A("10-10 14:00", Stated.BtcFundingHi),
        A("10-10 19:00", 0.000112), A("10-10 20:50", Stated.BtcFundingLo), A("10-10 21:10", 0.000040), A("10-10 21:15", 0.000005),
        A("10-10 21:20", -0.000080), A("10-10 21:40", Stated.BtcFundingMin), A("10-10 22:30", -0.000120),
        A("10-10 23:30", -0.000050), A("10-11 00:00", -0.000030), A("10-11 01:00", -0.000020),
    ];

    private static readonly Anchor[] EthFunding =
    [
        A("10-08 19:00", 0.000100), A("10-09 19:00", 0.000108), A("10-10 06:00", 0.000120), A("10-10 14:00", Stated.EthFundingHi),
        A("10-10 19:00", 0.000118), A("10-10 20:50", 0.000100), A("10-10 21:10", 0.000030), A("10-10 21:15", -0.000010),
        A("10-10 21:20", -0.000150), A("10-10 21:40", Stated.EthFundingMin), A("10-10 22:30", -0.000250),
        A("10-10 23:30", -0.000090), A("10-11 00:00", -0.000060), A("10-11 01:00", -0.000040),
    ];

    private static readonly Anchor[] HlFunding = // per hour
    [
        A("10-08 19:00", 0.0000330), A("10-09 19:00", 0.0000350), A("10-10 06:00", 0.0000400), A("10-10 14:00", Stated.HlFundingHi),
        A("10-10 19:00", 0.0000380), A("10-10 20:50", 0.0000300), A("10-10 21:15", 0.0000100), A("10-10 21:27", -0.0000600),
        A("10-10 21:40", Stated.HlFundingMin), A("10-10 22:30", -0.0000500), A("10-10 23:30", -0.0000150),
        A("10-11 01:00", -0.0000080),
    ];

    // Open interest, coins (one side). Building before; ~70% of the drop by 21:30; partial rebuild.
    private static readonly Anchor[] BtcOi =
    [
        A("10-08 19:00", 90_500), A("10-09 19:00", 91_800), A("10-10 12:00", 95_600), A("10-10 19:00", 97_400),
        A("10-10 20:50", 98_300), A("10-10 21:00", 97_200), A("10-10 21:05", 96_100), A("10-10 21:10", 94_200),
        A("10-10 21:14", 92_600), A("10-10 21:15", 90_800), A("10-10 21:17", 88_700), A("10-10 21:21", 86_650),
        A("10-10 21:23", 86_500), A("10-10 21:27", 86_400), A("10-10 21:30", 86_300), A("10-10 21:45", 84_600),
        A("10-10 22:00", 82_800), A("10-10 22:15", 81_200), A("10-10 22:30", 81_500), A("10-10 23:00", 81_700),
        A("10-11 00:00", 82_300), A("10-11 01:00", 82_800),
    ];

    private static readonly Anchor[] EthOi =
    [
        A("10-08 19:00", 2_080_000), A("10-09 19:00", 2_105_000), A("10-10 12:00", 2_160_000), A("10-10 19:00", 2_190_000),
        A("10-10 20:50", 2_214_000), A("10-10 21:00", 2_195_000), A("10-10 21:05", 2_170_000), A("10-10 21:10", 2_120_000),
        A("10-10 21:14", 2_070_000), A("10-10 21:15", 2_000_000), A("10-10 21:17", 1_920_000), A("10-10 21:21", 1_826_600),
        A("10-10 21:23", 1_815_000), A("10-10 21:27", 1_805_000), A("10-10 21:30", 1_795_000), A("10-10 21:45", 1_755_000),
        A("10-10 22:00", 1_720_000), A("10-10 22:15", 1_700_000), A("10-10 23:00", 1_705_000), A("10-11 01:00", 1_722_000),
    ];

    private static readonly Anchor[] HlOi =
    [
        A("10-08 19:00", 35_200), A("10-09 19:00", 35_900), A("10-10 12:00", 37_300), A("10-10 19:00", 38_100),
        A("10-10 20:50", 38_400), A("10-10 21:00", 37_900), A("10-10 21:05", 37_200), A("10-10 21:10", 36_000),
        A("10-10 21:14", 35_000), A("10-10 21:15", 33_600), A("10-10 21:17", 31_000), A("10-10 21:20", 28_000),
        A("10-10 21:23", 24_500), A("10-10 21:27", 20_610), A("10-10 21:30", 20_300), A("10-10 21:45", 20_000),
        A("10-10 22:00", 19_900), A("10-10 22:15", 19_850), A("10-10 23:00", 20_200), A("10-11 01:00", 20_900),
    ];

    // -1% bid depth as a share of baseline. Not thin at the trigger (D04); minimum at each venue's low; partial recovery.
    private static Anchor[] BidDepth(DateTime minAt, double min)
    {
        List<Anchor> a =
        [
            A("10-10 19:00", 1), A("10-10 20:50", 1), A("10-10 20:55", 0.8), A("10-10 21:00", 0.5), A("10-10 21:05", 0.25),
            A("10-10 21:10", 0.1), A("10-10 21:14", 0.045), A("10-10 21:15", 0.03), A("10-10 21:17", 0.022),
            new(minAt, min),
        ];
        if (minAt < At("10-10 21:23")) a.Add(A("10-10 21:23", 0.022));
        else a.AddRange([A("10-10 21:23", 0.03), A("10-10 21:26", 0.024)]); // Hyperliquid: thins to its own, later low
        a.AddRange([
            A("10-10 21:30", 0.05), A("10-10 21:45", 0.1), A("10-10 22:00", 0.16), A("10-10 22:30", 0.24),
            A("10-10 23:00", 0.29), A("10-11 00:00", 0.35), A("10-11 01:00", Stated.Bid1AtEnd),
        ]);
        return [.. a];
    }

    // Perp volume multiplier (x the calm level); spot moves 0.2 as much.
    private static readonly Anchor[] VolumeBoost =
    [
        A("10-08 19:00", 1), A("10-10 19:00", 1.1), A("10-10 20:50", 1.4), A("10-10 21:00", 4), A("10-10 21:10", 10),
        A("10-10 21:15", 24), A("10-10 21:20", 18), A("10-10 21:30", 9), A("10-10 21:45", 5), A("10-10 22:00", 4),
        A("10-10 22:30", 3.5), A("10-10 23:00", 2.4), A("10-11 00:00", 1.9), A("10-11 01:00", 1.6),
    ];

    // Taker-buy share of perp volume: collapses in the cascade, buyers return on the rebound.
    private static readonly Anchor[] TakerBuy =
    [
        A("10-08 19:00", 0.505), A("10-10 20:50", 0.48), A("10-10 21:00", 0.36), A("10-10 21:15", 0.22),
        A("10-10 21:20", 0.25), A("10-10 21:30", 0.56), A("10-10 22:30", 0.53), A("10-11 01:00", 0.50),
    ];

    // ---------------------------------------------------------------------------------------------------------------

    private static readonly DateTime GridStart = At("10-08 19:00");
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(15);
    private const int StepsPerBar = 20;        // 5 minutes
    private const int StepsPerDay = 5760;      // 24 hours
    private static readonly int Steps = Ix(End) + 1;

    /// <summary>The scenario as JSON Lines (UTF-8 text, <c>\n</c> line ends).</summary>
    public static string Build()
    {
        var btc = MakeBinanceBtc(out var market, out var btcSpot);
        var eth = MakeBinanceEth(market);
        var hl = MakeHyperliquidBtc(btc, btcSpot);
        Symbol[] symbols = [btc, eth, hl];

        var buffer = new ArrayBufferWriter<byte>(1 << 21);
        using var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        void EndLine()
        {
            w.WriteEndObject();
            w.Flush();
            buffer.Write("\n"u8);
            w.Reset(buffer);
        }

        WriteHeader(w);
        EndLine();
        for (var t = Start; t <= End; t += TimeSpan.FromMinutes(1))
        {
            var history = t < PlayFrom;
            var k = Ix(t);
            if (t > Start && t.Minute % 5 == 0)
            {
                foreach (var s in symbols)
                {
                    WriteBar(w, s, s.Perp, t, "perp");
                    EndLine();
                    if (s.Spot is { } spot)
                    {
                        WriteBar(w, s, spot, t, "spot");
                        EndLine();
                    }
                }
            }
            if (!history || t.Minute % 5 == 0)
                foreach (var s in symbols) { WriteOi(w, s, k, t); EndLine(); }
            if (!history || t.Minute == 0)
            {
                foreach (var s in symbols) { WriteTicker(w, s, k, t); EndLine(); }
                foreach (var s in symbols)
                {
                    if (s.Spot is null) continue;
                    WriteSpot(w, s, k, t);
                    EndLine();
                }
            }
            if (!history)
                foreach (var s in symbols) { WriteBook(w, s, k, t); EndLine(); }
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    // --- the three symbols -------------------------------------------------------------------------------------------

    private sealed class Series
    {
        public required double[] Price { get; init; }
        public required double[] Volume { get; init; }       // base units per step
        public double[]? BuyShare { get; init; }             // taker-buy share per step
    }

    private sealed class Symbol
    {
        public required string Venue { get; init; }
        public required string Name { get; init; }
        public required int Decimals { get; init; }
        public required double Tick { get; init; }
        public required int FundingHours { get; init; }
        public required Series Perp { get; init; }
        public Series? Spot { get; init; }
        public required double[] Mark { get; init; }
        public required double[] Index { get; init; }
        public required double[] Funding { get; init; }
        public required double[] OiCoins { get; init; }
        public required bool TickerOi { get; init; }
        public required double[] BidDepth { get; init; }     // -1% bid USD
        public required double BidDepthBase { get; init; }   // its baseline
        public required double Kappa { get; init; }
        public required int Levels { get; init; }
    }

    private static Symbol MakeBinanceBtc(out double[] market, out double[] spot)
    {
        var sigma = Curve(Sigma, log: false);
        var rng = new Rng(Seed, 1);
        market = Walk(rng, sigma, 1);
        var price = Exp(Add(Curve(BtcPrice, log: true), Pin(market, BtcPrice)));
        Jitter(price, sigma, new Rng(Seed, 5), BtcFigures);
        for (var k = 0; k < Steps; k++)
        {
            price[k] = Math.Max(price[k], Stated.BtcLow);
            if (InCascade(k)) price[k] = Math.Min(price[k], Stated.BtcHigh);
        }
        var premium = Add(Curve(Premium, log: false), Ar1(new Rng(Seed, 2), 0.9, 0.00006));
        spot = SpotFrom(price, premium, new Rng(Seed, 3));
        return MakeBinance("BTCUSDT", 1, 0.1, price, spot, premium, sigma, new Rng(Seed, 4), perpPer5m: 550, spotPer5m: 115,
            BtcFunding, Stated.BtcFundingMin, BtcOi, BidDepth(Stated.BtcLowAt, Stated.BtcBid1Min / Stated.BtcBid1Base),
            Stated.BtcBid1Base, kappa: 1.13, fundingClamp: (Stated.BtcFundingLo, Stated.BtcFundingHi));
    }

    private static Symbol MakeBinanceEth(double[] market)
    {
        var sigma = Curve(Sigma, log: false);
        var rng = new Rng(Seed, 11);
        var own = Walk(rng, sigma, 0.6);
        var walk = new double[Steps];
        for (var k = 0; k < Steps; k++) walk[k] = 1.2 * market[k] + own[k];
        var price = Exp(Add(Curve(EthPrice, log: true), Pin(walk, EthPrice)));
        Jitter(price, sigma, new Rng(Seed, 15), EthFigures);
        for (var k = 0; k < Steps; k++)
        {
            price[k] = Math.Max(price[k], Stated.EthLow);
            if (InCascade(k)) price[k] = Math.Min(price[k], Stated.EthHigh);
        }
        var premium = Scale(Add(Curve(Premium, log: false), Ar1(new Rng(Seed, 12), 0.9, 0.00006)), 1.6);
        var spot = SpotFrom(price, premium, new Rng(Seed, 13));
        for (var k = 0; k < Steps; k++) sigma[k] *= 1.3;
        return MakeBinance("ETHUSDT", 2, 0.01, price, spot, premium, sigma, new Rng(Seed, 14), perpPer5m: 12_000, spotPer5m: 2_800,
            EthFunding, Stated.EthFundingMin, EthOi, BidDepth(Stated.BtcLowAt, Stated.EthBid1Min / Stated.EthBid1Base),
            Stated.EthBid1Base, kappa: 1.35, fundingClamp: (0.000100, Stated.EthFundingHi));
    }

    private static Symbol MakeBinance(string name, int decimals, double tick, double[] price, double[] spot, double[] premium,
        double[] sigma, Rng rng, double perpPer5m, double spotPer5m, Anchor[] funding, double fundingMin, Anchor[] oi,
        Anchor[] depth, double depthBase, double kappa, (double Lo, double Hi) fundingClamp)
    {
        var index = new double[Steps];
        var mark = new double[Steps];
        var indexNoise = Ar1(rng, 0.8, 0.00003);
        for (var k = 0; k < Steps; k++)
        {
            index[k] = spot[k] * Math.Exp(indexNoise[k]);
            mark[k] = index[k] * (1 + premium[k]);
        }
        var boost = Exp(Curve(VolumeBoost, log: true));
        var spotBoost = new double[Steps];
        for (var k = 0; k < Steps; k++) spotBoost[k] = 1 + (boost[k] - 1) * 0.2;
        var fund = Add(Curve(funding, log: false), Pin(Ar1(rng, 0.95, 0.0000015), funding));
        for (var k = 0; k < Steps; k++)
        {
            fund[k] = Math.Max(fund[k], fundingMin);
            if (Time(k) <= Stated.CascadeStart) fund[k] = Math.Clamp(fund[k], fundingClamp.Lo, fundingClamp.Hi);
        }
        return new Symbol
        {
            Venue = "binance", Name = name, Decimals = decimals, Tick = tick, FundingHours = 8,
            Perp = new Series
            {
                Price = price, Volume = Volumes(rng, perpPer5m, boost, price, sigma),
                BuyShare = BuyShares(rng, Curve(TakerBuy, log: false), price, sigma, 1),
            },
            Spot = new Series
            {
                Price = spot, Volume = Volumes(rng, spotPer5m, spotBoost, spot, sigma),
                BuyShare = BuyShares(rng, Curve(TakerBuy, log: false), spot, sigma, 0.5),
            },
            Mark = mark, Index = index, Funding = fund, OiCoins = OiPath(rng, oi), TickerOi = false,
            BidDepth = DepthPath(rng, depth, depthBase), BidDepthBase = depthBase, Kappa = kappa, Levels = 1000,
        };
    }

    private static Symbol MakeHyperliquidBtc(Symbol btc, double[] btcSpot)
    {
        var rng = new Rng(Seed, 21);
        var spread = Add(Curve(HlSpread, log: false), Pin(Ar1(rng, 0.9, 0.00004), HlSpread));
        var price = new double[Steps];
        var mark = new double[Steps];
        var index = new double[Steps];
        var markNoise = Ar1(rng, 0.5, 0.00002);
        var oracleNoise = Ar1(rng, 0.8, 0.00003);
        for (var k = 0; k < Steps; k++)
        {
            price[k] = Math.Max(btc.Perp.Price[k] * Math.Exp(spread[k]), Stated.HlLow);
            mark[k] = k == Ix(Stated.HlFromAt) || k == Ix(Stated.HlLowAt) ? price[k] : price[k] * Math.Exp(markNoise[k]);
            index[k] = btcSpot[k] * Math.Exp(oracleNoise[k]); // oracle: CEX spot
        }
        var sigma = Curve(Sigma, log: false);
        var fund = Add(Curve(HlFunding, log: false), Pin(Ar1(rng, 0.95, 0.0000010), HlFunding));
        for (var k = 0; k < Steps; k++)
        {
            fund[k] = Math.Max(fund[k], Stated.HlFundingMin);
            if (Time(k) <= Stated.CascadeStart) fund[k] = Math.Clamp(fund[k], 0.0000300, Stated.HlFundingHi);
        }
        var depthMin = Stated.HlBid1Min / Stated.HlBid1Base;
        return new Symbol
        {
            Venue = "hyperliquid", Name = "BTC", Decimals = 0, Tick = 1, FundingHours = 1,
            Perp = new Series { Price = price, Volume = Volumes(rng, 140, Exp(Curve(VolumeBoost, log: true)), price, sigma) },
            Mark = mark, Index = index, Funding = fund, OiCoins = OiPath(rng, HlOi), TickerOi = true,
            BidDepth = DepthPath(rng, BidDepth(Stated.HlLowAt, depthMin), Stated.HlBid1Base), BidDepthBase = Stated.HlBid1Base,
            Kappa = 1.16, Levels = 40,
        };
    }

    // Anchors that carry a stated figure (the cascade high and low; 21:15 and 21:27 also fix Hyperliquid's level).
    private static readonly Anchor[] BtcFigures =
        [A("10-08 19:00", 0), A("10-10 20:50", 0), A("10-10 21:15", 0), A("10-10 21:21", 0), A("10-10 21:27", 0)];
    private static readonly Anchor[] EthFigures = [A("10-08 19:00", 0), A("10-10 20:50", 0), A("10-10 21:21", 0)];

    /// <summary>Tick-level noise (half the step scale) pinned only at the figure anchors, so the other anchors do not print as round numbers.</summary>
    private static void Jitter(double[] price, double[] sigma, Rng rng, Anchor[] figures)
    {
        var unit = Pin(Ar1(rng, 0.6, 1), figures);
        for (var k = 0; k < Steps; k++) price[k] *= Math.Exp(0.5 * sigma[k] * unit[k]);
    }

    private static double[] SpotFrom(double[] perp, double[] premium, Rng rng)
    {
        var noise = Ar1(rng, 0.8, 0.00004);
        var spot = new double[Steps];
        for (var k = 0; k < Steps; k++) spot[k] = perp[k] / (1 + premium[k]) * Math.Exp(noise[k]);
        return spot;
    }

    private static double[] Volumes(Rng rng, double per5m, double[] boost, double[] price, double[] sigma)
    {
        var v = new double[Steps];
        for (var k = 0; k < Steps; k++)
        {
            var t = Time(k);
            var hour = t.Hour + t.Minute / 60.0;
            var season = 1 + 0.25 * Math.Cos(2 * Math.PI * (hour - 15) / 24);
            var move = k == 0 ? 0 : Math.Abs(Math.Log(price[k] / price[k - 1])) / sigma[k];
            v[k] = per5m / StepsPerBar * season * boost[k] * Math.Exp(0.35 * rng.Normal() - 0.061) * (1 + 0.3 * move) / 1.24;
        }
        return v;
    }

    private static double[] BuyShares(Rng rng, double[] level, double[] price, double[] sigma, double strength)
    {
        var s = new double[Steps];
        for (var k = 0; k < Steps; k++)
        {
            var r = k == 0 ? 0 : Math.Log(price[k] / price[k - 1]) / sigma[k];
            var l = 0.5 + (level[k] - 0.5) * strength;
            s[k] = Math.Clamp(l + 0.10 * Math.Tanh(r / 2) + 0.03 * rng.Normal(), 0.05, 0.95);
        }
        return s;
    }

    private static double[] OiPath(Rng rng, Anchor[] anchors) =>
        Exp(Add(Curve(anchors, log: true), Pin(Ar1(rng, 0.97, 0.0007), anchors)));

    private static double[] DepthPath(Rng rng, Anchor[] anchors, double baseline)
    {
        var min = anchors.Min(a => a.Value);
        var noise = Ar1(rng, 0.85, 0.05);
        var share = Curve(anchors, log: true);
        var d = new double[Steps];
        for (var k = 0; k < Steps; k++)
        {
            var isMin = anchors.Any(a => a.Value == min && Ix(a.Time) == k);
            // The minimum is hit once, at its anchor; noise elsewhere stays a little above it.
            d[k] = baseline * (isMin ? min : Math.Max(Math.Exp(share[k] + noise[k]), min * 1.1));
        }
        return d;
    }

    // --- lines ---------------------------------------------------------------------------------------------------------

    private static void WriteHeader(Utf8JsonWriter w)
    {
        var inv = CultureInfo.InvariantCulture;
        w.WriteStartObject();
        w.WriteString("type", "header");
        w.WriteString("name", Name);
        w.WriteString("title", "Long-liquidation flush shaped after 2025-10-10/11 (E15): Binance BTC -16% in 30 min, ETH -21%, Hyperliquid BTC -13.1% at its own level; synthetic");
        w.WriteString("built", string.Create(inv,
            $"synthetic, not recorded data: deterministic builder tests/Bot.Tests/Replay/Oct10FlushScenario.cs, SplitMix64 seed {Seed}, no clock; each series is a few named phases (anchor values at anchor times) plus noise pinned to zero at the anchors, on a 15 s grid; history {Stamp(Start)} to {Stamp(PlayFrom)}: 5m perp and spot bars, OI every 5 min, ticker and spot hourly; playback to {Stamp(End)}: ticker, spot, book (band depth) and OI every 60 s, 5m bars; HL BTC prices in whole dollars (its 5 significant figures)"));
        w.WriteStartArray("follows");
        foreach (var f in Follows()) w.WriteStringValue(f);
        w.WriteEndArray();
        w.WriteString("start", Stamp(Start));
        w.WriteString("playFrom", Stamp(PlayFrom));
        w.WriteString("end", Stamp(End));
        w.WriteStartArray("symbols");
        w.WriteStringValue("binance:BTCUSDT");
        w.WriteStringValue("binance:ETHUSDT");
        w.WriteStringValue("hyperliquid:BTC");
        w.WriteEndArray();
    }

    /// <summary>The public figures followed, as the header lists them.</summary>
    public static IReadOnlyList<string> Follows()
    {
        var inv = CultureInfo.InvariantCulture;
        return
        [
            "E15: cascade 20:50-21:30 UTC, peak minute 21:15, ~70% of the damage in 40 min [E19] -> the steepest 1-minute drop of Binance BTCUSDT ends at 21:15; 70% of its OI coin drop (20:50 to the minimum) is gone by 21:30",
            string.Create(inv, $"E15: BTC ~$121-122k -> lows $102k-$106.6k, venue-dependent [E20] -> Binance BTCUSDT perp {Stated.BtcHigh:N1} at 20:50 -> {Stated.BtcLow:N1} at 21:21, -{Pct(Stated.BtcDrop, 1)} peak-to-trough in 20:50-21:30 (we picked the low end of the range for the Binance perp)"),
            string.Create(inv, $"E15: Hyperliquid BTC $112k -> $97k (-13.1%) in 21:15-21:27 [E20] -> HL BTC {Stated.HlFrom:N0} at 21:15 -> {Stated.HlLow:N0} at 21:27 (-{Pct(Stated.HlDrop, 1)}); HL trades at its own level, ~7% under Binance at its low, its mark up to {Pct(Stated.HlMaxDislocation, 0)} under its oracle index in 21:15-21:40 (the one stated mark/index dislocation)"),
            string.Create(inv, $"E15: alts fell much more than BTC (average token open-to-low -47% CoinDesk / -63% ltrd) [E20] -> Binance ETHUSDT perp {Stated.EthHigh:N2} -> {Stated.EthLow:N2} at 21:21 (-{Pct(Stated.EthDrop, 1)}); events.md gives no ETH price, the figure is ours"),
            string.Create(inv, $"E15: BTC futures OI -25% (-$36.7B) [E20], BTC OI -30% [E27] -> Binance BTCUSDT OI (USD) -{Pct(Stated.BtcOiDrop, 0)} from the pre-crash max to the minimum (coins about -17%)"),
            string.Create(inv, $"E15: Hyperliquid OI $14B -> $6B (-57%) [E20] -> HL BTC OI (USD) -{Pct(Stated.HlOiDrop, 0)}, most of it in 21:15-21:27 (HL ADL closed $2.1B in 12 min [E26])"),
            string.Create(inv, $"E15: total perp OI $217B -> $123B (-43%) [E20] -> Binance ETHUSDT OI (USD) -{Pct(Stated.EthOiDrop, 0)} (our pick for ETH)"),
            string.Create(inv, $"E15: Binance BTCUSDT -1% bid depth $244.0M baseline -> $2.14M minimum (114x) [E24] -> same, minimum at 21:21, back to ~{Pct(Stated.Bid1AtEnd, 0)} of baseline by 01:00"),
            "E15: Binance ETHUSDT -1% bid depth $116.9M -> $0.57M (205x) [E24] -> same, minimum at 21:21",
            "D04: depth at the trigger is not yet thin, the collapse comes after [E24] -> -1% depth holds its baseline until 20:50",
            "D08: cumulative depth D(u) = B*u^k, k BTC 1.13, ETH 1.35, median 1.16 [E24] -> band shape of bidUsd/askUsd; far bands thin less than near ones (-5% band about -94% at the minimum vs E15 'depth -90%+' [E25]); HL uses k 1.16 and an assumed $18.0M -> $0.30M (60x) -1% bid depth (events.md gives no HL depth)",
            "D01: +1% ask depth ~0.92 of -1% bid depth [E21] -> askUsd baseline; asks thin as the square root of the bid collapse (our choice)",
            string.Create(inv, $"E15: funding near 40% APR before the event [E25] -> Binance BTCUSDT {Pct(Stated.BtcFundingLo, 4)}-{Pct(Stated.BtcFundingHi, 4)} per 8 h, ETHUSDT up to {Pct(Stated.EthFundingHi, 4)}, HL BTC up to {Pct(Stated.HlFundingHi, 4)} per hour (~37% APR); all flip negative after the flush, minimum {Pct(Stated.BtcFundingMin, 4)}/8h BTC, {Pct(Stated.EthFundingMin, 4)}/8h ETH, {Pct(Stated.HlFundingMin, 4)}/h HL"),
            "D14: Binance spot/futures BTC volume ratio ~0.21 [E34] -> spot bar volume ~0.21 of perp before the crash; in the cascade perp volume spikes ~20x, spot ~5x; perp taker-buy share falls from ~0.5 to under 0.3",
            string.Create(inv, $"R1 context: after E15, BTC OI stayed below 310k BTC against >380k before [E27] -> OI rebuilds only part way by 01:00; Binance BTC retraces ~{Pct(Stated.ReboundRetrace, 0)} of the drop by 22:30 and fails below the pre-crash high (~123.0k on 10-10), then chops near 110-111k"),
        ];
    }

    private static void Begin(Utf8JsonWriter w, string type, DateTime t, Symbol s)
    {
        w.WriteStartObject();
        w.WriteString("type", type);
        w.WriteString("t", Stamp(t));
        w.WriteString("venue", s.Venue);
        w.WriteString("symbol", s.Name);
    }

    private static void WriteBar(Utf8JsonWriter w, Symbol s, Series series, DateTime t, string market)
    {
        var kc = Ix(t);
        var ko = kc - StepsPerBar;
        double h = double.MinValue, l = double.MaxValue, v = 0, qv = 0, tb = 0;
        for (var k = ko; k <= kc; k++)
        {
            h = Math.Max(h, series.Price[k]);
            l = Math.Min(l, series.Price[k]);
            if (k == ko) continue;
            v += series.Volume[k];
            qv += series.Volume[k] * series.Price[k];
            if (series.BuyShare is { } share) tb += series.Volume[k] * share[k];
        }
        Begin(w, "bar", t, s);
        w.WriteString("market", market);
        w.WriteString("open", Stamp(Time(ko)));
        w.WriteString("interval", "5m");
        Number(w, "o", Round(series.Price[ko], s.Decimals));
        Number(w, "h", Round(h, s.Decimals));
        Number(w, "l", Round(l, s.Decimals));
        Number(w, "c", Round(series.Price[kc], s.Decimals));
        Number(w, "v", Sig(v, 5));
        Number(w, "qv", Sig(qv, 5));
        if (series.BuyShare is not null) Number(w, "tb", Sig(tb, 5));
        w.WriteBoolean("closed", true);
    }

    private static void WriteOi(Utf8JsonWriter w, Symbol s, int k, DateTime t)
    {
        var coins = Sig(s.OiCoins[k], 6);
        Begin(w, "oi", t, s);
        Number(w, "coins", coins);
        Number(w, "usd", Sig(coins * Round(s.Mark[k], s.Decimals), 6));
    }

    private static void WriteTicker(Utf8JsonWriter w, Symbol s, int k, DateTime t)
    {
        Begin(w, "ticker", t, s);
        Number(w, "mark", Round(s.Mark[k], s.Decimals));
        Number(w, "index", Round(s.Index[k], s.Decimals));
        Number(w, "last", Round(s.Perp.Price[k], s.Decimals));
        Number(w, "funding", Round(s.Funding[k], 8));
        w.WriteNumber("fundingHours", s.FundingHours);
        var hours = s.FundingHours;
        var next = t.Date.AddHours((t.Hour / hours + 1) * hours);
        w.WriteString("nextFunding", Stamp(next));
        var (vol, quote) = Rolling24h(s.Perp, k);
        Number(w, "volume24h", Sig(vol, 6));
        Number(w, "quoteVolume24h", Sig(quote, 6));
        if (s.TickerOi) Number(w, "oi", Sig(s.OiCoins[k], 6));
    }

    private static void WriteSpot(Utf8JsonWriter w, Symbol s, int k, DateTime t)
    {
        var spot = s.Spot!;
        Begin(w, "spot", t, s);
        w.WriteString("spotSymbol", s.Name);
        Number(w, "price", Round(spot.Price[k], s.Decimals));
        Number(w, "quoteVolume24h", Sig(Rolling24h(spot, k).Quote, 6));
    }

    private static readonly double[] BandEdges = [0.005, 0.01, 0.02, 0.03, 0.05];
    private static readonly double[] BandCollapsePower = [1.05, 1, 0.85, 0.75, 0.6]; // far bands thin less

    private static void WriteBook(Utf8JsonWriter w, Symbol s, int k, DateTime t)
    {
        var baseline = s.BidDepthBase;
        var wBid = s.BidDepth[k] / baseline;
        var spreadTicks = Math.Max(1, Math.Round(Math.Pow(1 / Math.Min(wBid, 1), 1.1)));
        var mid = s.Perp.Price[k];
        var bidTicks = Math.Floor((mid - spreadTicks * s.Tick / 2) / s.Tick);
        Begin(w, "book", t, s);
        Number(w, "bestBid", Round(bidTicks * s.Tick, s.Decimals));
        Number(w, "bestAsk", Round((bidTicks + spreadTicks) * s.Tick, s.Decimals));
        w.WriteStartArray("bidUsd");
        for (var i = 0; i < BandEdges.Length; i++)
            NumberValue(w, Sig(Band(s, i, baseline, wBid, 1), 4));
        w.WriteEndArray();
        w.WriteStartArray("askUsd");
        var wAsk = wBid < 1 ? Math.Sqrt(wBid) : wBid;
        for (var i = 0; i < BandEdges.Length; i++)
            NumberValue(w, Sig(Band(s, i, baseline, wAsk, 0.92), 4));
        w.WriteEndArray();
        Number(w, "reach", 0.05);
        w.WriteNumber("levels", s.Levels);
    }

    // Cumulative USD within band i: the -1% baseline scaled by (u/1%)^kappa (D08), times w^(band power) when thinned
    // (w < 1; near bands thin most) or w when thicker than baseline.
    private static double Band(Symbol s, int i, double baseline, double w, double sideFactor)
    {
        var shape = Math.Pow(BandEdges[i] / 0.01, s.Kappa);
        var thin = w < 1 ? Math.Pow(w, BandCollapsePower[i]) : w;
        return baseline * sideFactor * shape * thin;
    }

    private static (double Base, double Quote) Rolling24h(Series s, int k)
    {
        double v = 0, q = 0;
        for (var j = k - StepsPerDay + 1; j <= k; j++)
        {
            v += s.Volume[j];
            q += s.Volume[j] * s.Price[j];
        }
        return (v, q);
    }

    // --- numbers and times -----------------------------------------------------------------------------------------

    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        w.WritePropertyName(name);
        NumberValue(w, value);
    }

    private static void NumberValue(Utf8JsonWriter w, double value)
    {
        if (!double.IsFinite(value)) throw new InvalidOperationException($"Non-finite number in the scenario: {value}.");
        w.WriteRawValue(value.ToString("0.##########", CultureInfo.InvariantCulture));
    }

    private static string Pct(double fraction, int decimals) =>
        (fraction * 100).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + "%";

    private static double Round(double x, int decimals) => Math.Round(x, decimals, MidpointRounding.AwayFromZero);

    private static double Sig(double x, int digits)
    {
        if (x == 0) return 0;
        var magnitude = (int)Math.Floor(Math.Log10(Math.Abs(x)));
        var decimals = digits - 1 - magnitude;
        if (decimals >= 0) return Math.Round(x, Math.Min(decimals, 10), MidpointRounding.AwayFromZero);
        var unit = Math.Pow(10, -decimals);
        return Math.Round(x / unit, MidpointRounding.AwayFromZero) * unit;
    }

    public static string Stamp(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static DateTime At(string monthDayTime) =>
        DateTime.SpecifyKind(DateTime.ParseExact("2025-" + monthDayTime, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), DateTimeKind.Utc);

    private static Anchor A(string when, double value) => new(At(when), value);

    private static int Ix(DateTime t) => checked((int)((t - GridStart).Ticks / Step.Ticks));

    private static DateTime Time(int k) => GridStart + Step * k;

    private static bool InCascade(int k) => k >= Ix(Stated.CascadeStart) && k <= Ix(Stated.CascadeEnd);

    // --- path helpers ----------------------------------------------------------------------------------------------

    private readonly record struct Anchor(DateTime Time, double Value);

    /// <summary>The anchors joined by straight lines (in log when <paramref name="log"/>; the result is then a log value), held flat outside them.</summary>
    private static double[] Curve(Anchor[] anchors, bool log)
    {
        var y = new double[Steps];
        for (var k = 0; k < Steps; k++)
        {
            var t = Time(k);
            var i = 0;
            while (i < anchors.Length - 1 && anchors[i + 1].Time <= t) i++;
            double Val(Anchor a) => log ? Math.Log(a.Value) : a.Value;
            if (t <= anchors[0].Time) y[k] = Val(anchors[0]);
            else if (i == anchors.Length - 1) y[k] = Val(anchors[^1]);
            else
            {
                var f = (t - anchors[i].Time) / (anchors[i + 1].Time - anchors[i].Time);
                y[k] = Val(anchors[i]) + f * (Val(anchors[i + 1]) - Val(anchors[i]));
            }
        }
        return y;
    }

    /// <summary>Noise pinned to zero at every anchor time: subtracts the straight line through its own values there.</summary>
    private static double[] Pin(double[] noise, Anchor[] anchors)
    {
        var pinned = new double[Steps];
        for (var k = 0; k < Steps; k++)
        {
            var t = Time(k);
            var i = 0;
            while (i < anchors.Length - 1 && anchors[i + 1].Time <= t) i++;
            double offset;
            if (t <= anchors[0].Time) offset = noise[Ix(anchors[0].Time)];
            else if (i == anchors.Length - 1) offset = noise[Ix(anchors[^1].Time)];
            else
            {
                int a = Ix(anchors[i].Time), b = Ix(anchors[i + 1].Time);
                offset = noise[a] + (double)(k - a) / (b - a) * (noise[b] - noise[a]);
            }
            pinned[k] = noise[k] - offset;
        }
        return pinned;
    }

    private static double[] Walk(Rng rng, double[] sigma, double scale)
    {
        var x = new double[Steps];
        for (var k = 1; k < Steps; k++) x[k] = x[k - 1] + scale * sigma[k] * rng.Normal();
        return x;
    }

    /// <summary>Stationary AR(1) with the given standard deviation.</summary>
    private static double[] Ar1(Rng rng, double rho, double sd)
    {
        var x = new double[Steps];
        var innovation = sd * Math.Sqrt(1 - rho * rho);
        x[0] = sd * rng.Normal();
        for (var k = 1; k < Steps; k++) x[k] = rho * x[k - 1] + innovation * rng.Normal();
        return x;
    }

    private static double[] Add(double[] a, double[] b)
    {
        var y = new double[Steps];
        for (var k = 0; k < Steps; k++) y[k] = a[k] + b[k];
        return y;
    }

    private static double[] Scale(double[] a, double f)
    {
        var y = new double[Steps];
        for (var k = 0; k < Steps; k++) y[k] = a[k] * f;
        return y;
    }

    private static double[] Exp(double[] a)
    {
        var y = new double[Steps];
        for (var k = 0; k < Steps; k++) y[k] = Math.Exp(a[k]);
        return y;
    }

    /// <summary>SplitMix64, one stream per series (seed, stream), so adding a series leaves the others unchanged.</summary>
    private sealed class Rng(ulong seed, ulong stream)
    {
        private ulong _state = seed * 0x9E3779B97F4A7C15UL + stream;

        public double NextDouble()
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (z >> 11) * (1.0 / (1UL << 53));
        }

        /// <summary>Box-Muller, one draw per call.</summary>
        public double Normal()
        {
            var u1 = 1 - NextDouble();
            var u2 = NextDouble();
            return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }
    }
}
