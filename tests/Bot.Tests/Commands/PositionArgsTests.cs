using PerpGuard.Bot.Commands;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Tests.Commands;

/// <summary>The <c>/add</c> and <c>/liq</c> argument syntax: the forms traders type, and an exact message for each mistake.</summary>
public sealed class PositionArgsTests
{
    private static PositionDraft Parse(string args, bool allowMark = false)
    {
        Assert.True(CommandText.TryParse("/add " + args, out var command, out var error), error);
        Assert.True(PositionArgs.TryParse(command.Tokens, allowMark, out var draft, out var argError), argError.ToString());
        return draft;
    }

    private static string Error(string args, bool allowMark = false)
    {
        Assert.True(CommandText.TryParse("/add " + args, out var command, out var error), error);
        Assert.False(PositionArgs.TryParse(command.Tokens, allowMark, out _, out var argError), "expected an error for: " + args);
        return argError.ToString();
    }

    [Theory]
    [InlineData("binance BTCUSDT long 0.5 @ 60000 x20", Venue.Binance, "BTCUSDT", 0.5, 60000, 20)]
    [InlineData("BTC long 0.5 60000 20x", null, "BTC", 0.5, 60000, 20)]
    [InlineData("bybit ethusdt short 3 @ 3,150 x10", Venue.Bybit, "ethusdt", 3, 3150, 10)]
    [InlineData("okx BTC-USDT-SWAP long 1.5k @ 61.5k x25", Venue.Okx, "BTC-USDT-SWAP", 1500, 61500, 25)]
    [InlineData("BTC long 0.5@60000 x20", null, "BTC", 0.5, 60000, 20)]
    [InlineData("BTC long 0.5 @60000 X20", null, "BTC", 0.5, 60000, 20)]
    [InlineData("BTC buy 0.5 at 60000 lev 20", null, "BTC", 0.5, 60000, 20)]
    [InlineData("hl SOL sell 2M @ 150 x 5", Venue.Hyperliquid, "SOL", 2_000_000, 150, 5)]
    [InlineData("BTC long 0.5 60000 20", null, "BTC", 0.5, 60000, 20)]
    [InlineData("binance BTCUSD_PERP long 100 @ 60,000.5 x20", Venue.Binance, "BTCUSD_PERP", 100, 60000.5, 20)]
    public void Accepts_TheFormsTradersType(string args, Venue? venue, string symbol, double qty, double entry, double leverage)
    {
        var d = Parse(args);
        Assert.Equal(venue, d.Venue);
        Assert.Equal(symbol, d.Symbol);
        Assert.Equal(qty, d.Qty, 9);
        Assert.Equal(entry, d.Entry, 9);
        Assert.Equal(leverage, d.Leverage);
        Assert.Null(d.Mode);
    }

    [Fact]
    public void Reads_EveryOptionalKeyword_InAnyOrder()
    {
        var d = Parse("bybit ETH short 3 @ 3150 cross wallet 5k x10 mmr 0.5% label swing trade #2");
        Assert.Equal(MarginMode.Cross, d.Mode);
        Assert.Equal(5000, d.Wallet);
        Assert.Equal(10, d.Leverage);
        Assert.Equal(0.005, d.Mmr!.Value, 12);
        Assert.Equal("swing trade #2", d.Label);
        Assert.Equal(PositionSide.Short, d.Side);

        var iso = Parse("BTC long 0.5 @ 60000 iso margin 1,500 label \"core\"");
        Assert.Equal(MarginMode.Isolated, iso.Mode);
        Assert.Equal(1500, iso.Margin);
        Assert.Null(iso.Leverage);
        Assert.Equal("core", iso.Label);
    }

    [Fact]
    public void Mark_IsAccepted_OnlyWhereAllowed()
    {
        Assert.Equal(61000, Parse("BTC long 0.5 @ 60000 x20 mark 61k", allowMark: true).Mark);
        Assert.Equal("mark: is only for /liq: for tracked positions PerpGuard reads the mark from the market", Error("BTC long 0.5 @ 60000 x20 mark 61000"));
    }

    private const string Allowed = "Allowed: x<leverage>, isolated, cross, margin <amount>, wallet <amount>, mmr <rate>, label <text>";

