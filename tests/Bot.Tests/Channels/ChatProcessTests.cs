using System.Diagnostics;
using PerpGuard.Bot.Tests.Cli;
using PerpGuard.Bot.Tests.Channels.Discord;
using PerpGuard.Bot.Tests.Channels.Telegram;
using PerpGuard.Bot.Tests.Fakes;

namespace PerpGuard.Bot.Tests.Channels;

/// <summary>
/// The acceptance path: the README's own command, with <c>Telegram__Token</c> (and <c>Discord__Token</c>,
/// <c>Discord__ApplicationId</c>) in the environment, serves Telegram and Discord in one process (here fakes on loopback,
/// via the <c>ApiBaseUrl</c> settings); a rejected token stops it with a clear error, never echoing it.
/// </summary>
public sealed class ChatProcessTests : IDisposable
{
    private readonly string _directory = TestDirectory.NewPath();

    public ChatProcessTests() => Directory.CreateDirectory(_directory);

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
    public async Task TheReadmeCommand_WithTelegramAndDiscordTokens_ServesBothInOneProcess()
    {
        await using var telegram = await FakeTelegram.StartAsync();
        await using var discord = await FakeDiscord.StartAsync(TimeSpan.FromSeconds(5));
        var environment = Environment(telegram, FakeTelegram.Token);
        environment["Discord__Token"] = FakeDiscord.Token;
        environment["Discord__ApplicationId"] = FakeDiscord.ApplicationId;
        environment["Discord__ApiBaseUrl"] = discord.ApiBaseUrl;
        using var process = Process.Start(CliRunner.ProcessInfo(_directory, environment, "--replay", "oct10-flush", "--speed", "60"))!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        process.StandardInput.Close();
        try
        {
            telegram.SendText(TelegramHarness.Alice, "/start");
            // Discord drops an interaction not answered within 3 s: send it once the process is on the gateway.
            await discord.WaitForFrameAsync(2, timeout: TimeSpan.FromSeconds(60));
            var (id, _) = discord.SlashCommand(DiscordHarness.Alice, "start");
            Assert.StartsWith("<b>Welcome to PerpGuard", (await telegram.WaitForSentAsync(TelegramHarness.Alice, timeout: TimeSpan.FromSeconds(60))).Text, StringComparison.Ordinal);
            await discord.WaitForCallAsync("POST", $"/interactions/{id}/", timeout: TimeSpan.FromSeconds(60));
            Assert.StartsWith("Welcome to PerpGuard", DiscordHarness.Title(discord.Responses(id)[0].GetProperty("data")), StringComparison.Ordinal);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        var output = await stderr + await stdout;
        Assert.DoesNotContain(FakeTelegram.Token, output, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeDiscord.Token, output, StringComparison.Ordinal);
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
