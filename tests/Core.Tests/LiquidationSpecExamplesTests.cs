using PerpGuard.Core.Calculator;
using PerpGuard.Core.Liquidation;

namespace PerpGuard.Core.Tests;

/// <summary>
/// Every numeric worked example of docs/liquidation-spec.md (the venues' own pages), run through the public calculator.
/// The first argument names the source so a failing row says where its numbers come from.
/// </summary>
public class LiquidationSpecExamplesTests
{
    private static readonly RiskCalculator Calculator = RiskCalculator.Default;

    public static TheoryData<string, CalcRequest, double, double> LiquidationPrices => new()
    {
        {
            "Binance USDⓈ-M FAQ b3c689c1: cross, BTCUSDT long beside an ETHUSDT long ⇒ L(BTC) 26,316.89",
            new CalcRequest
            {
                Venue = "binance", Symbol = "BTCUSDT", MarginMode = "cross", Side = "long", Qty = 109.488, Entry = 32_481.98,
                WalletBalance = 1_535_443.01, Mmr = 0.025, MaintenanceAmount = 16_300,
                OtherPositions = [new() { Symbol = "ETHUSDT", Side = "long", Qty = 3_683.979, Entry = 1_456.84, Mark = 1_335.18, Mmr = 0.10, MaintenanceAmount = 135_365 }],
            },
            26_316.89, 0.005
        },
        {
            "Binance USDⓈ-M FAQ b3c689c1: cross, ETHUSDT long beside a BTCUSDT long ⇒ L(ETH) 1,153.26",
            new CalcRequest
            {
                Venue = "binance", Symbol = "ETHUSDT", MarginMode = "cross", Side = "long", Qty = 3_683.979, Entry = 1_456.84,
                WalletBalance = 1_535_443.01, Mmr = 0.10, MaintenanceAmount = 135_365,
                OtherPositions = [new() { Symbol = "BTCUSDT", Side = "long", Qty = 109.488, Entry = 32_481.98, Mark = 31_967.27, Mmr = 0.025, MaintenanceAmount = 16_300 }],
            },
            1_153.26, 0.005
        },
        {
            "Binance COIN-M FAQ ceccfcfb + dev.binance.vision 6292: long 100,000 BTCUSD @ 45,000, WB 101 BTC ⇒ 33,599.4 (built-in bracket 12.5%/11.605 at N(L))",
            new CalcRequest { Venue = "binance", Symbol = "BTCUSD_PERP", Side = "long", Qty = 100_000, Entry = 45_000, Margin = 101 },
            33_599.4, 0.05
        },
        {
            "Binance COIN-M FAQ ceccfcfb: same position with the bracket given explicitly ⇒ 33,599.4",
            new CalcRequest { Venue = "binance", Contract = "inverse", ContractSize = 100, Side = "long", Qty = 100_000, Entry = 45_000, Margin = 101, Mmr = 0.125, MaintenanceAmount = 11.605 },
            33_599.4, 0.05
        },
        {
            "Bybit help 'Liquidation Price USDT Contract' (published form): long 1 BTC @ 20,000, 50x, MMR 0.5% ⇒ 19,700",
            new CalcRequest { Venue = "bybit", Side = "long", Qty = 1, Entry = 20_000, Leverage = 50, Mmr = 0.005, Formula = "published" },
            19_700, 1e-6
        },
        {
            "Bybit help 'Liquidation Price USDT Contract' (published form): short 1 BTC @ 8,000, 40x, MMR 0.5% ⇒ 8,160",
            new CalcRequest { Venue = "bybit", Side = "short", Qty = 1, Entry = 8_000, Leverage = 40, Mmr = 0.005, Formula = "published" },
            8_160, 1e-6
        },
        {
            "liquidation-spec §3 (derived at-mark form of the same example): long 1 BTC @ 20,000, 50x, 0.5% ⇒ 19,698.49",
            new CalcRequest { Venue = "bybit", Side = "long", Qty = 1, Entry = 20_000, Leverage = 50, Mmr = 0.005 },
            19_698.49, 0.005
        },
        {
            "Bybit legacy standard-account cross: 1 BTC @ 20,000, available 2,000 + IM 200, MM 100 ⇒ 17,900",
            new CalcRequest { Venue = "bybit", Side = "long", Qty = 1, Entry = 20_000, Leverage = 100, MarginMode = "cross", WalletBalance = 2_200, Mmr = 0.005, Formula = "published" },
            17_900, 1e-6
        },
        {
            "Bybit legacy inverse cross: 0.5 BTC available, long 10,000 USD @ 8,000, fee 0.075% ⇒ L 5,739.08",
            new CalcRequest { Venue = "bybit", Contract = "inverse", ContractSize = 1, Side = "long", Qty = 10_000, Entry = 8_000, MarginMode = "cross", WalletBalance = 0.5, Mmr = 0.005, TakerFee = 0.00075, Formula = "published" },
            5_739.08, 0.005
        },
        {
            "liquidation-spec §8 (freqtrade quirk): Binance 5 BTC @ 60,000, 10x, notional bracket 0.5%/cum 50 ⇒ 54,261.31",
            new CalcRequest { Venue = "binance", Side = "long", Qty = 5, Entry = 60_000, Leverage = 10, Mmr = 0.005, MaintenanceAmount = 50 },
            54_261.31, 0.005
        },
    };

