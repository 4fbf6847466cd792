using PerpGuard.Core.Liquidation;
using PerpGuard.Core.Margin;
using PerpGuard.Core.Portfolio;
using PerpGuard.Core.Venues;
using Book = PerpGuard.Core.Portfolio.Portfolio;

namespace PerpGuard.Core.Tests.Portfolio;

/// <summary>Portfolio shocks against numbers derived by hand in the comments.</summary>
public class PortfolioStressTests
{
    private const double Tight = 1e-9;

    internal static PortfolioPosition Linear(string id, string asset, MarginMode mode, PositionSide side, double qty, double entry,
        double leverage, double mmr, double beta = 1, double? mark = null) =>
        new(id, asset, PositionTerms.Create(Venue.Binance, ContractType.Linear, mode, side, qty, entry, leverage,
            MaintenanceSchedule.Fixed(mmr, 0)), mark ?? entry) { Beta = beta };

    /// <summary>BTC long 1 @ 100,000 and ETH long 10 @ 4,000 on one cross wallet of 20,000, MMR 0.5% both.</summary>
    private static Book TwoCrossLongs() => new(
    [
        Linear("btc", "BTC", MarginMode.Cross, PositionSide.Long, 1, 100_000, 10, 0.005),
        Linear("eth", "ETH", MarginMode.Cross, PositionSide.Long, 10, 4_000, 10, 0.005, beta: 1.2),
    ], CrossWallet: 20_000);

    [Fact]
    public void Two_cross_longs_are_liquidated_together_where_equity_meets_maintenance()
    {
        // All move x: equity = 20,000 + 100,000x + 40,000x = 20,000 + 140,000x;
        // MM = 0.005·(100,000 + 40,000)(1 + x) = 700 + 700x. Equal at 139,300x = −19,300 ⇒ x = −0.1385499...
        const double kill = -19_300.0 / 139_300;

        var result = PortfolioStress.Run(TwoCrossLongs(), new AllMove(-0.15));

        Assert.True(result.AccountLiquidated);
        Assert.Equal(kill, result.AccountKillMove!.Value, Tight);
        Assert.Equal(kill, result.FirstKillMove!.Value, Tight);
        Assert.All(result.Positions, p => Assert.True(p.Liquidated));
        Assert.All(result.Positions, p => Assert.Equal(kill, p.KillMove!.Value, Tight));
        Assert.All(result.Positions, p => Assert.Equal(1, p.Order));
        // At −15%: BTC 85,000 (PnL −15,000), ETH 3,400 (PnL −6,000); the account loses its whole wallet.
        Assert.Equal(85_000, result.Positions[0].ShockedPrice, Tight);
        Assert.Equal(-15_000, result.Positions[0].Pnl, 1e-6);
        Assert.Equal(15_000, result.Positions[0].Loss, 1e-6);
        Assert.Equal(6_000, result.Positions[1].Loss, 1e-6);
        Assert.Equal(20_000, result.TotalLoss, 1e-6);
    }

    [Fact]
    public void Short_of_the_kill_move_the_account_survives_and_loses_its_pnl()
    {
        // All −10%: PnL −10,000 − 4,000 = −14,000; equity 6,000 > MM 630. Kill move still −0.13855.
        var result = PortfolioStress.Run(TwoCrossLongs(), new AllMove(-0.10));

        Assert.False(result.AccountLiquidated);
        Assert.Equal(-19_300.0 / 139_300, result.AccountKillMove!.Value, Tight);
        Assert.All(result.Positions, p => Assert.False(p.Liquidated));
        Assert.All(result.Positions, p => Assert.Null(p.Order));
        Assert.Equal(14_000, result.TotalLoss, 1e-6);
    }

    [Fact]
    public void Symbol_moves_report_the_kill_as_a_scale()
    {
        // BTC −10%·s, ETH −20%·s: equity = 20,000 − 10,000s − 8,000s; MM = 0.005·(100,000(1 − 0.1s) + 40,000(1 − 0.2s))
        // = 700 − 90s. Equal at 17,910s = 19,300 ⇒ s = 1.07761...: not reached by the scenario itself.
        var moves = new Dictionary<string, double> { ["BTC"] = -0.10, ["ETH"] = -0.20 };

        var result = PortfolioStress.Run(TwoCrossLongs(), new SymbolMoves(moves));

        Assert.False(result.AccountLiquidated);
        Assert.Equal(19_300.0 / 17_910, result.AccountKillMove!.Value, Tight);
        Assert.Equal(90_000, result.Positions[0].ShockedPrice, Tight);
        Assert.Equal(3_200, result.Positions[1].ShockedPrice, Tight);
        Assert.Equal("BTC −10%, ETH −20%", result.Scenario.Label);
    }

