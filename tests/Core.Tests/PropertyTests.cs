using PerpGuard.Core.Liquidation;
using PerpGuard.Core.Margin;
using PerpGuard.Core.Venues;

namespace PerpGuard.Core.Tests;

/// <summary>
/// Properties over generated positions on every venue and contract with built-in tiers: the engine's answers must
/// satisfy the venue's own definitions, not just match a few examples.
/// </summary>
public class PropertyTests
{
    private const int Cases = 3_000;

    public static TheoryData<Venue, ContractType, string> Instruments()
    {
        var data = new TheoryData<Venue, ContractType, string>();
        foreach (var t in TierCatalog.BuiltIn.Tables.OrderBy(t => t.Venue).ThenBy(t => t.Contract).ThenBy(t => t.Symbol, StringComparer.Ordinal))
            data.Add(t.Venue, t.Contract, t.Symbol);
        return data;
    }

    [Theory]
    [MemberData(nameof(Instruments))]
    public void At_the_liquidation_price_equity_equals_the_requirement(Venue venue, ContractType contract, string symbol)
    {
        var checkedCount = 0;
        foreach (var p in Generate(venue, contract, symbol, seed: 1))
        {
            var level = LiquidationEngine.LiquidationPrice(p);
            if (level.Value is not { } l) continue;
            var equity = LiquidationEngine.Equity(p, l);
            var requirement = LiquidationEngine.Requirement(p, l);
            var scale = Math.Max(Math.Abs(equity), LiquidationEngine.MaintenanceMargin(p, p.Entry));
            Assert.True(Math.Abs(equity - requirement) <= 1e-9 * scale,
                $"{Describe(p)}: L={l}, equity {equity} vs requirement {requirement}");
            checkedCount++;
        }
        Assert.True(checkedCount > Cases / 2, $"only {checkedCount} positions had a liquidation price");
    }

    [Theory]
    [MemberData(nameof(Instruments))]
    public void The_bracket_used_contains_the_notional_at_the_liquidation_price(Venue venue, ContractType contract, string symbol)
    {
        foreach (var p in Generate(venue, contract, symbol, seed: 2))
        {
            if (LiquidationEngine.LiquidationPrice(p).Value is not { } l) continue;
            var tier = LiquidationEngine.TierAt(p, l);
            var basis = p.Maintenance.BasisValue(p.Contract, p.Quantity, p.ContractSize, l);
            var last = p.Maintenance.Table!.Tiers[^1];
            Assert.True(tier.Contains(basis) || tier == last && basis >= last.Floor, $"{Describe(p)}: L={l}, basis {basis} not in [{tier.Floor}, {tier.Cap})");
            // The equation was solved with that same bracket: the requirement at L uses it.
            var expected = MaintenanceSchedule.Notional(p.Contract, p.Quantity, p.ContractSize, l) * (tier.MaintenanceRate + (venue == Venue.Okx ? p.TakerFee : 0)) - tier.MaintenanceAmount;
            Assert.Equal(expected, LiquidationEngine.MaintenanceMargin(p, l), 9);
        }
    }

    [Theory]
    [MemberData(nameof(Instruments))]
    public void Isolated_long_liquidates_below_entry_and_short_above(Venue venue, ContractType contract, string symbol)
    {
        foreach (var p in Generate(venue, contract, symbol, seed: 3))
        {
            if (LiquidationEngine.LiquidationPrice(p).Value is not { } l) continue;
            if (p.Side == PositionSide.Long) Assert.True(l < p.Entry, $"{Describe(p)}: long L {l} ≥ entry");
            else Assert.True(l > p.Entry, $"{Describe(p)}: short L {l} ≤ entry");
        }
    }

    [Theory]
    [MemberData(nameof(Instruments))]
    public void Liquidation_price_moves_away_from_entry_as_leverage_falls(Venue venue, ContractType contract, string symbol)
    {
        foreach (var p in Generate(venue, contract, symbol, seed: 4))
        {
            if (p.Leverage < 2.5) continue;
            var lower = PositionTerms.Create(p.Venue, p.Contract, p.Mode, p.Side, p.Quantity, p.Entry, p.Leverage / 2, p.Maintenance,
                contractSize: p.ContractSize, takerFee: p.TakerFee);
            var high = LiquidationEngine.LiquidationPrice(p);
            var low = LiquidationEngine.LiquidationPrice(lower);
            if (high.Value is not { } lh) continue;
            if (low.Value is not { } ll)
            {
                Assert.Equal(PriceLevelKind.Unreachable, low.Kind);
                continue;
            }
            Assert.True(Math.Abs(ll - p.Entry) > Math.Abs(lh - p.Entry), $"{Describe(p)}: L at {p.Leverage}x = {lh}, at {p.Leverage / 2}x = {ll}");
        }
    }