    [Theory]
    [InlineData("", "symbol: is missing")]
    [InlineData("binance", "symbol: is missing")]
    [InlineData("BTC", "side: is missing; use long or short")]
    [InlineData("BTC lng 0.5 @ 6O000", "side: 'lng' is not a side; use long or short")]
    [InlineData("BTC long", "qty: is missing")]
    [InlineData("BTC long abc @ 60000", "qty: 'abc' is not a number")]
    [InlineData("BTC long 0,5 @ 60000", "qty: '0,5' is not a number")]
    [InlineData("BTC long 1e999 @ 60000", "qty: '1e999' is not a number")]
    [InlineData("BTC long NaN @ 60000", "qty: 'NaN' is not a number")]
    [InlineData("BTC long 0.5", "entry: is missing")]
    [InlineData("BTC long 0.5 @", "entry: is missing")]
    [InlineData("BTC long 0.5 x20", "entry: is missing")]
    [InlineData("BTC long 0.5 @ 6O000", "entry: '6O000' is not a number (a letter O where a zero belongs?)")]
    [InlineData("BTC long 0.5 @ 60,00 x20", "entry: '60,00' is not a number")]
    [InlineData("BTC long 0.5 @ sixty", "entry: 'sixty' is not a number")]
    [InlineData("kraken BTC long 0.5 @ 60000 x20", "venue: 'kraken' is not a venue; use binance, bybit, hyperliquid or okx")]
    [InlineData("B$C long 0.5 @ 60000 x20", "symbol: 'B$C' is not a symbol")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 long 1 @ 1 x1", "symbol: 'ABCDEFGHIJKLMNOPQRSTUVW…' is not a symbol")]
    [InlineData("BTC long 0.5 @ 60000 x abc", "leverage: 'abc' is not a leverage; write x20 or 20x")]
    [InlineData("BTC long 0.5 @ 60000 x", "leverage: is missing after x")]
    [InlineData("BTC long 0.5 @ 60000 x20 x10", "leverage: is given twice")]
    [InlineData("BTC long 0.5 @ 60000 20 x10", "leverage: is given twice")]
    [InlineData("BTC long 0.5 @ 60000 x20 isolated cross", "mode: is given twice")]
    [InlineData("BTC long 0.5 @ 60000 x20 margin", "margin: needs a value after it, e.g. margin 1500")]
    [InlineData("BTC long 0.5 @ 60000 x20 wallet", "wallet: needs a value after it, e.g. wallet 5000")]
    [InlineData("BTC long 0.5 @ 60000 x20 margin lots", "margin: 'lots' is not a number")]
    [InlineData("BTC long 0.5 @ 60000 x20 margin 1O0", "margin: '1O0' is not a number (a letter O where a zero belongs?)")]
    [InlineData("BTC long 0.5 @ 60000 x20 margin 100 margin 200", "margin: is given twice")]
    [InlineData("BTC long 0.5 @ 60000 x20 mmr abc", "mmr: 'abc' is not a rate; write 0.5% or 0.005")]
    [InlineData("BTC long 0.5 @ 60000 x20 label", "label: is empty; write the text after it, e.g. label swing")]
    [InlineData("BTC long 0.5 @ 60000 x20 label \"\"", "label: is empty; write the text after it, e.g. label swing")]
    [InlineData("BTC long 0.5 @ 60000 x20 label 12345678901234567890123456789012345678901234567890123456789012345", "label: is 65 characters; at most 64")]
    [InlineData("BTC long 0.5 @ 60000 x20 foo", "foo: is not understood after the entry. " + Allowed)]
    [InlineData("BTC long 0.5 @ 60000 x20 500", "500: is not understood after the entry; put 'margin', 'wallet' or 'x' before a number. " + Allowed)]
    [InlineData("BTC long 0.5 @ 60000 x20 @ 5", "@: is not understood after the entry. " + Allowed)]
    public void Rejects_WithAMessageNamingTheArgument(string args, string expected) => Assert.Equal(expected, Error(args));

    [Fact]
    public void Liq_ListsMarkAmongTheAllowedKeywords() =>
        Assert.Equal("foo: is not understood after the entry. " + Allowed + ", mark <price>", Error("BTC long 0.5 @ 60000 x20 foo", allowMark: true));
}