    /// <summary>The two cross longs (ETH beta 1.2) plus an isolated SOL long 100 @ 200, 10x (margin 2,000), MMR 1%, beta 1.5.</summary>
    private static Book ThreePositions() => new(
    [
        Linear("btc", "BTC", MarginMode.Cross, PositionSide.Long, 1, 100_000, 10, 0.005),
        Linear("eth", "ETH", MarginMode.Cross, PositionSide.Long, 10, 4_000, 10, 0.005, beta: 1.2),
        Linear("sol", "SOL", MarginMode.Isolated, PositionSide.Long, 100, 200, 10, 0.01, beta: 1.5),
    ], CrossWallet: 20_000);

    // SOL: L = (C − Q·E)/(Q·MMR − Q) = (2,000 − 20,000)/(1 − 100) = 181.8181... = 200·(1 − 1/11); with beta 1.5 the
    // BTC move is −(1/11)/1.5 = −2/33 = −0.060606.
    // Account under BTC x: equity = 20,000 + 100,000x + 40,000·1.2x = 20,000 + 148,000x;
    // MM = 0.005·(100,000(1 + x) + 40,000(1 + 1.2x)) = 700 + 740x. Equal at 147,260x = −19,300 ⇒ x = −0.1310607...
    private const double SolKill = -2.0 / 33;
    private const double AccountKill = -19_300.0 / 147_260;

    [Fact]
    public void Isolated_position_goes_first_then_the_account_takes_both_cross_positions()
    {
        var result = PortfolioStress.Run(ThreePositions(), new BtcMove(-0.15));

        var (btc, eth, sol) = (result.Positions[0], result.Positions[1], result.Positions[2]);
        Assert.Equal(SolKill, sol.KillMove!.Value, Tight);
        Assert.Equal(1, sol.Order);
        Assert.Equal(AccountKill, result.AccountKillMove!.Value, Tight);
        Assert.Equal(2, btc.Order);
        Assert.Equal(2, eth.Order);
        Assert.Equal(SolKill, result.FirstKillMove!.Value, Tight);
        // SOL at 200·(1 − 0.225) = 155: PnL −4,500, but the trader loses the 2,000 margin; the account loses 20,000.
        Assert.Equal(155, sol.ShockedPrice, Tight);
        Assert.Equal(-4_500, sol.Pnl, 1e-6);
        Assert.Equal(2_000, sol.Loss, 1e-6);
        Assert.Equal(22_000, result.TotalLoss, 1e-6);
    }

    [Fact]
    public void An_isolated_liquidation_does_not_touch_the_cross_account()
    {
        // BTC −8%: SOL −12% (beyond its −9.09%) is liquidated; BTC PnL −8,000 and ETH 40,000·(−0.096) = −3,840 leave
        // equity 8,160 above MM 700 − 59.2 = 640.8. Loss = 2,000 + 11,840.
        var result = PortfolioStress.Run(ThreePositions(), new BtcMove(-0.08));

        Assert.True(result.Positions[2].Liquidated);
        Assert.Equal(1, result.Positions[2].Order);
        Assert.False(result.AccountLiquidated);
        Assert.False(result.Positions[0].Liquidated);
        Assert.Null(result.Positions[0].Order);
        Assert.Equal(AccountKill, result.Positions[0].KillMove!.Value, Tight);
        Assert.Equal(13_840, result.TotalLoss, 1e-6);
    }

    [Fact]
    public void Upward_move_never_liquidates_longs()
    {
        var result = PortfolioStress.Run(ThreePositions(), new BtcMove(0.3));

        Assert.All(result.Positions, p => Assert.Null(p.KillMove));
        Assert.Null(result.AccountKillMove);
        Assert.Null(result.FirstKillMove);
        Assert.Equal(0, result.TotalLoss);
    }

    /// <summary>
    /// Inverse long 1,000 × 100 USD @ 50,000, margin 0.4 BTC, MMR 1%: L = Q·CS·(MMR + 1)/(C + Q·CS/E) = 101,000/2.4 =
    /// 42,083.33 (move −0.158333). Linear short ETH 10 @ 4,000, margin 4,000, MMR 0.5%: L = (C + Q·E)/(Q·MMR + Q) =
    /// 44,000/10.05 = 4,378.109 (move +0.0945274).
    /// </summary>
    private static Book InverseAndShort() => new(
    [
        new("btcusd", "BTC", PositionTerms.Create(Venue.Binance, ContractType.Inverse, MarginMode.Isolated, PositionSide.Long,
            1_000, 50_000, 5, MaintenanceSchedule.Fixed(0.01, 0), collateral: 0.4, contractSize: 100), 50_000),
        Linear("eth-short", "ETH", MarginMode.Isolated, PositionSide.Short, 10, 4_000, 10, 0.005),
    ], CrossWallet: 0);

