using PerpGuard.Core.Liquidation;
using PerpGuard.Core.Margin;
using PerpGuard.Core.Ladders;
using PerpGuard.Core.Venues;

namespace PerpGuard.Core.Tests.Ladders;

/// <summary>
/// Partial-liquidation ladders derived by hand from the venues' rules (docs/liquidation-spec.md §1 Binance "smart
/// liquidation", §3 Bybit "Partial liquidation", §4 Hyperliquid "Process", §5 OKX). The model: a closed slice
/// realizes its PnL at the step price, so the remainder's equity equals the equity before the cut ("cushion").
/// </summary>
public class PartialLiquidationTests
{
    private const double Rel = 1e-7; // cuts land 1e-9 below the cap

    /// <summary>
    /// USDT notional tiers with a continuous cum: 1 % [0, 100k), 2 % cum 1,000 [100k, 250k),
    /// 5 % cum 8,500 [250k, 500k), 10 % cum 33,500 [500k, ∞). Cum_n = cum_{n−1} + floor_n·(rate_n − rate_{n−1}).
    /// </summary>
    internal static TierTable Usdt(Venue venue) => new(venue, ContractType.Linear, "TESTUSDT", "TEST", "USDT", TierBasis.Notional,
        null, 0.1, new DateOnly(2026, 1, 1), "test",
        [
            new MarginTier(0, 100_000, 0.01, 0, 50),
            new MarginTier(100_000, 250_000, 0.02, 1_000, 25),
            new MarginTier(250_000, 500_000, 0.05, 8_500, 10),
            new MarginTier(500_000, double.PositiveInfinity, 0.10, 33_500, 5),
        ]);

    /// <summary>OKX-style tiers in contracts (0.01 BTC each), no deduction: 1 %, 2 %, 5 %, 10 % at 0/5k/10k/20k contracts.</summary>
    internal static TierTable OkxContracts() => new(Venue.Okx, ContractType.Linear, "TEST-USDT-SWAP", "TEST", "USDT", TierBasis.Contracts,
        0.01, 0.1, new DateOnly(2026, 1, 1), "test",
        [
            new MarginTier(0, 5_000, 0.01, 0, 50),
            new MarginTier(5_000, 10_000, 0.02, 0, 25),
            new MarginTier(10_000, 20_000, 0.05, 0, 10),
            new MarginTier(20_000, double.PositiveInfinity, 0.10, 0, 5),
        ]);

    /// <summary>Coin-notional tiers (BTC) with continuous cum, for inverse invariants.</summary>
    internal static TierTable Coin(Venue venue) => new(venue, ContractType.Inverse, "TESTUSD", "TEST", "TEST", TierBasis.Notional,
        100, 0.1, new DateOnly(2026, 1, 1), "test",
        [
            new MarginTier(0, 10, 0.005, 0, 100),
            new MarginTier(10, 50, 0.01, 0.05, 50),
            new MarginTier(50, 200, 0.025, 0.8, 20),
            new MarginTier(200, double.PositiveInfinity, 0.05, 5.8, 10),
        ]);

    private static PositionTerms Linear(Venue venue, PositionSide side, double quantity, double collateral, TierTable table, double fee = 0) =>
        PositionTerms.Create(venue, ContractType.Linear, MarginMode.Isolated, side, quantity, 10_000, 5,
            MaintenanceSchedule.FromTable(table), collateral, takerFee: fee);

    private static void Step(LadderStep step, double price, double closed, double left, string what)
    {
        Assert.Equal(price, step.Price, price * Rel);
        Assert.Equal(closed, step.QuantityClosed, Math.Max(closed, 1) * Rel);
        Assert.Equal(left, step.QuantityLeft, Math.Max(left, 1) * Rel);
        Assert.Equal(what, step.What);
    }

