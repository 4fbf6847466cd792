using PerpGuard.Core.Market;
using PerpGuard.Core.Rules;
using static PerpGuard.Core.Tests.Rules.RuleSeries;

namespace PerpGuard.Core.Tests.Rules;

public class SeriesMathTests
{
    [Fact]
    public void Five_minute_bars_resample_to_hours_by_time_bucket()
    {
        var bars = new List<Bar>();
        for (var i = 0; i < 24; i++)
            bars.Add(At(T0.AddMinutes(5 * i), TimeSpan.FromMinutes(5), close: 100 + i, high: 100 + i + 0.5, low: 100 + i - 0.5, volume: 2, takerBuy: 1, open: 100 + i - 1));

        var hours = SeriesMath.Resample(bars, TimeSpan.FromHours(1));

        Assert.Equal(2, hours.Count);
        Assert.Equal(T0, hours[0].OpenTime);
        Assert.Equal(T0.AddHours(1), hours[0].CloseTime);
        Assert.Equal(99, hours[0].Open);
        Assert.Equal(111, hours[0].Close);
        Assert.Equal(111.5, hours[0].High);
        Assert.Equal(99.5, hours[0].Low);
        Assert.Equal(24, hours[0].Volume);
        Assert.Equal(12, hours[0].TakerBuyVolume);
        Assert.Equal(123, hours[1].Close);
    }

    [Fact]
    public void A_gap_leaves_no_empty_bucket_and_an_hourly_bar_lands_in_the_last_quarter_of_its_hour()
    {
        Bar[] bars = [Hour(0, 100), Hour(3, 103)];
        var quarters = SeriesMath.Resample(bars, TimeSpan.FromMinutes(15));

        Assert.Equal(2, quarters.Count);
        Assert.Equal(T0.AddMinutes(45), quarters[0].OpenTime);
        Assert.Equal(End(0), quarters[0].CloseTime);
        Assert.Equal(End(3), quarters[1].CloseTime);
    }

    [Fact]
    public void Taker_buy_is_NaN_in_a_bucket_when_any_bar_lacks_it()
    {
        Bar[] bars = [At(T0, TimeSpan.FromMinutes(5), 100, takerBuy: 1), At(T0.AddMinutes(5), TimeSpan.FromMinutes(5), 100)];
        Assert.True(double.IsNaN(SeriesMath.Resample(bars, TimeSpan.FromHours(1))[0].TakerBuyVolume));
    }

    [Fact]
    public void Median_and_MAD_ignore_NaN_and_average_the_middle_pair()
    {
        Assert.Equal(3, SeriesMath.Median([5, 1, 3, double.NaN]));
        Assert.Equal(2.5, SeriesMath.Median([4, 1, 3, 2]));
        Assert.True(double.IsNaN(SeriesMath.Median([])));
        Assert.Equal(1, SeriesMath.Mad([1, 2, 3, 4, 5])); // deviations 2,1,0,1,2
    }

    [Fact]
    public void Median_by_selection_matches_sorting_on_random_samples()
    {
        var random = new Random(3);
        for (var n = 1; n < 200; n += 7)
        {
            var values = Enumerable.Range(0, n).Select(_ => Math.Round(random.NextDouble() * 20)).ToArray(); // many ties
            var sorted = values.Order().ToArray();
            var expected = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
            Assert.Equal(expected, SeriesMath.Median(values));
        }
    }

    [Fact]
    public void Robust_z_uses_1_4826_MAD_and_falls_back_when_MAD_is_zero()
    {
        Assert.Equal((10 - 3) / (1.4826 * 1), SeriesMath.RobustZ(10, [1, 2, 3, 4, 5]), 12);
        // MAD = 0 (four equal values of five): 1.2533 × mean absolute deviation (10/5 = 2).
        Assert.Equal((7 - 5) / (1.253314 * 2), SeriesMath.RobustZ(7, [5, 5, 5, 5, 15]), 12);
        Assert.Equal(0, SeriesMath.RobustZ(5, [5, 5, 5]));
        Assert.Equal(double.PositiveInfinity, SeriesMath.RobustZ(6, [5, 5, 5]));
        Assert.True(double.IsNaN(SeriesMath.RobustZ(1, [])));
    }
}
