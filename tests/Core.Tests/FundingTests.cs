using PerpGuard.Core.Funding;
using PerpGuard.Core.Liquidation;
using PerpGuard.Core.Venues;

namespace PerpGuard.Core.Tests;

public class FundingTests
{
    private static PositionTerms Linear(PositionSide side, double qty = 0.5, double entry = 60_000, double leverage = 20, Venue venue = Venue.Binance) =>
        PositionTerms.Create(venue, ContractType.Linear, MarginMode.Isolated, side, qty, entry, leverage, MaintenanceSchedule.Fixed(0.004, 0));

    [Fact]
    public void Positive_rate_makes_longs_pay_and_shorts_receive()
    {
        var longPays = FundingCalculator.PaymentPerInterval(Linear(PositionSide.Long), 60_000, 0.0001);
        var shortPays = FundingCalculator.PaymentPerInterval(Linear(PositionSide.Short), 60_000, 0.0001);

        Assert.Equal(3.0, longPays, 12);   // 0.5 × 60,000 × 0.01%
        Assert.Equal(-3.0, shortPays, 12);
    }

    [Fact]
    public void Inverse_payment_is_in_coin_on_contract_value_over_price()
    {
        var p = PositionTerms.Create(Venue.Binance, ContractType.Inverse, MarginMode.Isolated, PositionSide.Long, 1_000, 50_000, 10,
            MaintenanceSchedule.Fixed(0.004, 0), contractSize: 100);

        // 1,000 × 100 USD / 50,000 = 2 BTC notional; × 0.01% = 0.0002 BTC.
        Assert.Equal(0.0002, FundingCalculator.PaymentPerInterval(p, 50_000, 0.0001), 15);
    }

    [Fact]
    public void Projection_scales_per_interval_to_day_horizon_year_and_margin()
    {
        var p = Linear(PositionSide.Long); // notional 30,000, margin 1,500

        var f = FundingCalculator.Project(p, 60_000, 0.0001, intervalHours: 8, horizonHours: 72);

        Assert.Equal(3.0, f.PerInterval, 12);
        Assert.Equal(9.0, f.PerDay, 12);
        Assert.Equal(27.0, f.OverHorizon, 12);
        Assert.Equal(0.0001 * 3 * 365, f.AnnualizedRate, 12);
        Assert.Equal(9.0 / 1_500, f.ShareOfMarginPerDay, 12);
        Assert.Equal(27.0 / 1_500, f.ShareOfMarginOverHorizon, 12);
    }

    [Fact]
    public void Hyperliquid_settles_hourly_by_default_and_charges_an_eighth_of_the_8h_formula()
    {
        Assert.Equal(1, VenueRules.DefaultFundingIntervalHours(Venue.Hyperliquid));
        Assert.Equal(8, VenueRules.DefaultFundingIntervalHours(Venue.Okx));
        Assert.Equal(0.0001 / 8, FundingRates.HyperliquidHourly(averagePremium: 0.00005), 15);
        Assert.Equal(0.04, FundingRates.HyperliquidHourly(averagePremium: 1.0), 15); // 4%/hour cap
    }

    [Fact]
    public void Binance_scales_the_formula_by_N_over_8_for_N_hour_symbols_from_2025_09_18()
    {
        var before = new DateTimeOffset(2025, 9, 17, 0, 0, 0, TimeSpan.Zero);
        var after = FundingRates.BinanceIntervalScalingSince;

        // Premium 0.03% per 8h-formula: F = 0.0003 + clamp(0.0001 − 0.0003, ±0.0005) = 0.0001.
        Assert.Equal(0.0001, FundingRates.Binance(0.0003, intervalHours: 4, before), 15);
        Assert.Equal(0.00005, FundingRates.Binance(0.0003, intervalHours: 4, after), 15);
        Assert.Equal(0.0001, FundingRates.Binance(0.0003, intervalHours: 8, after), 15);
        Assert.Equal(0.002, FundingRates.Binance(0.01, intervalHours: 8, after, cap: 0.002), 15);
    }

    [Theory]
    [InlineData(0, 8, 24, 4)]      // next settlement now: t, t+8, t+16 and t+24 (the end is included)
    [InlineData(1, 8, 24, 3)]
    [InlineData(7, 8, 1, 0)]
    [InlineData(1, 1, 5, 5)]
    public void Settlements_within_a_horizon_count_the_settlement_times(double hoursToNext, double interval, double horizonHours, int expected)
    {
        var now = new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);
        var n = FundingCalculator.SettlementsWithin(now, now.AddHours(hoursToNext), interval, TimeSpan.FromHours(horizonHours));

        Assert.Equal(expected, n);
    }

    [Fact]
    public void Paying_funding_moves_an_isolated_long_liquidation_price_up()
    {
        var p = Linear(PositionSide.Long);
        var pay = FundingCalculator.PaymentPerInterval(p, 60_000, 0.001);

        var now = LiquidationEngine.LiquidationPrice(p).Value!.Value;
        var later = FundingCalculator.LiquidationAfter(p, pay, 10).Value!.Value;

        Assert.Equal(now + 10 * pay / (0.5 * (1 - 0.004)), later, 6);
    }

    [Fact]
    public void Intervals_until_funding_alone_liquidates_is_the_first_settlement_that_crosses_maintenance()
    {
        var p = Linear(PositionSide.Long);
        var pay = FundingCalculator.PaymentPerInterval(p, 60_000, 0.001);

        var n = FundingCalculator.IntervalsUntilLiquidation(p, 60_000, pay)!.Value;

        var before = p.WithCollateral(p.Collateral - (n - 1) * pay);
        var after = p.WithCollateral(p.Collateral - n * pay);
        Assert.True(LiquidationEngine.Equity(before, 60_000) > LiquidationEngine.Requirement(before, 60_000));
        Assert.True(LiquidationEngine.Equity(after, 60_000) <= LiquidationEngine.Requirement(after, 60_000));
    }

    [Fact]
    public void A_position_that_receives_funding_is_never_liquidated_by_it()
    {
        var p = Linear(PositionSide.Short);

        Assert.Null(FundingCalculator.IntervalsUntilLiquidation(p, 60_000, FundingCalculator.PaymentPerInterval(p, 60_000, 0.001)));
    }
}
