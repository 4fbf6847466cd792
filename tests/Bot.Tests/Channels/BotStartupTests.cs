using PerpGuard.Bot.Tests.Cli;

namespace PerpGuard.Bot.Tests.Channels;

/// <summary>How the bot refuses to start: a clear one-line reason and exit code 1, never a crash or a leaked secret.</summary>
public sealed class BotStartupTests
{
    [Fact]
    public async Task DiscordToken_WithoutAnApplicationId_ExitsWithAConfigurationError_NotShowingTheToken()
    {
        var result = await CliRunner.RunWithAsync("/status\n", b => b.Configuration["Discord:Token"] = "MTIz.SECRET-token");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("configuration error: Discord:ApplicationId must be the application's numeric id (Developer Portal → General Information), e.g. 700000000000000001\n",
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
