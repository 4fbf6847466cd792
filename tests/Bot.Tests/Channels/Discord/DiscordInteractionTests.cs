using System.Text.Json.Nodes;
using PerpGuard.Bot.Commands;
using PerpGuard.Bot.Storage;
using PerpGuard.Bot.Tests.Alerts;
using PerpGuard.Bot.Tests.Fakes;

namespace PerpGuard.Bot.Tests.Channels.Discord;

/// <summary>
/// Slash commands, buttons, autocomplete and DM alerts against a fake Discord (REST and gateway on loopback) that
/// enforces Discord's rules: the 3-second window, one acknowledgement per interaction, embed and component limits.
/// </summary>
public sealed class DiscordInteractionTests
{
    private const string Alice = DiscordHarness.Alice;
    private static readonly DateTimeOffset T0 = AlertHarness.PlayFrom.AddMinutes(1);

    private static JsonArray LongBtc() => DiscordHarness.Options(("venue", "binance"), ("symbol", "BTCUSDT"), ("side", "long"), ("qty", 0.5), ("entry", 121000.0), ("leverage", 8.0));

    [Fact]
    public async Task SlashCommands_AreRegisteredGlobally_FromTheCatalog_AndAnsweredDirectly_WithEmbeds()
    {
        await using var h = await DiscordHarness.StartAsync();
        var registered = await h.Fake.WaitForCallAsync("PUT", $"/applications/{FakeDiscord.ApplicationId}/commands");
        Assert.Equal(200, registered.Status);
        Assert.Equal(CommandCatalog.All.Select(c => c.Name), h.Fake.RegisteredCommands().Select(c => c.GetProperty("name").GetString()));

        var added = await h.SlashAsync(Alice, "add", LongBtc());
        Assert.Equal(4, added.GetProperty("type").GetInt32());
        var message = added.GetProperty("data");
        Assert.Matches(@"^✔ Added #\d+\. /risk \d+ shows the full card\.$", DiscordHarness.Title(message));
        Assert.False(message.TryGetProperty("flags", out _)); // a DM: nobody else to hide it from
        Assert.Empty(message.GetProperty("allowed_mentions").GetProperty("parse").EnumerateArray());

        // In a guild, account answers are ephemeral; /help is not.
        var positions = (await h.SlashAsync(Alice, "positions", guild: DiscordHarness.Guild)).GetProperty("data");
        Assert.Equal(64, positions.GetProperty("flags").GetInt32());
        Assert.StartsWith("Your position", DiscordHarness.Title(positions), StringComparison.Ordinal);
        Assert.Equal(["r:/positions"], DiscordHarness.CustomIds(positions));
        var help = (await h.SlashAsync(Alice, "help", guild: DiscordHarness.Guild)).GetProperty("data");
        Assert.False(help.TryGetProperty("flags", out _));

        // Bad input gets the router's explanation, as on every channel.
        var bad = (await h.SlashAsync(Alice, "add", DiscordHarness.Options(("symbol", "BTCUSDT"), ("side", "long"), ("qty", 0.5), ("entry", 121000.0), ("leverage", 500.0)))).GetProperty("data");
        Assert.StartsWith("✖", DiscordHarness.Title(bad), StringComparison.Ordinal);
        Assert.DoesNotContain(FakeDiscord.Token, h.AllLogText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASlowAnswer_IsDeferredAtOnce_EphemeralInAGuild_ThenTheOriginalIsEdited()
    {
        await using var h = await DiscordHarness.StartAsync(new Dictionary<string, string?> { ["Discord:DeferAfter"] = "00:00:00", ["Discord:GuildId"] = DiscordHarness.Guild });
        await h.Fake.WaitForCallAsync("PUT", $"/applications/{FakeDiscord.ApplicationId}/guilds/{DiscordHarness.Guild}/commands");

        var (id, token) = h.Fake.SlashCommand(Alice, "status", guildId: DiscordHarness.Guild);
        await h.Fake.WaitForCallAsync("PATCH", $"/webhooks/{FakeDiscord.ApplicationId}/{token}/messages/@original");
        var defer = Assert.Single(h.Fake.Responses(id));
        Assert.Equal(5, defer.GetProperty("type").GetInt32());
        Assert.Equal(64, defer.GetProperty("data").GetProperty("flags").GetInt32());
        var edit = Assert.Single(h.Fake.Edits(token));
        Assert.StartsWith("PerpGuard", DiscordHarness.Title(edit), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Buttons_RefreshUpdatesTheMessageInPlace_AndOthersRunAsThePresser()
    {
        await using var h = await DiscordHarness.StartAsync();
        var added = DiscordHarness.Title((await h.SlashAsync(Alice, "add", LongBtc())).GetProperty("data"));
        var positionId = added.Split('#')[1].Split('.')[0];

        var (refreshId, _) = h.Fake.ButtonClick(Alice, "r:/positions", "900");
        await h.Fake.WaitForCallAsync("POST", $"/interactions/{refreshId}/");
        var update = Assert.Single(h.Fake.Responses(refreshId));
        Assert.Equal(7, update.GetProperty("type").GetInt32());
        Assert.Matches(@"\nUpdated \d\d:\d\d:\d\d UTC", DiscordHarness.Text(update.GetProperty("data")));

        var ask = (await h.SlashAsync(Alice, "remove", DiscordHarness.Options(("id", int.Parse(positionId, System.Globalization.CultureInfo.InvariantCulture))))).GetProperty("data");
        Assert.Equal([$"/remove {positionId} confirm", "/positions"], DiscordHarness.CustomIds(ask));
        var (removeId, _) = h.Fake.ButtonClick(Alice, $"/remove {positionId} confirm", "901");
        await h.Fake.WaitForCallAsync("POST", $"/interactions/{removeId}/");
        Assert.StartsWith($"✔ Removed #{positionId}", DiscordHarness.Title(h.Fake.Responses(removeId)[0].GetProperty("data")), StringComparison.Ordinal);

        var (forged, _) = h.Fake.ButtonClick(Alice, "drop table", "902");
        await h.Fake.WaitForCallAsync("POST", $"/interactions/{forged}/");
        Assert.StartsWith("✖ This button is not one of PerpGuard's", DiscordHarness.Title(h.Fake.Responses(forged)[0].GetProperty("data")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SymbolAutocomplete_SuggestsKnownPerpetuals_StartingWithWhatWasTyped()
    {
        await using var h = await DiscordHarness.StartAsync();
        var options = new JsonArray { new JsonObject { ["name"] = "symbol", ["type"] = 3, ["value"] = "et", ["focused"] = true } };
        var (id, _) = h.Fake.Autocomplete(Alice, "add", options);
        await h.Fake.WaitForCallAsync("POST", $"/interactions/{id}/");
        var response = Assert.Single(h.Fake.Responses(id));
        Assert.Equal(8, response.GetProperty("type").GetInt32());
        var choices = response.GetProperty("data").GetProperty("choices").EnumerateArray().Select(c => c.GetProperty("value").GetString()!).ToList();
        Assert.Equal("ET", choices[0]);
        Assert.Contains("ETHUSDT", choices);
        Assert.InRange(choices.Count, 2, 25);
        Assert.All(choices.Skip(1), c => Assert.StartsWith("ET", c, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task AlertDuringReplay_ArrivesByDirectMessage_WithButtonsAndANonce()
    {
        await using var h = await DiscordHarness.StartAsync();
        await h.SlashAsync(Alice, "add", LongBtc());

        await h.StepAsync(T0);
        var dm = await h.Fake.WaitForCallAsync("POST", "/users/@me/channels");
        Assert.Equal(Alice, dm.Body!.Value.GetProperty("recipient_id").GetString());
        var (channel, body) = Assert.Single(h.Fake.Messages);
        Assert.Equal(h.Fake.DmChannelOf(Alice), channel);
        Assert.Matches(@"^🟡 WARNING · #\d+ binance BTCUSDT LONG: 12\.8% from liquidation$", DiscordHarness.Title(body));
        Assert.Equal(0xF1C40F, DiscordHarness.Embed(body).GetProperty("color").GetInt32());
        Assert.True(body.GetProperty("enforce_nonce").GetBoolean());
        Assert.InRange(body.GetProperty("nonce").GetString()!.Length, 1, 25);
        Assert.Equal(4, DiscordHarness.CustomIds(body).Count);
        var owner = (await h.UserAsync(Alice))!.Id;
        Assert.Equal(AlertStatus.Sent, Assert.Single(await h.Alerts.AlertsAsync(), a => a.OwnerId == owner).Status);
    }

    [Fact]
    public async Task ClosedDms_StopTheUsersDelivery_ShownInStatus()
    {
        await using var h = await DiscordHarness.StartAsync();
        await h.SlashAsync(Alice, "add", LongBtc());
        h.Fake.CloseDms(Alice);

        await h.StepAsync(T0);
        var user = (await h.UserAsync(Alice))!;
        Assert.False(user.IsActive);
        Assert.Equal("Discord: Cannot send messages to this user (50007)", user.InactiveReason);
        var status = DiscordHarness.Text((await h.SlashAsync(Alice, "status")).GetProperty("data"));
        Assert.Contains("Discord: Cannot send messages to this user (50007); send /start to resume", status, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARateLimitedRoute_IsRetriedAfterRetryAfter_AndALongOneGoesBackToTheOutbox()
    {
        await using var h = await DiscordHarness.StartAsync();
        await h.SlashAsync(Alice, "add", LongBtc());
        h.Fake.RateLimitNext("/channels/", 0.4);

        await h.StepAsync(T0);
        var posts = h.Fake.CallsTo("POST", "/channels/");
        Assert.Equal([429, 200], posts.Select(c => c.Status));
        Assert.True(posts[1].At - posts[0].At >= TimeSpan.FromSeconds(0.35), $"retried after {(posts[1].At - posts[0].At).TotalSeconds:0.00} s");
        Assert.Single(h.Fake.Messages);

        // A wait beyond Discord:RateLimitWaitMax (10 s) is not slept through: the alert goes back to the outbox.
        h.Fake.RateLimitNext("/channels/", 60);
        await h.SlashAsync(Alice, "add", DiscordHarness.Options(("venue", "binance"), ("symbol", "ETHUSDT"), ("side", "long"), ("qty", 1.0), ("entry", 4400.0), ("leverage", 15.0)));
        await h.StepAsync(T0.AddMinutes(1));
        var owner = (await h.UserAsync(Alice))!.Id;
        var pending = Assert.Single(await h.Alerts.AlertsAsync(), a => a.OwnerId == owner && a.Status == AlertStatus.Pending);
        Assert.Equal(T0.AddMinutes(1).AddSeconds(60), pending.NextAttemptAt);
        Assert.StartsWith("Discord rate limit:", pending.LastError, StringComparison.Ordinal);
    }
}
