using PerpGuard.Core.Market;
using PerpGuard.Core.Venues;

namespace PerpGuard.Core.Tests.Market;

public sealed class VenueDivergenceTests
{
    private static readonly DateTimeOffset T0 = new(2025, 10, 10, 21, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Measure_IsHighMinusLowOverTheMedian_IgnoringUnusablePrices()
    {
        var r = VenueDivergence.Measure(
        [
            new VenuePrice(Venue.Binance, 101, 100), new VenuePrice(Venue.Hyperliquid, 98, double.NaN),
            new VenuePrice(Venue.Bybit, 100, 100), new VenuePrice(Venue.Okx, double.NaN, 100),
        ])!;
        Assert.Equal(3.0 / 100, r.Spread, 12);
        Assert.Equal((Venue.Binance, Venue.Hyperliquid), (r.High.Venue, r.Low.Venue));
        Assert.Equal([Venue.Binance, Venue.Bybit, Venue.Hyperliquid], r.Prices.Select(p => p.Venue));
        Assert.Equal(2.0 / 99, VenueDivergence.Measure([new VenuePrice(Venue.Binance, 100, 0), new VenuePrice(Venue.Okx, 98, 0)])!.Spread, 12);
        Assert.Null(VenueDivergence.Measure([new VenuePrice(Venue.Binance, 100, 100), new VenuePrice(Venue.Okx, -1, 100)]));
    }

    [Fact]
    public void Tracker_NeedsTheMinimumTime_HoldsOnMissingReadings_AndRearmsOnlyUnderTheMargin()
    {
        var t = new DivergenceTracker(0.01, TimeSpan.FromMinutes(2), 0.25);
        Assert.False(t.Update(Reading(0.015), T0));                 // the clock starts
        Assert.False(t.Update(Reading(0.012), T0.AddMinutes(1)));
        Assert.False(t.Update(Reading(0.009), T0.AddMinutes(1.5))); // dipped: the clock restarts
        Assert.False(t.Update(Reading(0.011), T0.AddMinutes(2)));
        Assert.False(t.Update(Reading(0.02), T0.AddMinutes(3.9)));
        Assert.True(t.Update(Reading(0.02), T0.AddMinutes(4)));     // two minutes over
        Assert.True(t.Update(null, T0.AddMinutes(5)));              // no reading holds
        Assert.True(t.Update(Reading(0.008), T0.AddMinutes(6)));    // under 1% but over 0.75%
        Assert.False(t.Update(Reading(0.0074), T0.AddMinutes(7)));  // converged
        Assert.Equal(0.0074, t.Last!.Spread);
    }

    private static DivergenceReading Reading(double spread) =>
        new(spread, new VenuePrice(Venue.Binance, 100 * (1 + spread), double.NaN), new VenuePrice(Venue.Hyperliquid, 100, double.NaN), []);
}