    [Theory]
    [MemberData(nameof(Instruments))]
    public void Bankruptcy_is_beyond_liquidation_and_equity_is_zero_there(Venue venue, ContractType contract, string symbol)
    {
        foreach (var p in Generate(venue, contract, symbol, seed: 5))
        {
            if (LiquidationEngine.LiquidationPrice(p).Value is not { } l || LiquidationEngine.BankruptcyPrice(p).Value is not { } b) continue;
            Assert.True(p.Side == PositionSide.Long ? b < l : b > l, $"{Describe(p)}: L {l}, B {b}");
            Assert.True(Math.Abs(p.Collateral + LiquidationEngine.UnrealizedPnl(p, b)) <= 1e-9 * p.Collateral, $"{Describe(p)}: equity at B");
        }
    }

    [Theory]
    [InlineData(Venue.Binance)]
    [InlineData(Venue.Bybit)]
    [InlineData(Venue.Hyperliquid)]
    [InlineData(Venue.Okx)]
    public void A_1x_linear_long_cannot_be_liquidated(Venue venue)
    {
        Assert.True(TierCatalog.BuiltIn.TryFind(venue, ContractType.Linear, "BTC", out var table));
        var p = PositionTerms.Create(venue, ContractType.Linear, MarginMode.Isolated, PositionSide.Long, 0.1, 60_000, 1, MaintenanceSchedule.FromTable(table), takerFee: 0.0005);

        var level = LiquidationEngine.LiquidationPrice(p);

        Assert.Equal(PriceLevelKind.Unreachable, level.Kind);
        Assert.Null(level.Value);
    }

    [Theory]
    [InlineData(Venue.Binance, 1.0)]
    [InlineData(Venue.Binance, 0.8)]
    [InlineData(Venue.Bybit, 1.0)]
    [InlineData(Venue.Okx, 1.0)]
    public void An_inverse_short_at_or_below_1x_cannot_be_liquidated(Venue venue, double leverage)
    {
        Assert.True(TierCatalog.BuiltIn.TryFind(venue, ContractType.Inverse, "BTC", out var table));
        var p = PositionTerms.Create(venue, ContractType.Inverse, MarginMode.Isolated, PositionSide.Short, 1_000, 60_000, leverage,
            MaintenanceSchedule.FromTable(table), contractSize: table.ContractSize ?? 100);

        Assert.Equal(PriceLevelKind.Unreachable, LiquidationEngine.LiquidationPrice(p).Kind);
    }

    [Fact]
    public void A_cross_account_underwater_everywhere_is_reported_as_breached_not_as_a_price()
    {
        var p = PositionTerms.Create(Venue.Binance, ContractType.Linear, MarginMode.Cross, PositionSide.Short, 1, 60_000, 10,
            MaintenanceSchedule.Fixed(0.004, 0), collateral: 1_000, otherMaintenance: 500, otherUnrealizedPnl: -70_000);

        var level = LiquidationEngine.LiquidationPrice(p);

        Assert.Equal(PriceLevelKind.BreachedEverywhere, level.Kind);
        Assert.Null(level.Value);
    }

    /// <summary>Positions spread over every bracket: notional log-uniform from 100 to the last floor × 1.5.</summary>
    private static IEnumerable<PositionTerms> Generate(Venue venue, ContractType contract, string symbol, int seed)
    {
        Assert.True(TierCatalog.BuiltIn.TryFind(venue, contract, symbol, out var table));
        var schedule = MaintenanceSchedule.FromTable(table);
        var random = new Random(seed);
        var contractSize = contract == ContractType.Inverse ? table.ContractSize ?? 100 : 1;
        var unit = table.Basis == TierBasis.Contracts && contract == ContractType.Linear ? table.ContractSize ?? 1 : 1;
        var maxNotional = Math.Max(table.Tiers[^1].Floor * 1.5, 1e6);
        for (var i = 0; i < Cases; i++)
        {
            var entry = Math.Exp(random.NextDouble() * Math.Log(200_000 / 0.05)) * 0.05;
            var side = random.Next(2) == 0 ? PositionSide.Long : PositionSide.Short;
            var basisTarget = Math.Exp(random.NextDouble() * Math.Log(maxNotional / 100)) * 100;
            // Basis value → quantity: contracts tables count contracts, notional tables count settle currency.
            double qty = table.Basis == TierBasis.Contracts
                ? Math.Max(1, Math.Round(basisTarget / 1_000)) * unit
                : contract == ContractType.Linear ? basisTarget / entry : Math.Max(1, Math.Round(basisTarget * entry / contractSize));
            var maxLeverage = schedule.At(contract, qty, contractSize, entry).MaxLeverage;
            var leverage = 1 + random.NextDouble() * (Math.Min(maxLeverage, 125) - 1);
            yield return PositionTerms.Create(venue, contract, MarginMode.Isolated, side, qty, entry, leverage, schedule,
                contractSize: contractSize, takerFee: random.NextDouble() * 0.001);
        }
    }

    private static string Describe(in PositionTerms p) =>
        $"{p.Venue} {p.Contract} {p.Side} qty {p.Quantity} @ {p.Entry} {p.Leverage:F2}x margin {p.Collateral}";
}
