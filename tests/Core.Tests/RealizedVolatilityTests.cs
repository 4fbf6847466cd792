using PerpGuard.Core.Market;
using PerpGuard.Core.Probability;

namespace PerpGuard.Core.Tests;

public class RealizedVolatilityTests
{
    private static readonly DateTimeOffset T0 = new(2025, 10, 10, 0, 0, 0, TimeSpan.Zero);

    private static List<Bar> Bars(params double[] closes) =>
        [.. closes.Select((c, i) => new Bar { OpenTime = T0.AddMinutes(5 * i), Interval = TimeSpan.FromMinutes(5), Open = c, High = c, Low = c, Close = c, Volume = 1 })];

    [Fact]
    public void Alternating_returns_give_their_standard_deviation_scaled_to_a_year()
    {
        // Log returns +r, -r, ... : mean 0 (even count), sample sd = r·sqrt(n/(n-1)).
        const double r = 0.001;
        var closes = Enumerable.Range(0, 25).Select(i => 100 * Math.Exp(i % 2 == 0 ? 0 : r)).ToArray();
        var sigma = RealizedVolatility.CloseToClose(Bars(closes), T0.AddDays(1), TimeSpan.FromDays(1));
        var expected = r * Math.Sqrt(24.0 / 23) * Math.Sqrt(365 * 288);
        Assert.Equal(expected, sigma, 12);
    }

    [Fact]
    public void Too_few_returns_in_the_window_give_NaN_not_a_guess()
    {
        var closes = Enumerable.Range(0, 12).Select(i => 100.0 + i).ToArray(); // 11 returns
        Assert.True(double.IsNaN(RealizedVolatility.CloseToClose(Bars(closes), T0.AddDays(1), TimeSpan.FromDays(1))));
    }

    [Fact]
    public void A_gap_in_the_bars_is_not_counted_as_one_return()
    {
        var bars = Bars(Enumerable.Repeat(100.0, 20).ToArray());
        // A bar two hours later at a very different price: the jump spans a gap and must be skipped.
        bars.Add(new Bar { OpenTime = T0.AddHours(3), Interval = TimeSpan.FromMinutes(5), Open = 150, High = 150, Low = 150, Close = 150, Volume = 1 });
        Assert.Equal(0, RealizedVolatility.CloseToClose(bars, T0.AddDays(1), TimeSpan.FromDays(1)));
    }
}