    [Fact]
    public void Inverse_isolated_long_is_liquidated_through_the_engine_and_loses_its_coin_margin_at_the_shocked_price()
    {
        var result = PortfolioStress.Run(InverseAndShort(), new AllMove(-0.20));

        var (inverse, shortEth) = (result.Positions[0], result.Positions[1]);
        Assert.True(inverse.Liquidated);
        Assert.Equal(101_000.0 / 2.4 / 50_000 - 1, inverse.KillMove!.Value, Tight);
        // PnL in USD: Q·CS·(p/E − 1) = 100,000·(0.8 − 1) = −20,000; margin lost 0.4 BTC × 40,000 = 16,000.
        Assert.Equal(-20_000, inverse.Pnl, 1e-6);
        Assert.Equal(16_000, inverse.Loss, 1e-6);
        // The short gains 10·800 = 8,000 and offsets: net loss 8,000.
        Assert.False(shortEth.Liquidated);
        Assert.Null(shortEth.KillMove);
        Assert.Equal(8_000, shortEth.Pnl, 1e-6);
        Assert.Equal(8_000, result.TotalLoss, 1e-6);
        Assert.False(result.AccountLiquidated);
        Assert.Null(result.AccountKillMove);
    }

    [Fact]
    public void Short_is_liquidated_on_the_way_up()
    {
        var result = PortfolioStress.Run(InverseAndShort(), new AllMove(0.10));

        Assert.True(result.Positions[1].Liquidated);
        Assert.Equal(44_000 / 10.05 / 4_000 - 1, result.Positions[1].KillMove!.Value, Tight);
        Assert.Equal(1, result.Positions[1].Order);
        Assert.False(result.Positions[0].Liquidated);
    }

    [Fact]
    public void The_account_uses_the_bracket_of_each_notional_at_the_shocked_price()
    {
        // Tiers: [0, 95,000) 0.5% / 0; [95,000, ∞) 1% / 475 (continuous). BTC long 1 @ 100,000 is in the 1% bracket at
        // the mark, but at the kill price it is in the first: 10,000 + 100,000x = 500 + 500x ⇒ x = −9,500/99,500 =
        // −0.0954774 (price 90,452). With the mark's bracket it would be −9,475/99,000 = −0.0957071.
        var table = new TierTable(Venue.Binance, ContractType.Linear, "BTCUSDT", "BTC", "USDT", TierBasis.Notional, null, 0.1,
            new DateOnly(2026, 1, 1), "test", [new MarginTier(0, 95_000, 0.005, 0, 100), new MarginTier(95_000, double.PositiveInfinity, 0.01, 475, 50)]);
        var position = new PortfolioPosition("btc", "BTC", PositionTerms.Create(Venue.Binance, ContractType.Linear, MarginMode.Cross,
            PositionSide.Long, 1, 100_000, 10, MaintenanceSchedule.FromTable(table)), 100_000);

        var result = PortfolioStress.Run(new Book([position], 10_000), new BtcMove(-0.2));

        Assert.Equal(-9_500.0 / 99_500, result.AccountKillMove!.Value, Tight);
    }

    [Fact]
    public void Grid_runs_each_scenario_in_order()
    {
        Scenario[] scenarios = [new BtcMove(-0.05), new BtcMove(-0.08), new BtcMove(-0.15)];

        var results = PortfolioStress.Grid(ThreePositions(), scenarios);

        Assert.Equal([false, true, true], results.Select(r => r.Positions[2].Liquidated));
        Assert.Equal([false, false, true], results.Select(r => r.AccountLiquidated));
        Assert.Equal("BTC −15%", results[2].Scenario.Label);
    }

    [Fact]
    public void A_cross_inverse_position_is_rejected_by_name()
    {
        var inverseCross = new PortfolioPosition("coin-m", "BTC", PositionTerms.Create(Venue.Binance, ContractType.Inverse, MarginMode.Cross,
            PositionSide.Long, 10, 50_000, 5, MaintenanceSchedule.Fixed(0.01, 0), collateral: 1, contractSize: 100), 50_000);

        var error = Assert.Throws<ArgumentException>(() => PortfolioStress.Run(new Book([inverseCross], 1_000), new AllMove(-0.1)));

        Assert.Contains("'coin-m'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Repeated_ids_are_rejected()
    {
        var p = Linear("x", "BTC", MarginMode.Isolated, PositionSide.Long, 1, 100, 10, 0.01);

        Assert.Throws<ArgumentException>(() => PortfolioStress.Run(new Book([p, p], 0), new AllMove(-0.1)));
    }

    [Fact]
    public void A_move_below_minus_100_percent_floors_the_price_at_zero()
    {
        var result = PortfolioStress.Run(ThreePositions(), new AllMove(-1.5));

        Assert.All(result.Positions, p => Assert.Equal(0, p.ShockedPrice));
        Assert.All(result.Positions, p => Assert.True(p.Liquidated));
    }
}
