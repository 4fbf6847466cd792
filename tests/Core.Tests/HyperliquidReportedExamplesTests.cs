using PerpGuard.Core.Calculator;

namespace PerpGuard.Core.Tests;

/// <summary>
/// 29 isolated Hyperliquid positions with the liquidation price the exchange reported, as recorded in freqtrade's
/// test_hyperliquid_dry_run_liquidation_price
/// (https://github.com/freqtrade/freqtrade/blob/3b1fb5af847863302393b0413321642d454e35a5/tests/exchange/test_hyperliquid.py).
/// Margin is the exchange-reported isolated collateral; MMR = 1/(2·maxLev) with the test's max leverage
/// (BTC and ETH 50x, SOL and DOGE 20x at the time). The spec observed agreement to 3.5e-5 relative.
/// </summary>
public class HyperliquidReportedExamplesTests
{
    [Theory]
    [InlineData(1, "ETH", "long", 0.015, 2458.5, 50.0, 36.864593, 0.86915825)]
    [InlineData(2, "BTC", "long", 0.00039, 63287.0, 50.0, 24.673292, 22.37166537)]
    [InlineData(3, "SOL", "long", 0.16, 146.82, 20.0, 23.482979, 0.05269872)]
    [InlineData(4, "SOL", "long", 0.33, 145.83, 20.0, 24.045107, 74.83696193)]
    [InlineData(5, "ETH", "long", 0.0199, 2459.5, 50.0, 24.454895, 1243.0411908)]
    [InlineData(6, "BTC", "long", 0.00077, 62739.0, 50.0, 24.137992, 31708.03843631)]
    [InlineData(7, "DOGE", "long", 437.0, 0.11586, 20.0, 25.29769, 0.05945697)]
    [InlineData(8, "ETH", "short", 0.019, 2642.8, 50.0, 25.091876, 3924.18322043)]
    [InlineData(9, "SOL", "short", 0.32, 155.89, 20.0, 24.924941, 228.07847866)]
    [InlineData(10, "DOGE", "short", 351.0, 0.14333, 20.0, 25.136807, 0.20970228)]
    [InlineData(11, "BTC", "short", 0.00069, 68595.0, 50.0, 23.64871, 101849.99354283)]
    [InlineData(12, "BTC", "short", 0.00099, 65536.0, 50.0, 21.604172, 86493.46174617)]
    [InlineData(13, "SOL", "long", 0.6, 173.06, 20.0, 20.735658, 142.05186667)]
    [InlineData(14, "ETH", "long", 0.0329, 2545.5, 50.0, 20.909894, 1929.23322895)]
    [InlineData(15, "BTC", "short", 0.00031, 67400.0, 50.0, 20.887308, 133443.97317151)]
    [InlineData(16, "ETH", "short", 0.0327, 2552.0, 50.0, 20.833393, 3157.53150453)]
    [InlineData(17, "BTC", "long", 0.0015, 66930.0, 50.0, 20.043862, 54108.51043771)]
    [InlineData(18, "BTC", "long", 0.00121, 67033.0, 50.0, 20.251817, 50804.00091827)]
    [InlineData(19, "ETH", "long", 0.0237, 2521.9, 50.0, 19.902091, 1699.14071943)]
    [InlineData(20, "BTC", "short", 0.00145, 68139.0, 50.0, 19.72573, 80933.61590987)]
    [InlineData(21, "SOL", "short", 0.11, 178.29, 20.0, 19.605036, 347.82205322)]
    [InlineData(22, "SOL", "long", 0.33, 176.23, 20.0, 19.364946, 120.56240404)]
    [InlineData(23, "SOL", "short", 0.33, 173.08, 20.0, 19.01881, 225.08561715)]
    [InlineData(24, "BTC", "short", 0.00105, 68240.0, 50.0, 17.887922, 84431.79820839)]
    [InlineData(25, "ETH", "short", 0.007, 2518.4, 50.0, 17.62263, 4986.05799151)]
    [InlineData(26, "ETH", "long", 0.0347, 2533.2, 50.0, 17.555195, 2047.7642302)]
    [InlineData(27, "DOGE", "long", 360.0, 0.13284, 20.0, 15.943218, 0.09082388)]
    [InlineData(28, "SOL", "short", 0.48, 163.11, 20.0, 15.650731, 190.94213618)]
    [InlineData(29, "BTC", "long", 0.00067, 67141.0, 50.0, 14.979079, 45236.52992613)]
    public void Liquidation_price_matches_what_Hyperliquid_reported(int row, string asset, string side, double size, double entry, double maxLeverage, double collateral, double reported)
    {
        var outcome = RiskCalculator.Default.Calculate(new CalcRequest
        {
            Id = $"freqtrade row {row}", Venue = "hyperliquid", Symbol = asset, Side = side, Qty = size, Entry = entry,
            Margin = collateral, Mmr = 1 / (2 * maxLeverage),
        });

        Assert.True(outcome.IsSuccess, outcome.Error?.ToString());
        var actual = outcome.Report!.Liquidation.Value!.Value;
        Assert.True(Math.Abs(actual - reported) / reported <= 5e-5, $"row {row} {asset} {side}: reported {reported}, computed {actual}");
    }
}
