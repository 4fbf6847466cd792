using System.Diagnostics;
using PerpGuard.Bot.Tests.Cli;
using PerpGuard.Bot.Tests.Fakes;

namespace PerpGuard.Bot.Tests.Channels.Telegram;

/// <summary>
/// The acceptance path: the README's own command, with <c>Telegram__Token</c> in the environment, serves Telegram (here a
/// fake one on loopback, via <c>Telegram__ApiBaseUrl</c>); a rejected token stops it with a clear error, never echoing it.
/// </summary>
public sealed class TelegramProcessTests : IDisposable
{
    private readonly string _directory = TestDirectory.NewPath();

    public TelegramProcessTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public async Task TheReadmeCommand_WithATelegramToken_AnswersOnTelegram()
    {
        await using var fake = await FakeTelegram.StartAsync();
        var info = CliRunner.ProcessInfo(_directory, Environment(fake, FakeTelegram.Token), "--replay", "oct10-flush", "--speed", "60");
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        process.StandardInput.Close(); // the console ends at once; Telegram keeps the bot running
        try
        {
            fake.SendText(TelegramHarness.Alice, "/start");
            var reply = await fake.WaitForSentAsync(TelegramHarness.Alice, timeout: TimeSpan.FromSeconds(60));
            Assert.StartsWith("<b>Welcome to PerpGuard, Alice.", reply.Text, StringComparison.Ordinal);
            Assert.False(process.HasExited);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        Assert.DoesNotContain(FakeTelegram.Token, await stderr + await stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARejectedToken_StopsWithExitCode1_AndAClearError_WithoutTheToken()
    {
        await using var fake = await FakeTelegram.StartAsync();
        const string wrong = "987654321:WRONG-token-SECRET";
        var result = await CliRunner.RunProcessInAsync(_directory, "", Environment(fake, wrong));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: telegram: Telegram rejected the bot token (401 Unauthorized). Check Telegram:Token (environment Telegram__Token); BotFather's /token shows it.", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", result.Stderr + result.Stdout, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Environment(FakeTelegram fake, string token) => new()
    {
        ["Telegram__Token"] = token,
        ["Telegram__ApiBaseUrl"] = fake.BaseUrl,
        ["Telegram__PollTimeout"] = "00:00:01",
        ["Telegram__PerChatInterval"] = "00:00:00",
    };

    public void Dispose() => TestDirectory.Delete(_directory);
}
