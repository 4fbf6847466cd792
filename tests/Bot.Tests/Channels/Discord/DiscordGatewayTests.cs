using PerpGuard.Bot.Chat;
using PerpGuard.Bot.Tests.Fakes;

namespace PerpGuard.Bot.Tests.Channels.Discord;

/// <summary>
/// The gateway connection against a fake Discord gateway: Identify and heartbeats, Resume after a drop (missed
/// interactions replayed and answered), op 7, op 9 both ways, a zombie connection, and fatal close codes.
/// </summary>
public sealed class DiscordGatewayTests
{
    private const string Alice = DiscordHarness.Alice;

    [Fact]
    public async Task Identify_WithIntentsZero_ThenHeartbeatsWithTheLastSequence_Acknowledged()
    {
        await using var h = await DiscordHarness.StartAsync();
        var identify = await h.Fake.WaitForFrameAsync(2);
        Assert.Equal(FakeDiscord.Token, identify.D!.Value.GetProperty("token").GetString());
        Assert.Equal(0, identify.D!.Value.GetProperty("intents").GetInt32());
        Assert.Equal("/?v=10&encoding=json", h.Fake.ConnectionPaths[0]);

        // Two heartbeats at the 300 ms interval, carrying READY's sequence number.
        await h.Fake.WaitForFrameAsync(1, f => h.Fake.Received.Count(r => r.Op == 1) >= 2);
        Assert.All(h.Fake.Received.Where(r => r.Op == 1), f => Assert.Equal(1, f.D!.Value.GetInt64()));
        Assert.Equal(1, h.Fake.Connections);
        Assert.Contains(h.Logs.Lines(), l => l.StartsWith("Discord: gateway ready (session sess-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ADroppedConnection_Resumes_OnTheResumeUrl_WithTheLastSequence_AndTheMissedInteractionIsAnswered()
    {
        await using var h = await DiscordHarness.StartAsync();
        var session = h.Fake.SessionId;
        await h.SlashAsync(Alice, "help"); // seq 2

        h.Fake.DropConnection();
        var (missed, _) = h.Fake.SlashCommand(Alice, "start"); // dispatched while no socket is open: replayed on resume
        var resume = await h.Fake.WaitForFrameAsync(6);
        Assert.Equal(session, resume.D!.Value.GetProperty("session_id").GetString());
        Assert.Equal(2, resume.D!.Value.GetProperty("seq").GetInt64());
        Assert.StartsWith("/resume", h.Fake.ConnectionPaths[1], StringComparison.Ordinal);
        await h.Fake.WaitForCallAsync("POST", $"/interactions/{missed}/");
        Assert.StartsWith("Welcome to PerpGuard", DiscordHarness.Title(h.Fake.Responses(missed)[0].GetProperty("data")), StringComparison.Ordinal);
        Assert.Single(h.Fake.Received, f => f.Op == 2); // never identified again
    }

    [Fact]
    public async Task Reconnect_Op7_ClosesWithoutEndingTheSession_AndResumesAtOnce()
    {
        await using var h = await DiscordHarness.StartAsync();
        await h.Fake.SendReconnectAsync();
        await h.Fake.WaitForFrameAsync(6);
        Assert.DoesNotContain(h.Fake.ClientCloseCodes, c => c is 1000 or 1001);
        Assert.Contains(4900, h.Fake.ClientCloseCodes);
        Assert.Single(h.Fake.Received, f => f.Op == 2);
    }

    [Fact]
    public async Task InvalidSession_Resumable_Resumes_AndNotResumable_IdentifiesAgain()
    {
        await using var h = await DiscordHarness.StartAsync();
        await h.Fake.SendInvalidSessionAsync(resumable: true);
        await h.Fake.WaitForFrameAsync(6);
        await h.Fake.WaitForConnectionsAsync(2);
        Assert.Single(h.Fake.Received, f => f.Op == 2);

        await Eventually.UntilAsync(() => Task.FromResult(h.Fake.SessionConnected), "the resumed session connected");
        await h.Fake.SendInvalidSessionAsync(resumable: false);
        await h.Fake.WaitForFrameAsync(2, f => h.Fake.Received.Count(r => r.Op == 2) == 2);
        Assert.Equal(2, h.Fake.Received.Count(f => f.Op == 2));
    }

    [Fact]
    public async Task AZombieConnection_NoHeartbeatAck_IsClosedAndResumed()
    {
        await using var h = await DiscordHarness.StartAsync();
        h.Fake.AcknowledgeHeartbeats = false;
        var resume = await h.Fake.WaitForFrameAsync(6, timeout: TimeSpan.FromSeconds(10));
        Assert.Contains(4900, h.Fake.ClientCloseCodes);
        Assert.Contains(h.Logs.Lines(Microsoft.Extensions.Logging.LogLevel.Warning), l => l.StartsWith("Discord: no heartbeat ACK (zombie connection); reconnecting (resume)", StringComparison.Ordinal));
        Assert.NotNull(resume.D);
    }

    [Theory]
    [InlineData(4004, "Discord closed the gateway with 4004 (authentication failed): check Discord:Token (environment Discord__Token).")]
    [InlineData(4014, "Discord closed the gateway with 4014 (invalid or disallowed intents); PerpGuard asks for none, so check the application's settings.")]
    public async Task AFatalCloseCode_StopsTheChannelWithAClearReason_WithoutRetrying(int code, string reason)
    {
        await using var h = await DiscordHarness.StartAsync();
        await h.Fake.CloseAsync(code, "fatal");
        var fatal = await Assert.ThrowsAsync<ChatChannelFatalException>(() => h.Receiving!.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(reason, fatal.Message);
        await Task.Delay(300);
        Assert.Equal(1, h.Fake.Connections);
    }

    [Fact]
    public async Task ANonFatalClose_Reconnects_AndResumes()
    {
        await using var h = await DiscordHarness.StartAsync();
        await h.Fake.CloseAsync(4000, "unknown error");
        await h.Fake.WaitForFrameAsync(6);
        Assert.Contains(h.Logs.Lines(Microsoft.Extensions.Logging.LogLevel.Warning), l => l.StartsWith("Discord: closed by Discord: 4000 unknown error; reconnecting (resume)", StringComparison.Ordinal));
    }
}
