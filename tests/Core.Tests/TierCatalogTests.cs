using PerpGuard.Core.Margin;
using PerpGuard.Core.Venues;

namespace PerpGuard.Core.Tests;

public class TierCatalogTests
{
    public static TheoryData<Venue, ContractType, string> Required()
    {
        var data = new TheoryData<Venue, ContractType, string>();
        foreach (var venue in Enum.GetValues<Venue>())
            foreach (var contract in Enum.GetValues<ContractType>())
                if (contract == ContractType.Linear || VenueRules.HasInverse(venue))
                    foreach (var coin in new[] { "BTC", "ETH", "SOL" })
                        data.Add(venue, contract, coin);
        return data;
    }

    [Theory]
    [MemberData(nameof(Required))]
    public void BTC_ETH_and_SOL_have_dated_sourced_tiers_on_every_venue_and_contract(Venue venue, ContractType contract, string coin)
    {
        Assert.True(TierCatalog.BuiltIn.TryFind(venue, contract, coin, out var table), $"no {venue} {contract} {coin} table");
        Assert.StartsWith("http", table.Source, StringComparison.Ordinal);
        Assert.True(table.Taken.Year >= 2019);
        Assert.True(table.TickSize > 0);
        if (contract == ContractType.Inverse) Assert.True(table.ContractSize > 0);
    }

    [Fact]
    public void Brackets_with_a_deduction_keep_maintenance_continuous_at_every_boundary()
    {
        foreach (var table in TierCatalog.BuiltIn.Tables.Where(t => t.Basis == TierBasis.Notional))
        {
            var tiers = table.Tiers;
            for (var i = 1; i < tiers.Length; i++)
            {
                var below = tiers[i].Floor * tiers[i - 1].MaintenanceRate - tiers[i - 1].MaintenanceAmount;
                var above = tiers[i].Floor * tiers[i].MaintenanceRate - tiers[i].MaintenanceAmount;
                Assert.True(Math.Abs(below - above) <= 1e-6 * Math.Max(1, Math.Abs(below)), $"{table.Venue} {table.Symbol} tier {i + 1}: {below} vs {above}");
            }
        }
    }

    [Fact]
    public void Hyperliquid_maintenance_is_half_the_initial_margin_at_max_leverage()
    {
        foreach (var table in TierCatalog.BuiltIn.Tables.Where(t => t.Venue == Venue.Hyperliquid))
            foreach (var tier in table.Tiers)
                Assert.Equal(1 / (2 * tier.MaxLeverage), tier.MaintenanceRate, 12);

        Assert.True(TierCatalog.BuiltIn.TryFind(Venue.Hyperliquid, ContractType.Linear, "BTC", out var btc));
        Assert.Equal(0.0125, btc.Tiers[0].MaintenanceRate, 12);  // 40x
        Assert.Equal(1_875_000, btc.Tiers[1].MaintenanceAmount, 6); // 150M × (2.5% − 1.25%)
    }

    [Fact]
    public void Spellings_of_one_symbol_find_the_same_table()
    {
        Assert.True(TierCatalog.BuiltIn.TryFind(Venue.Okx, ContractType.Linear, "BTC-USDT-SWAP", out var a));
        Assert.True(TierCatalog.BuiltIn.TryFind(Venue.Okx, ContractType.Linear, "btcusdt", out var b));
        Assert.True(TierCatalog.BuiltIn.TryFind(Venue.Okx, ContractType.Linear, "BTC", out var c));
        Assert.Same(a, b);
        Assert.Same(a, c);
    }

    [Fact]
    public void A_table_with_gaps_is_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => new TierTable(Venue.Binance, ContractType.Linear, "X", "X", "USDT", TierBasis.Notional, null, 0.1,
            new DateOnly(2026, 1, 1), "test", [new MarginTier(0, 10, 0.01, 0, 50), new MarginTier(20, 30, 0.02, 0.1, 25)]));
        Assert.Contains("not contiguous", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_bracket_lookup_is_half_open()
    {
        Assert.True(TierCatalog.BuiltIn.TryFind(Venue.Hyperliquid, ContractType.Linear, "BTC", out var t));
        Assert.Equal(40, t.Find(149_999_999.99).MaxLeverage);
        Assert.Equal(20, t.Find(150_000_000).MaxLeverage);
    }
}
