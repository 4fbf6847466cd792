using PerpGuard.Bot.Commands;

namespace PerpGuard.Bot.Tests.Commands;

/// <summary>Splitting a message into a command and its arguments.</summary>
public sealed class CommandTextTests
{
    [Theory]
    [InlineData("/add BTC long 0.5@60000 x20", "add", "BTC|long|0.5|@|60000|x20")]
    [InlineData("  /ADD   btc\tlong 1 @2 ", "add", "btc|long|1|@|2")]
    [InlineData("/add@PerpGuardBot BTC", "add", "BTC")]
    [InlineData("/positions", "positions", "")]
    [InlineData("/help\u0007 add", "help", "add")]
    public void Splits_NameAndTokens(string text, string name, string tokens)
    {
        Assert.True(CommandText.TryParse(text, out var command, out var error), error);
        Assert.Equal(name, command.Name);
        Assert.Equal(tokens, string.Join('|', command.Tokens));
    }

    [Theory]
    [InlineData("", "Empty message. Send /help to see the commands.")]
    [InlineData("   ", "Empty message. Send /help to see the commands.")]
    [InlineData("add BTC long", "Commands start with '/'. Send /help to see them, or /add to track a position.")]
    [InlineData("/", "'/' is not a command. Send /help to see the commands.")]
    [InlineData("/add2 x", "'/add2' is not a command. Send /help to see the commands.")]
    [InlineData("/ä", "'/ä' is not a command. Send /help to see the commands.")]
    public void Rejects_WhatIsNotACommand(string text, string expected)
    {
        Assert.False(CommandText.TryParse(text, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Rejects_MessagesOverTheLengthLimit_SayingHowLong()
    {
        var text = "/add BTC long 1 @ 1 label " + new string('a', 600);
        Assert.False(CommandText.TryParse(text, out _, out var error));
        Assert.Equal($"That message is {text.Length} characters long; commands are at most 512.", error);
    }

    [Theory]
    [InlineData("posiitons", "positions")]
    [InlineData("positon", "positions")]
    [InlineData("ad", "add")]
    [InlineData("remvoe", "remove")]
    [InlineData("setings", "settings")]
    [InlineData("stauts", "status")]
    [InlineData("unmte", "unmute")]
    [InlineData("hlep", "help")]
    public void Suggests_TheClosestCommand(string typo, string expected) => Assert.Equal(expected, CommandCatalog.Suggest(typo));

    [Theory]
    [InlineData("weather")]
    [InlineData("x")]
    [InlineData("balance")]
    public void Suggests_Nothing_WhenNothingIsClose(string typo) => Assert.Null(CommandCatalog.Suggest(typo));

    [Fact]
    public void EveryCommand_HasAFormAndAnExample_ThatStartWithItsName()
    {
        foreach (var spec in CommandCatalog.All)
        {
            Assert.StartsWith("/" + spec.Name, spec.Usage, StringComparison.Ordinal);
            Assert.NotEmpty(spec.Examples);
            Assert.All(spec.Examples, e => Assert.True(e.StartsWith("/" + spec.Name, StringComparison.Ordinal) || spec.Aliases.Any(a => e.StartsWith("/" + a, StringComparison.Ordinal)), e));
        }
    }
}
