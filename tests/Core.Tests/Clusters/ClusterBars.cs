using PerpGuard.Core.Market;

namespace PerpGuard.Core.Tests.Clusters;

/// <summary>Hand-made and seeded synthetic bars for the cluster-map tests.</summary>
internal static class ClusterBars
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);

    /// <summary>Bar number <paramref name="index"/> of a 5-minute series starting at <see cref="Start"/>.</summary>
    public static Bar Make(int index, double open, double high, double low, double close, double volume = 100,
        double quoteVolume = double.NaN, double takerBuy = double.NaN) => new()
        {
            OpenTime = Start + index * FiveMinutes,
            Interval = FiveMinutes,
            Open = open, High = high, Low = low, Close = close,
            Volume = volume, QuoteVolume = quoteVolume, TakerBuyVolume = takerBuy,
        };

    /// <summary>A flat bar at 100 (range 99.8–100.2) that crosses no cohort of a map opened around 100.</summary>
    public static Bar Flat(int index) => Make(index, 100, 100.2, 99.8, 100, 100, 10_000, 50);

    /// <summary>
    /// A BTC-like 5-minute random walk with open interest: GBM closes (σ 0.15% per bar), wicks, log-normal volume,
    /// taker buy share 30–70% (NaN on about one bar in ten), open interest wandering around 80,000 coins.
    /// </summary>
    public static List<(Bar Bar, double OpenInterestCoins)> RandomWalk(int count, int seed, double startPrice = 60_000)
    {
        var random = new Random(seed);
        var bars = new List<(Bar, double)>(count);
        var price = startPrice;
        var oi = 80_000.0;
        for (var i = 0; i < count; i++)
        {
            var open = price;
            var close = open * Math.Exp(0.0015 * Gaussian(random));
            var high = Math.Max(open, close) * (1 + 0.0007 * Math.Abs(Gaussian(random)));
            var low = Math.Min(open, close) * (1 - 0.0007 * Math.Abs(Gaussian(random)));
            var volume = 500 * Math.Exp(0.5 * Gaussian(random));
            var vwap = Math.Clamp((open + high + low + close) / 4 * (1 + 0.0002 * Gaussian(random)), low, high);
            var takerBuy = random.NextDouble() < 0.1 ? double.NaN : volume * (0.3 + 0.4 * random.NextDouble());
            oi = Math.Max(1_000, oi * Math.Exp(0.002 * Gaussian(random)) + 0.01 * (80_000 - oi));
            bars.Add((Make(i, open, high, low, close, volume, volume * vwap, takerBuy), oi));
            price = close;
        }
        return bars;
    }

    private static double Gaussian(Random random)
    {
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
