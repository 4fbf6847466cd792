using PerpGuard.Core.Market;
using PerpGuard.Core.Rules;

namespace PerpGuard.Core.Tests.Rules;

/// <summary>Synthetic series for the rule fixtures: hourly (or 5-minute) bars from a fixed UTC origin.</summary>
internal static class RuleSeries
{
    public static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Bar i of an hourly series: opens at T0 + i h, closes at T0 + (i+1) h.</summary>
    public static Bar Hour(int i, double close, double? high = null, double? low = null, double volume = 1, double takerBuy = double.NaN, double? open = null) =>
        At(T0.AddHours(i), TimeSpan.FromHours(1), close, high, low, volume, takerBuy, open);

    public static Bar At(DateTimeOffset openTime, TimeSpan interval, double close, double? high = null, double? low = null, double volume = 1,
        double takerBuy = double.NaN, double? open = null)
    {
        var o = open ?? close;
        return new Bar
        {
            OpenTime = openTime,
            Interval = interval,
            Open = o,
            High = high ?? Math.Max(o, close),
            Low = low ?? Math.Min(o, close),
            Close = close,
            Volume = volume,
            TakerBuyVolume = takerBuy,
        };
    }

    /// <summary>End time of hourly bar i (where its OI point is stamped).</summary>
    public static DateTimeOffset End(int i) => T0.AddHours(i + 1);

    /// <summary>
    /// Hourly bars closing in (end − hours, end] at <paramref name="price"/> whose taker notional totals
    /// <paramref name="totalUsd"/> with buy share <paramref name="buyShare"/> (CVD = total·(2·share − 1)).
    /// NaN share gives bars without a taker split.
    /// </summary>
    public static List<Bar> Flow(DateTimeOffset end, int hours, double totalUsd, double buyShare, double price = 100)
    {
        var bars = new List<Bar>();
        var coins = totalUsd / hours / price;
        for (var k = hours; k >= 1; k--)
            bars.Add(At(end.AddHours(-k), TimeSpan.FromHours(1), price, volume: coins, takerBuy: double.IsNaN(buyShare) ? double.NaN : coins * buyShare));
        return bars;
    }

    public static RuleResult Eval(RuleDefinition rule, RuleInputs inputs, DateTimeOffset now) => InvalidationRules.Evaluate(rule, inputs, now);
}