    [Fact]
    public void Bybit_long_in_tier_4_steps_down_tier_by_tier_then_liquidates_in_full()
    {
        // Long 100 @ 10,000, margin 246,500. L1: 246,500 + 100·(p − 10,000) = 100·p·10 % − 33,500 ⇒ p = 8,000 (N 800k, tier 4);
        // cushion = MM = 46,500.
        // Cut to 500k/8,000 = 62.5. Equity 46,500 + 62.5·(p − 8,000) = 5 %·62.5·p − 8,500 ⇒ N = (500k − 46.5k − 8.5k)/0.95
        //   = 468,421.05 ⇒ L2 = 8,000·N/500k = 7,494.7368; cushion 5 %·N − 8,500 = 14,921.05.
        // Cut to 250k/L2 = 33.35674. N = (250k − 14,921.05 − 1,000)/0.98 = 238,856.07 ⇒ L3 = L2·N/250k = 7,160.6535;
        //   cushion 2 %·N − 1,000 = 3,777.12.
        // Cut to 100k/L3 = 13.96521. N = (100k − 3,777.12)/0.99 = 97,194.83 ⇒ L4 = L3·N/100k = 6,959.7848: tier 1, full.
        var ladder = PartialLiquidation.For(Linear(Venue.Bybit, PositionSide.Long, 100, 246_500, Usdt(Venue.Bybit)));

        Assert.Equal(4, ladder.Steps.Count);
        Step(ladder.Steps[0], 8_000, 37.5, 62.5, "tier 4 → 3: reduce to 500,000 USDT notional");
        Step(ladder.Steps[1], 7_494.736842105263, 29.14325842696629, 33.35674157303371, "tier 3 → 2: reduce to 250,000 USDT notional");
        Step(ladder.Steps[2], 7_160.653513482955, 19.39153577000082, 13.96520580303289, "tier 2 → 1: reduce to 100,000 USDT notional");
        Step(ladder.Steps[3], 6_959.784786914258, 13.96520580303289, 0, "full liquidation");
        Assert.Equal(0.375, ladder.Steps[0].ShareClosed, 1e-9);
        Assert.False(ladder.IsSingleFull);
    }

    [Fact]
    public void Binance_short_is_cut_to_the_size_that_is_still_in_the_lower_tier_at_its_next_liquidation()
    {
        // Short 40 @ 10,000, margin 40,000. L1: 440,000 − 40p = 5 %·40p − 8,500 ⇒ p = 448,500/42 = 10,678.5714
        // (N 427k, tier 3); cushion 12,857.14. A short's notional grows as price rises, so the cut aims at notional
        // 250k at the next liquidation: remainder equity cushion + N1 − N = 2 %·N − 1,000 at N = 250k
        // ⇒ N1 = 250k·1.02 − 1,000 − 12,857.14 = 241,142.86 ⇒ Q1 = 22.58194, L2 = 250k/Q1 = 11,070.7938, cushion 4,000.
        // Tier 2 → 1: N1 = 100k·1.01 − 4,000 = 97,000 ⇒ Q2 = 97,000/L2 = 8.76179, L3 = 100k/Q2 = 11,413.1895: full.
        var ladder = PartialLiquidation.For(Linear(Venue.Binance, PositionSide.Short, 40, 40_000, Usdt(Venue.Binance)));

        Assert.Equal(3, ladder.Steps.Count);
        Step(ladder.Steps[0], 10_678.57142857143, 40 - 22.5819397993311, 22.5819397993311, "tier 3 → 2: reduce to 241,142.86 USDT notional");
        Step(ladder.Steps[1], 11_070.79383886256, 22.5819397993311 - 8.761792642140467, 8.761792642140467, "tier 2 → 1: reduce to 97,000 USDT notional");
        Step(ladder.Steps[2], 11_413.189524600579, 8.761792642140467, 0, "full liquidation");
    }

    [Fact]
    public void Okx_tier_4_steps_down_to_tier_2_then_liquidates_in_full()
    {
        // Long 250 BTC = 25,000 contracts @ 10,000, margin 500,000, fee 0.05 % inside the requirement.
        // L1: 500,000 + 250·(p − 10,000) = 250·p·10.05 % ⇒ p = 2,000,000/224.875 = 8,893.8299; cushion 25.125·p = 223,457.48.
        // Tier 4 → 3: 20,000 contracts = 200 BTC. L2 = (200·L1 − cushion)/(200·0.9495) = 8,190.1448; cushion 200·L2·5.05 %.
        // Tier 3 → 2: 10,000 contracts = 100 BTC. L3 = (100·L2 − 82,720.46)/(100·0.9795) = 7,517.0395: tier 2, OKX takes all.
        var ladder = PartialLiquidation.For(Linear(Venue.Okx, PositionSide.Long, 250, 500_000, OkxContracts(), fee: 0.0005));

        Assert.Equal(3, ladder.Steps.Count);
        Step(ladder.Steps[0], 8_893.829905503057, 50, 200, "tier 4 → 3: reduce to 20,000 contracts");
        Step(ladder.Steps[1], 8_190.144837940216, 100, 100, "tier 3 → 2: reduce to 10,000 contracts");
        Step(ladder.Steps[2], 7_517.039519457126, 100, 0, "full liquidation");
        Assert.Equal([0.2, 0.4, 0.4], ladder.Steps.Select(s => Math.Round(s.ShareClosed, 6)));
    }