    [Theory]
    [MemberData(nameof(LiquidationPrices))]
    public void Liquidation_price_matches_the_venue_example(string source, CalcRequest request, double expected, double tolerance)
    {
        var outcome = Calculator.Calculate(request);

        Assert.True(outcome.IsSuccess, $"{source}: {outcome.Error}");
        var actual = outcome.Report!.Liquidation.Value;
        Assert.NotNull(actual);
        Assert.True(Math.Abs(actual.Value - expected) <= tolerance, $"{source}: expected {expected}, got {actual.Value}");
    }

    public static TheoryData<string, CalcRequest, double> BankruptcyPrices => new()
    {
        {
            "Bybit help (bankruptcy price): isolated long 1 BTC @ 10,000, 50x ⇒ 9,800",
            new CalcRequest { Venue = "bybit", Side = "long", Qty = 1, Entry = 10_000, Leverage = 50, Mmr = 0.005 },
            9_800
        },
        {
            "Bybit legacy inverse cross: 0.5 BTC, 10,000 USD @ 8,000, fee 0.075% ⇒ B = (1+f)·Q/(Q/E + avail) = 5,718.57",
            new CalcRequest { Venue = "bybit", Contract = "inverse", ContractSize = 1, Side = "long", Qty = 10_000 * 1.00075, Entry = 8_000 * 1.00075, MarginMode = "cross", WalletBalance = 0.5, Mmr = 0.005, TakerFee = 0.00075 },
            5_718.57
        },
    };

    [Theory]
    [MemberData(nameof(BankruptcyPrices))]
    public void Bankruptcy_price_matches_the_venue_example(string source, CalcRequest request, double expected)
    {
        var outcome = Calculator.Calculate(request);

        Assert.True(outcome.IsSuccess, $"{source}: {outcome.Error}");
        Assert.Equal(expected, outcome.Report!.Bankruptcy.Value!.Value, 2);
    }

    [Theory]
    [InlineData("Binance COIN-M FAQ ceccfcfb: 100 BTCUSD contracts at 25,000 ⇒ notional 0.4 BTC, MM 0.0016 BTC", "binance", "BTCUSD_PERP", 100.0, 25_000.0, 0.0016)]
    [InlineData("Bybit UTA inverse page: 60,000 USD @ 50,000, MMR 0.5% ⇒ PV 1.2 BTC, MM 0.006 BTC", "bybit", "BTCUSD", 60_000.0, 50_000.0, 0.006)]
    public void Maintenance_margin_matches_the_venue_example(string source, string venue, string symbol, double qty, double price, double expected)
    {
        var outcome = Calculator.Calculate(new CalcRequest { Venue = venue, Symbol = symbol, Side = "long", Qty = qty, Entry = price, Leverage = 10 });

        Assert.True(outcome.IsSuccess, $"{source}: {outcome.Error}");
        Assert.Equal(expected, outcome.Report!.MaintenanceMargin, 9);
    }

    [Fact]
    public void Bybit_inverse_initial_margin_matches_the_UTA_page_example()
    {
        // 60,000 USD @ 50,000, 10x: PV 1.2 BTC, IM 0.12 BTC.
        var outcome = Calculator.Calculate(new CalcRequest { Venue = "bybit", Symbol = "BTCUSD", Side = "long", Qty = 60_000, Entry = 50_000, Leverage = 10 });

        Assert.Equal(0.12, outcome.Report!.InitialMargin!.Value, 12);
    }

    [Fact]
    public void Binance_COIN_M_check_value_uses_the_bracket_at_the_liquidation_price_not_at_entry()
    {
        var report = Calculator.Calculate(new CalcRequest { Venue = "binance", Symbol = "BTCUSD_PERP", Side = "long", Qty = 100_000, Entry = 45_000, Margin = 101 }).Report!;

        // Entry notional is 222.2 BTC, but at L the notional is 297.6 BTC: the 200–400 BTC bracket, 12.5%, 11.605.
        Assert.Equal(0.125, report.Tier.MaintenanceRate);
        Assert.Equal(11.605, report.Tier.MaintenanceAmount, 9);
        Assert.Equal(297.6, 100_000 * 100 / report.Liquidation.Value!.Value, 1);
    }

    [Fact]
    public void Hedge_legs_in_cross_share_one_liquidation_price_per_the_Binance_general_formula()
    {
        // Binance's general formula with a long and a short leg (hedge mode), no other symbols.
        const double wallet = 10_000, ql = 1, el = 60_000, qs = 0.4, es = 61_000, mmr = 0.004;
        var expected = (wallet - ql * el + qs * es) / (ql * mmr + qs * mmr - ql + qs);
        var outcome = Calculator.Calculate(new CalcRequest
        {
            Venue = "binance", Side = "long", Qty = ql, Entry = el, MarginMode = "cross", WalletBalance = wallet, Mmr = mmr, Symbol = "BTCUSDT",
            OtherPositions = [new() { Symbol = "BTCUSDT", Side = "short", Qty = qs, Entry = es, Mmr = mmr }],
        });

        Assert.True(outcome.IsSuccess, outcome.Error?.ToString());
        Assert.Equal(expected, outcome.Report!.Liquidation.Value!.Value, 6);
    }
}
