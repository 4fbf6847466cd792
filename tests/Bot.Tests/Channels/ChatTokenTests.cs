using PerpGuard.Bot.Tests.Cli;

namespace PerpGuard.Bot.Tests.Channels;

/// <summary>A configured chat token without a channel for it is a clear configuration error, and the token is never echoed.</summary>
public sealed class ChatTokenTests
{
    [Fact]
    public async Task TelegramToken_WithoutItsChannel_ExitsWithAConfigurationError_NotShowingTheToken()
    {
        var result = await CliRunner.RunWithAsync("/status\n", b => b.Configuration["Telegram:BotToken"] = "123456:SECRET-token");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("configuration error: Telegram:BotToken is set, but this build has no Telegram channel yet. Run 'perpguard --console', or unset the token.\n",
            result.Stderr.Replace("\r", "", StringComparison.Ordinal));
        Assert.DoesNotContain("SECRET", result.Stderr + result.Stdout, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
    }
}
