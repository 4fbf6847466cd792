using PerpGuard.Bot.Tests.Cli;

namespace PerpGuard.Bot.Tests.Channels;

/// <summary>How the bot refuses to start: a clear one-line reason and exit code 1, never a crash or a leaked secret.</summary>
public sealed class BotStartupTests
{
    [Fact]
    public async Task DiscordToken_WithoutItsChannel_ExitsWithAConfigurationError_NotShowingTheToken()
    {
        var result = await CliRunner.RunWithAsync("/status\n", b => b.Configuration["Discord:Token"] = "123456:SECRET-token");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("configuration error: Discord:Token is set, but this build has no Discord channel yet. Run 'perpguard --console', or unset the token.\n",
            result.Stderr.Replace("\r", "", StringComparison.Ordinal));
        Assert.DoesNotContain("SECRET", result.Stderr + result.Stdout, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
    }

    [Theory]
    [InlineData("--console")]
    [InlineData("migrate")]
    public async Task UnusableDatabasePath_ExitsWithADatabaseError(string command)
    {
        var blocker = Path.GetTempFileName(); // a file where the database directory would have to be
        try
        {
            var result = await CliRunner.RunWithAsync("/status\n", b => b.Configuration["ConnectionStrings:PerpGuard"] = $"Data Source={blocker}/db/perpguard.db", command);
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("database error: ", result.Stderr, StringComparison.Ordinal);
            Assert.Equal("", result.Stdout);
        }
        finally
        {
            File.Delete(blocker);
        }
    }
}