    [Fact]
    public void Okx_tier_2_is_liquidated_in_full()
    {
        // 75 BTC = 7,500 contracts (tier 2), margin 75,000: 75,000 + 75·(p − 10,000) = 75·p·2.05 % ⇒ p = 675,000/73.4625.
        // Bybit would cut this one to tier 1; OKX does not below tier 3.
        var okx = PartialLiquidation.For(Linear(Venue.Okx, PositionSide.Long, 75, 75_000, OkxContracts(), fee: 0.0005));
        var bybit = PartialLiquidation.For(Linear(Venue.Bybit, PositionSide.Long, 75, 75_000, OkxContracts()));

        Assert.True(okx.IsSingleFull);
        Step(okx.Steps[0], 9_188.361408882081, 75, 0, "full liquidation");
        Assert.Equal(2, bybit.Steps.Count);
        Assert.Equal("tier 2 → 1: reduce to 5,000 contracts", bybit.Steps[0].What);
    }

    [Fact]
    public void Hyperliquid_over_100k_closes_20_percent_then_the_rest_after_the_cooldown()
    {
        // Long 16 @ 10,000, margin 11,875, MMR 1.25 % (40x). L1: 11,875 + 16·(p − 10,000) = 0.2·p ⇒ p = 9,375, N = 150,000.
        // 20 % = 3.2 closed realizes 3.2·(9,375 − 10,000) = −2,000 ⇒ remainder 12.8 with margin 9,875.
        // L2: 9,875 + 12.8·(p − 10,000) = 0.16·p ⇒ p = 118,125/12.64 = 9,345.3323.
        // Backstop (equity = 2/3·MM): 12.8p − 118,125 = (2/3)·0.16p ⇒ p = 9,306.0662 — beyond L2, so not a step of its own.
        var terms = PositionTerms.Create(Venue.Hyperliquid, ContractType.Linear, MarginMode.Isolated, PositionSide.Long, 16, 10_000, 40,
            MaintenanceSchedule.Fixed(0.0125, 0, 40), 11_875);

        var ladder = PartialLiquidation.For(terms);

        Assert.Equal(2, ladder.Steps.Count);
        Step(ladder.Steps[0], 9_375, 3.2, 12.8, "20% of the position (over 100k USDC)");
        Step(ladder.Steps[1], 9_345.332278481012, 12.8, 0, "rest after the 30 s cooldown (backstop below 2/3 of maintenance at 9,306.07)");
        Assert.Equal(0.2, ladder.Steps[0].ShareClosed, 1e-12);
    }

    [Fact]
    public void Hyperliquid_up_to_100k_is_one_full_step()
    {
        // Long 5 @ 10,000, margin 5,000: 5,000 + 5·(p − 10,000) = 0.0625·p ⇒ p = 45,000/4.9375 = 9,113.92, N = 45,570.
        var terms = PositionTerms.Create(Venue.Hyperliquid, ContractType.Linear, MarginMode.Isolated, PositionSide.Long, 5, 10_000, 10,
            MaintenanceSchedule.Fixed(0.0125, 0, 40));

        var ladder = PartialLiquidation.For(terms);

        Assert.True(ladder.IsSingleFull);
        Step(ladder.Steps[0], 9_113.924050632912, 5, 0, "full liquidation");
    }

    [Theory]
    [InlineData(Venue.Binance)]
    [InlineData(Venue.Bybit)]
    [InlineData(Venue.Okx)]
    public void A_single_tier_schedule_is_one_full_step_at_the_liquidation_price(Venue venue)
    {
        var terms = PositionTerms.Create(venue, ContractType.Linear, MarginMode.Isolated, PositionSide.Long, 100, 10_000, 5,
            MaintenanceSchedule.Fixed(0.05, 0));

        var ladder = PartialLiquidation.For(terms);

        Assert.True(ladder.IsSingleFull);
        Assert.Equal(LiquidationEngine.LiquidationPrice(terms).RawValue, ladder.Steps[0].Price);
        Assert.Equal(1, ladder.Steps[0].ShareClosed);
    }

    [Fact]
    public void A_position_in_the_lowest_tier_at_its_liquidation_price_is_one_full_step()
    {
        // 12 @ 10,000 is tier 2 at entry (120k). Margin 24,000: 24,000 + 12·(p − 10,000) = 1 %·12·p ⇒ p = 96,000/11.88
        // = 8,080.81, where N = 96,970 is tier 1: nothing to step down to.
        var ladder = PartialLiquidation.For(Linear(Venue.Bybit, PositionSide.Long, 12, 24_000, Usdt(Venue.Bybit)));

        Assert.True(ladder.IsSingleFull);
        Assert.Equal(8_080.808080808081, ladder.Steps[0].Price, 1e-6);
    }

