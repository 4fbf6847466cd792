using PerpGuard.Core.Calculator;

namespace PerpGuard.Core.Tests;

/// <summary>Bad input gets a message that names the field and shows a valid example; never an exception.</summary>
public class RiskCalculatorValidationTests
{
    private static CalcRequest Valid() => new()
    {
        Venue = "bybit", Symbol = "BTCUSDT", Side = "long", Entry = 60_000, Qty = 0.5, Leverage = 20,
    };

    public static TheoryData<string, Action<CalcRequest>, string, string> BadInputs => new()
    {
        { "negative quantity", r => r.Qty = -1, "qty", "must be greater than 0 (got -1)" },
        { "zero quantity", r => r.Qty = 0, "qty", "must be greater than 0 (got 0)" },
        { "leverage zero", r => r.Leverage = 0, "leverage", "must be greater than 0" },
        { "leverage above the bracket's maximum", r => r.Leverage = 500, "leverage", "maximum of" },
        { "unknown venue", r => r.Venue = "mtgox", "venue", "unknown venue 'mtgox'" },
        { "unknown symbol without explicit tier", r => r.Symbol = "XRPUSDT", "symbol", "no built-in bybit linear tiers for XRPUSDT" },
        { "NaN entry", r => r.Entry = double.NaN, "entry", "must be a finite number" },
        { "1e308 entry", r => r.Entry = 1e308, "entry", "must be at most 1e+09" },
        { "infinite qty", r => r.Qty = double.PositiveInfinity, "qty", "must be a finite number" },
        { "missing side", r => r.Side = null, "side", "is required" },
        { "misspelled side", r => r.Side = "lng", "side", "'lng' is not a side" },
        { "missing entry", r => r.Entry = null, "entry", "is required" },
        { "no symbol and no tier", r => r.Symbol = null, "symbol", "is needed to pick the venue's maintenance tiers" },
        { "mmr of 1", r => r.Mmr = 1, "mmr", "between 0 and 1 (exclusive)" },
        { "amount without mmr", r => r.MaintenanceAmount = 5, "mmr", "is required when maintenance_amount is given" },
        { "cross without wallet", r => r.MarginMode = "cross", "wallet_balance", "is required" },
        { "wallet in isolated", r => r.WalletBalance = 1_000, "wallet_balance", "is for cross margin" },
        { "other positions in isolated", r => r.OtherPositions = [new()], "other_positions", "only enter in cross margin" },
        { "inverse on Hyperliquid", r => { r.Venue = "hyperliquid"; r.Contract = "inverse"; }, "contract", "Hyperliquid lists only linear" },
        { "linear with an inverse symbol", r => { r.Contract = "linear"; r.Symbol = "BTCUSD"; }, "contract", "coin-margined (inverse) symbol" },
        { "formula on another venue", r => { r.Venue = "okx"; r.Formula = "published"; }, "formula", "only Bybit" },
        { "volatility without horizon", r => r.Volatility = 0.6, "horizon_hours", "is required" },
        { "absurd volatility", r => { r.Volatility = 500; r.HorizonHours = 24; }, "volatility", "at most 20" },
        { "absurd funding rate", r => r.FundingRate = 0.5, "funding_rate", "between -0.1 and 0.1" },
        { "negative mark", r => r.Mark = -5, "mark", "greater than 0" },
        { "margin below maintenance", r => { r.Leverage = null; r.Margin = 0.0001; r.Qty = 50; }, "margin", "is at or below the maintenance margin at entry" },
        { "contract size on linear", r => r.ContractSize = 100, "contract_size", "applies only to inverse" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Bad_input_is_named_with_a_valid_example(string because, Action<CalcRequest> spoil, string field, string problem)
    {
        var request = Valid();
        spoil(request);

        var outcome = RiskCalculator.Default.Calculate(request);

        Assert.False(outcome.IsSuccess, because);
        Assert.Equal(field, outcome.Error!.Field);
        Assert.Contains(problem, outcome.Error.Problem, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(outcome.Error.Example));
        Assert.StartsWith($"{field}: ", outcome.Error.ToString(), StringComparison.Ordinal);
        Assert.Contains("Example: ", outcome.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Other_position_errors_name_the_item()
    {
        var request = Valid();
        request.MarginMode = "cross";
        request.WalletBalance = 5_000;
        request.OtherPositions = [new() { Symbol = "ETHUSDT", Side = "long", Qty = 2, Entry = 3_000, Mark = 3_100, Mmr = 0.005 }, new() { Symbol = "ETHUSDT", Side = "long", Qty = -2, Entry = 3_000 }];

        var error = RiskCalculator.Default.Calculate(request).Error!;

        Assert.Equal("other_positions[1].qty", error.Field);
        Assert.Equal("2", error.Example);
    }

    [Fact]
    public void A_valid_request_gets_every_figure()
    {
        var request = Valid();
        request.Mark = 61_000;
        request.FundingRate = 0.0001;
        request.Volatility = 0.6;
        request.HorizonHours = 24;

        var report = RiskCalculator.Default.Calculate(request).Report!;

        Assert.NotNull(report.Liquidation.Value);
        Assert.NotNull(report.Bankruptcy.Value);
        Assert.Equal(1_500, report.InitialMargin!.Value, 9);
        Assert.True(report.Distance > 0 && report.Distance < 0.1);
        Assert.Equal(0.5 * 61_000 * 0.0001 * 3, report.Funding!.Value.OverHorizon, 9);
        Assert.InRange(report.HitProbability!.Value, 0.0, 1.0);
        Assert.True(report.HitProbabilityHourlyBars < report.HitProbability);
    }

    [Fact]
    public void A_position_that_cannot_be_liquidated_has_no_price_and_zero_hit_probability()
    {
        var request = Valid();
        request.Leverage = 1;
        request.Mark = 60_000;
        request.Volatility = 0.6;
        request.HorizonHours = 24;

        var report = RiskCalculator.Default.Calculate(request).Report!;

        Assert.Null(report.Liquidation.Value);
        Assert.Null(report.Distance);
        Assert.Equal(0, report.HitProbability);
    }

    [Fact]
    public void Forgiving_spellings_are_accepted()
    {
        var outcome = RiskCalculator.Default.Calculate(new CalcRequest
        {
            Venue = "OKX", Symbol = "eth-usdt-swap", Side = "SHORT", MarginMode = "Cross", Entry = 3_150, Qty = 3, WalletBalance = 2_000, Leverage = 10,
        });

        Assert.True(outcome.IsSuccess, outcome.Error?.ToString());
        Assert.Equal("ETH-USDT-SWAP", outcome.Report!.Table!.Symbol);
    }

    [Fact]
    public void A_USD_quoted_symbol_selects_the_inverse_contract_and_its_contract_size()
    {
        var report = RiskCalculator.Default.Calculate(new CalcRequest { Venue = "binance", Symbol = "btcusd_perp", Side = "long", Entry = 60_000, Qty = 10, Leverage = 10 }).Report!;

        Assert.Equal(Venues.ContractType.Inverse, report.Terms.Contract);
        Assert.Equal(100, report.Terms.ContractSize);
        Assert.Equal("BTC", report.Settle);
    }
}
