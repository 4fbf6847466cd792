using PerpGuard.Core.Margin;
using PerpGuard.Core.Rounding;
using PerpGuard.Core.Text;
using PerpGuard.Core.Venues;

namespace PerpGuard.Core.Tests;

public class ParsingAndRoundingTests
{
    [Theory]
    [InlineData("60000", 60_000.0)]
    [InlineData("60,000", 60_000.0)]
    [InlineData("3,150", 3_150.0)]
    [InlineData("1,234,567.5", 1_234_567.5)]
    [InlineData("1.5k", 1_500.0)]
    [InlineData("2M", 2_000_000.0)]
    [InlineData("0.5", 0.5)]
    [InlineData("-1", -1.0)]
    public void Numbers_are_read_as_traders_type_them(string text, double expected)
    {
        Assert.True(NumberText.TryParse(text, out var value));
        Assert.Equal(expected, value, 9);
    }

    [Theory]
    [InlineData("6O000")]
    [InlineData("3,15")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("k")]
    [InlineData("NaN")]
    [InlineData("1.2.3")]
    public void Text_that_is_not_a_number_is_rejected(string text)
    {
        Assert.False(NumberText.TryParse(text, out _));
    }

    [Theory]
    [InlineData("20", 20.0)]
    [InlineData("20x", 20.0)]
    [InlineData("x10", 10.0)]
    [InlineData("12.5X", 12.5)]
    public void Leverage_accepts_the_x_forms(string text, double expected)
    {
        Assert.True(NumberText.TryParseLeverage(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("0.0001", 0.0001)]
    [InlineData("0.01%", 0.0001)]
    [InlineData("60%", 0.6)]
    public void Rates_accept_fractions_and_percentages(string text, double expected)
    {
        Assert.True(NumberText.TryParseRate(text, out var value));
        Assert.Equal(expected, value, 12);
    }

    [Theory]
    [InlineData("24", 24.0)]
    [InlineData("24h", 24.0)]
    [InlineData("90m", 1.5)]
    [InlineData("7d", 168.0)]
    [InlineData("2w", 336.0)]
    public void Durations_are_read_in_hours(string text, double expected)
    {
        Assert.True(NumberText.TryParseHours(text, out var hours));
        Assert.Equal(expected, hours, 12);
    }

    [Theory]
    [InlineData("BTC", "BTC", null)]
    [InlineData("btcusdt", "BTC", "USDT")]
    [InlineData("BTC-USDT-SWAP", "BTC", "USDT")]
    [InlineData("BTC-USD-SWAP", "BTC", "USD")]
    [InlineData("BTCUSD_PERP", "BTC", "USD")]
    [InlineData("ETH/USDT:USDT", "ETH", "USDT")]
    [InlineData("solusdc", "SOL", "USDC")]
    [InlineData("1000PEPEUSDT", "1000PEPE", "USDT")]
    public void Symbols_normalize_to_base_and_quote(string text, string expectedBase, string? expectedQuote)
    {
        Assert.True(SymbolName.TryParse(text, out var b, out var q));
        Assert.Equal(expectedBase, b);
        Assert.Equal(expectedQuote, q);
    }

    [Theory]
    [InlineData("")]
    [InlineData("BTC$")]
    [InlineData("   ")]
    public void Garbage_is_not_a_symbol(string text) => Assert.False(SymbolName.TryParse(text, out _, out _));

    [Theory]
    [InlineData(57_149.9982, 0.1, TickRounding.Up, 57_150.0)]
    [InlineData(57_149.9982, 0.1, TickRounding.Down, 57_149.9)]
    [InlineData(57_149.96, 0.1, TickRounding.Nearest, 57_150.0)]
    [InlineData(0.123456, 0.0001, TickRounding.Up, 0.1235)]
    [InlineData(5_739.08, 0.5, TickRounding.Up, 5_739.5)]
    public void Rounding_to_tick_is_exact_and_chosen_by_the_caller(double price, double tick, TickRounding rounding, double expected)
    {
        Assert.Equal(expected, TickSize.Of(tick).Round(price, rounding));
    }

    [Fact]
    public void Conservative_rounding_moves_a_liquidation_price_toward_the_mark()
    {
        Assert.Equal(TickRounding.Up, TickSize.Conservative(PositionSide.Long));
        Assert.Equal(TickRounding.Down, TickSize.Conservative(PositionSide.Short));
        Assert.Equal(123.456, default(TickSize).Round(123.456, TickRounding.Up));
    }
}