    [Fact]
    public void A_position_that_cannot_be_liquidated_has_an_empty_ladder()
    {
        var terms = PositionTerms.Create(Venue.Bybit, ContractType.Linear, MarginMode.Isolated, PositionSide.Long, 10, 10_000, 1,
            MaintenanceSchedule.FromTable(Usdt(Venue.Bybit)));

        var ladder = PartialLiquidation.For(terms);

        Assert.Empty(ladder.Steps);
        Assert.False(ladder.IsSingleFull);
    }

    [Fact]
    public void Cross_with_other_symbols_gives_the_isolated_ladder_of_the_same_free_collateral()
    {
        // Wallet 251,500 + other PnL 5,000 − other maintenance 10,000 = the 246,500 of the Bybit tier-4 case.
        var cross = PositionTerms.Create(Venue.Bybit, ContractType.Linear, MarginMode.Cross, PositionSide.Long, 100, 10_000, 5,
            MaintenanceSchedule.FromTable(Usdt(Venue.Bybit)), 251_500, otherMaintenance: 10_000, otherUnrealizedPnl: 5_000);
        var isolated = Linear(Venue.Bybit, PositionSide.Long, 100, 246_500, Usdt(Venue.Bybit));

        var a = PartialLiquidation.For(cross).Steps;
        var b = PartialLiquidation.For(isolated).Steps;

        Assert.Equal(4, a.Count);
        for (var i = 0; i < b.Count; i++)
        {
            Assert.Equal(b[i].Price, a[i].Price, b[i].Price * 1e-9);
            Assert.Equal(b[i].QuantityLeft, a[i].QuantityLeft, 1e-9);
        }
    }

    public static TheoryData<string, PositionTerms> Positions()
    {
        var data = new TheoryData<string, PositionTerms>();
        foreach (var venue in new[] { Venue.Binance, Venue.Bybit, Venue.Okx, Venue.Hyperliquid })
        foreach (var side in new[] { PositionSide.Long, PositionSide.Short })
        foreach (var (quantity, leverage) in new[] { (3.0, 20.0), (20.0, 10.0), (40.0, 8.0), (120.0, 4.0), (150.0, 2.5) })
        {
            var table = venue == Venue.Okx ? OkxContracts() : Usdt(venue);
            data.Add($"{venue} {side} {quantity}@{leverage}x isolated", PositionTerms.Create(venue, ContractType.Linear, MarginMode.Isolated,
                side, quantity, 10_000, leverage, MaintenanceSchedule.FromTable(table), takerFee: venue == Venue.Okx ? 0.0005 : 0));
            data.Add($"{venue} {side} {quantity}@{leverage}x cross", PositionTerms.Create(venue, ContractType.Linear, MarginMode.Cross,
                side, quantity, 10_000, leverage, MaintenanceSchedule.FromTable(table), quantity * 10_000 / leverage + 20_000,
                otherMaintenance: 15_000, otherUnrealizedPnl: -3_000));
            if (venue == Venue.Hyperliquid) continue;
            data.Add($"{venue} {side} inverse {quantity}", PositionTerms.Create(venue, ContractType.Inverse, MarginMode.Isolated,
                side, quantity * 5_000, 50_000, leverage, MaintenanceSchedule.FromTable(Coin(venue)), contractSize: 100));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Positions))]
    public void Ladders_move_against_the_position_and_close_everything(string name, PositionTerms terms)
    {
        var ladder = PartialLiquidation.For(terms);

        Assert.True(ladder.Steps.Count > 0, name);
        Assert.Equal(LiquidationEngine.LiquidationPrice(terms).RawValue, ladder.Steps[0].Price);
        var left = terms.Quantity;
        for (var i = 0; i < ladder.Steps.Count; i++)
        {
            var step = ladder.Steps[i];
            Assert.True(step.QuantityClosed > 0, name);
            Assert.Equal(left - step.QuantityClosed, step.QuantityLeft, left * 1e-12);
            Assert.Equal(step.QuantityClosed / terms.Quantity, step.ShareClosed, 1e-12);
            if (i > 0) Assert.True(terms.Side == PositionSide.Long ? step.Price < ladder.Steps[i - 1].Price : step.Price > ladder.Steps[i - 1].Price, $"{name}: step {i}");
            left = step.QuantityLeft;
        }
        Assert.Equal(0, ladder.Steps[^1].QuantityLeft);
        Assert.Equal(1, ladder.Steps.Sum(s => s.ShareClosed), 1e-12);
    }

    [Fact]
    public void The_invariant_set_contains_real_ladders()
    {
        // Guards the theory above against passing only on single full steps.
        var partial = Positions().Select(row => PartialLiquidation.For((PositionTerms)row[1]).Steps.Count).Count(n => n >= 3);
        Assert.True(partial >= 10, $"{partial} ladders with 3+ steps");
    }
}
