using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PerpGuard.Bot.Tests.Fakes;

/// <summary>The Discord fake itself, driven through a raw HttpClient and a raw ClientWebSocket.</summary>
public sealed class FakeDiscordTests
{
    private const string User = "424242";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private static HttpClient Http(string token = FakeDiscord.Token)
    {
        var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bot", token);
        http.DefaultRequestHeaders.UserAgent.ParseAdd("DiscordBot (https://perpguard.test, 1.0)");
        return http;
    }

    private sealed record Answer(HttpStatusCode Status, JsonElement Body, HttpResponseHeaders Headers)
    {
        public int Code => Body.GetProperty("code").GetInt32();
        public string Header(string name) => Headers.TryGetValues(name, out var v) ? string.Join(",", v) : "";
    }

    private static async Task<Answer> CallAsync(HttpClient http, FakeDiscord dc, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(dc.ApiBaseUrl + path));
        if (body is not null) request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text.Length == 0 ? "null" : text);
        return new Answer(response.StatusCode, document.RootElement.Clone(), response.Headers);
    }

    /// <summary>A bare gateway client: whole-message receive, fragmented send.</summary>
    private sealed class RawGateway : IAsyncDisposable
    {
        public ClientWebSocket Socket { get; } = new();

        public static async Task<RawGateway> ConnectAsync(string url)
        {
            var gateway = new RawGateway();
            await gateway.Socket.ConnectAsync(new Uri(url), CancellationToken.None);
            return gateway;
        }

        /// <summary>Sends <paramref name="payload"/> split in two frames, as a client may.</summary>
        public async Task SendAsync(object payload)
        {
            var bytes = Encoding.UTF8.GetBytes(payload as string ?? JsonSerializer.Serialize(payload));
            var half = bytes.Length / 2;
            await Socket.SendAsync(bytes.AsMemory(0, half), WebSocketMessageType.Text, false, CancellationToken.None);
            await Socket.SendAsync(bytes.AsMemory(half), WebSocketMessageType.Text, true, CancellationToken.None);
        }

        /// <summary>The next whole message, or null when the server closed (then see Socket.CloseStatus).</summary>
        public async Task<JsonElement?> ReceiveAsync()
        {
            using var timeout = new CancellationTokenSource(Patience);
            using var message = new MemoryStream();
            var buffer = new byte[1024];
            while (true)
            {
                var result = await Socket.ReceiveAsync(buffer.AsMemory(), timeout.Token);
                if (result.MessageType == WebSocketMessageType.Close) return null;
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage) continue;
                using var document = JsonDocument.Parse(message.ToArray());
                return document.RootElement.Clone();
            }
        }

        public async Task<JsonElement> ReceiveOpAsync(int op)
        {
            var frame = await ReceiveAsync() ?? throw new InvalidOperationException($"closed {Socket.CloseStatus} while waiting for op {op}");
            Assert.Equal(op, frame.GetProperty("op").GetInt32());
            return frame;
        }

        public async ValueTask DisposeAsync()
        {
            if (Socket.State == WebSocketState.Open) Socket.Abort();
            Socket.Dispose();
            await Task.CompletedTask;
        }
    }

    private static object Identify(string token = FakeDiscord.Token) =>
        new { op = 2, d = new { token, intents = 0, properties = new { os = "linux", browser = "perpguard", device = "perpguard" } } };

    /// <summary>Connects, reads Hello, identifies and reads READY.</summary>
    private static async Task<(RawGateway Gateway, JsonElement Ready)> IdentifiedAsync(FakeDiscord dc)
    {
        var gateway = await RawGateway.ConnectAsync(dc.GatewayUrl + "/?v=10&encoding=json");
        await gateway.ReceiveOpAsync(10);
        await gateway.SendAsync(Identify());
        return (gateway, await gateway.ReceiveOpAsync(0));
    }

    [Fact]
    public async Task Hello_then_identify_gives_ready_with_session_and_resume_url()
    {
        await using var dc = await FakeDiscord.StartAsync(TimeSpan.FromMilliseconds(300));
        using var http = Http();
        var bot = await CallAsync(http, dc, HttpMethod.Get, "/gateway/bot");
        Assert.Equal(dc.GatewayUrl, bot.Body.GetProperty("url").GetString());
        Assert.StartsWith("ws://127.0.0.1:", dc.GatewayUrl, StringComparison.Ordinal);

        await using var gateway = await RawGateway.ConnectAsync(bot.Body.GetProperty("url").GetString() + "/?v=10&encoding=json");
        var hello = await gateway.ReceiveOpAsync(10);
        Assert.Equal(300, hello.GetProperty("d").GetProperty("heartbeat_interval").GetInt32());
        await gateway.SendAsync(Identify());
        var ready = await gateway.ReceiveOpAsync(0);

        Assert.Equal("READY", ready.GetProperty("t").GetString());
        Assert.Equal(1, ready.GetProperty("s").GetInt32());
        var d = ready.GetProperty("d");
        Assert.Equal("sess-1", d.GetProperty("session_id").GetString());
        Assert.Equal(dc.GatewayUrl + "/resume", d.GetProperty("resume_gateway_url").GetString());
        Assert.Equal(FakeDiscord.ApplicationId, d.GetProperty("application").GetProperty("id").GetString());
        Assert.Equal(FakeDiscord.BotUserId, d.GetProperty("user").GetProperty("id").GetString());
        Assert.Equal("sess-1", dc.SessionId);
        Assert.Equal(["/?v=10&encoding=json"], dc.ConnectionPaths);
        Assert.Equal(0, (await dc.WaitForFrameAsync(2)).D!.Value.GetProperty("intents").GetInt32());
    }

    [Fact]
    public async Task Heartbeats_are_acknowledged_unless_acknowledgements_are_off()
    {
        await using var dc = await FakeDiscord.StartAsync();
        await using var gateway = (await IdentifiedAsync(dc)).Gateway;

        await gateway.SendAsync(new { op = 1, d = 1 });
        await gateway.ReceiveOpAsync(11);

        dc.AcknowledgeHeartbeats = false;
        await gateway.SendAsync(new { op = 1, d = 2 });
        await dc.WaitForFrameAsync(1, f => f.D?.GetInt32() == 2); // the fake has read it
        await dc.RequestHeartbeatAsync();
        await gateway.ReceiveOpAsync(1); // the server's heartbeat request comes next: no ACK was sent in between
    }

    [Fact]
    public async Task Wrong_token_closes_with_4004()
    {
        await using var dc = await FakeDiscord.StartAsync();
        await using var gateway = await RawGateway.ConnectAsync(dc.GatewayUrl + "/?v=10&encoding=json");
        await gateway.ReceiveOpAsync(10);
        await gateway.SendAsync(Identify("not-the-token"));

        Assert.Null(await gateway.ReceiveAsync());
        Assert.Equal(4004, (int)gateway.Socket.CloseStatus!.Value);
        Assert.Equal("Authentication failed.", gateway.Socket.CloseStatusDescription);
        Assert.Null(dc.SessionId);
        Assert.Empty(dc.ClientCloseCodes);
    }

    [Fact]
    public async Task Dispatches_missed_while_disconnected_replay_on_resume_then_RESUMED_and_a_bad_session_gets_op_9()
    {
        await using var dc = await FakeDiscord.StartAsync();
        var (first, _) = await IdentifiedAsync(dc);
        var live = dc.SlashCommand(User, "status");
        var delivered = await first.ReceiveOpAsync(0);
        Assert.Equal(2, delivered.GetProperty("s").GetInt32());
        Assert.Equal(live.Token, delivered.GetProperty("d").GetProperty("token").GetString());
        await first.Socket.CloseAsync((WebSocketCloseStatus)4900, "resuming", CancellationToken.None);
        await first.DisposeAsync();
        Assert.Equal([4900], dc.ClientCloseCodes);

        var missedA = dc.SlashCommand(User, "alert", new JsonArray(new JsonObject { ["type"] = 1, ["name"] = "list" }));
        var missedB = dc.ButtonClick(User, "sz:BTCUSDT:60", "9000000000000000000", guildId: "55", channelId: "66");

        await using var second = await RawGateway.ConnectAsync(dc.GatewayUrl + "/resume?v=10&encoding=json");
        await second.ReceiveOpAsync(10);
        await second.SendAsync(new { op = 6, d = new { token = FakeDiscord.Token, session_id = "sess-1", seq = 2 } });
        var a = await second.ReceiveOpAsync(0);
        var b = await second.ReceiveOpAsync(0);
        var resumed = await second.ReceiveOpAsync(0);
        Assert.Equal((3, missedA.Id), (a.GetProperty("s").GetInt32(), a.GetProperty("d").GetProperty("id").GetString()));
        Assert.Equal("list", a.GetProperty("d").GetProperty("data").GetProperty("options")[0].GetProperty("name").GetString());
        Assert.Equal((4, missedB.Id), (b.GetProperty("s").GetInt32(), b.GetProperty("d").GetProperty("id").GetString()));
        Assert.Equal(User, b.GetProperty("d").GetProperty("member").GetProperty("user").GetProperty("id").GetString());
        Assert.Equal("sz:BTCUSDT:60", b.GetProperty("d").GetProperty("data").GetProperty("custom_id").GetString());
        Assert.Equal(("RESUMED", 5), (resumed.GetProperty("t").GetString(), resumed.GetProperty("s").GetInt32()));
        Assert.StartsWith("/resume?v=10", dc.ConnectionPaths[1], StringComparison.Ordinal);

        dc.DropConnection();
        await Assert.ThrowsAnyAsync<WebSocketException>(second.ReceiveAsync);

        await using var third = await RawGateway.ConnectAsync(dc.GatewayUrl + "/resume?v=10&encoding=json");
        await third.ReceiveOpAsync(10);
        await third.SendAsync(new { op = 6, d = new { token = FakeDiscord.Token, session_id = "sess-999", seq = 5 } });
        var invalid = await third.ReceiveOpAsync(9);
        Assert.False(invalid.GetProperty("d").GetBoolean());
        Assert.Equal(3, dc.Connections);
    }

    [Fact]
    public async Task Callback_is_204_once_then_40060_and_after_3_seconds_10062()
    {
        await using var dc = await FakeDiscord.StartAsync();
        using var http = Http();
        var (id, token) = dc.SlashCommand(User, "status"); // no session yet: kept for the next READY; the REST side works at once
        var reply = new { type = 4, data = new { content = "All good", flags = 64, allowed_mentions = new { parse = Array.Empty<string>() } } };

        Assert.Equal(HttpStatusCode.NoContent, (await CallAsync(http, dc, HttpMethod.Post, $"/interactions/{id}/{token}/callback", reply)).Status);
        var again = await CallAsync(http, dc, HttpMethod.Post, $"/interactions/{id}/{token}/callback", reply);
        Assert.Equal((HttpStatusCode.BadRequest, 40060), (again.Status, again.Code));
        Assert.Equal("All good", Assert.Single(dc.Responses(id)).GetProperty("data").GetProperty("content").GetString());

        var late = dc.SlashCommand(User, "status");
        dc.AgeInteraction(late.Id, TimeSpan.FromSeconds(3.5));
        var expired = await CallAsync(http, dc, HttpMethod.Post, $"/interactions/{late.Id}/{late.Token}/callback", reply);
        Assert.Equal((HttpStatusCode.NotFound, 10062), (expired.Status, expired.Code));
        var unknown = await CallAsync(http, dc, HttpMethod.Post, $"/interactions/{id}/wrong-token/callback", reply);
        Assert.Equal((HttpStatusCode.NotFound, 10062), (unknown.Status, unknown.Code));
        Assert.Empty(dc.Responses(late.Id));
    }

    [Fact]
    public async Task Deferred_response_then_PATCH_original_and_a_followup()
    {
        await using var dc = await FakeDiscord.StartAsync();
        using var http = Http();
        var (id, token) = dc.SlashCommand(User, "status", guildId: "55", channelId: "66");
        var edit = new { embeds = new[] { new { title = "BTCUSDT long", description = "4.5 % away", fields = new[] { new { name = "Size", value = "0.5 BTC", inline = true } } } } };
        var original = $"/webhooks/{FakeDiscord.ApplicationId}/{token}/messages/@original";

        var early = await CallAsync(http, dc, HttpMethod.Patch, original, edit);
        Assert.Equal((HttpStatusCode.NotFound, 10015), (early.Status, early.Code));
        Assert.Equal(HttpStatusCode.NoContent, (await CallAsync(http, dc, HttpMethod.Post, $"/interactions/{id}/{token}/callback", new { type = 5, data = new { flags = 64 } })).Status);
        var patched = await CallAsync(http, dc, HttpMethod.Patch, original, edit);
        Assert.Equal(HttpStatusCode.OK, patched.Status);
        Assert.Equal("66", patched.Body.GetProperty("channel_id").GetString());
        Assert.False(string.IsNullOrEmpty(patched.Body.GetProperty("id").GetString()));
        var followup = await CallAsync(http, dc, HttpMethod.Post, $"/webhooks/{FakeDiscord.ApplicationId}/{token}?wait=true", new { content = "more" });
        Assert.Equal(HttpStatusCode.OK, followup.Status);
        Assert.NotEqual(patched.Body.GetProperty("id").GetString(), followup.Body.GetProperty("id").GetString());

        Assert.Equal("BTCUSDT long", Assert.Single(dc.Edits(token)).GetProperty("embeds")[0].GetProperty("title").GetString());
        Assert.Equal("more", Assert.Single(dc.Followups(token)).GetProperty("content").GetString());
        dc.AgeInteraction(id, TimeSpan.FromMinutes(16));
        var stale = await CallAsync(http, dc, HttpMethod.Patch, original, edit);
        Assert.Equal((HttpStatusCode.Unauthorized, 50027), (stale.Status, stale.Code));
    }

    [Fact]
    public async Task Dm_flow_carries_rate_limit_headers_and_closed_dms_give_50007()
    {
        await using var dc = await FakeDiscord.StartAsync();
        using var http = Http();
        var dm = await CallAsync(http, dc, HttpMethod.Post, "/users/@me/channels", new { recipient_id = User });
        Assert.Equal(dc.DmChannelOf(User), dm.Body.GetProperty("id").GetString());
        Assert.Equal("b-dm", dm.Header("X-RateLimit-Bucket"));

        var sent = await CallAsync(http, dc, HttpMethod.Post, $"/channels/{dc.DmChannelOf(User)}/messages", new { content = "BTC 4.5 % from liquidation" });
        Assert.Equal(HttpStatusCode.OK, sent.Status);
        Assert.Equal("9000000000000000000", sent.Body.GetProperty("id").GetString());
        Assert.Equal(("5", "4", "b-channels-messages"), (sent.Header("X-RateLimit-Limit"), sent.Header("X-RateLimit-Remaining"), sent.Header("X-RateLimit-Bucket")));
        Assert.False(string.IsNullOrEmpty(sent.Header("X-RateLimit-Reset")));
        Assert.False(string.IsNullOrEmpty(sent.Header("X-RateLimit-Reset-After")));

        dc.CloseDms(User);
        var closed = await CallAsync(http, dc, HttpMethod.Post, $"/channels/{dc.DmChannelOf(User)}/messages", new { content = "again" });
        Assert.Equal((HttpStatusCode.Forbidden, 50007), (closed.Status, closed.Code));
        Assert.Equal("Cannot send messages to this user", closed.Body.GetProperty("message").GetString());
        Assert.Equal(dc.DmChannelOf(User), Assert.Single(dc.Messages).ChannelId);
        Assert.Equal(2, dc.CallsTo("POST", "/channels/").Count);
    }

    [Fact]
    public async Task Auth_user_agent_and_unknown_routes_are_checked()
    {
        await using var dc = await FakeDiscord.StartAsync();
        using var wrong = Http("nope");
        Assert.Equal(HttpStatusCode.Unauthorized, (await CallAsync(wrong, dc, HttpMethod.Get, "/gateway/bot")).Status);
        using var bare = new HttpClient();
        bare.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bot", FakeDiscord.Token);
        var noAgent = await CallAsync(bare, dc, HttpMethod.Get, "/gateway/bot");
        Assert.Equal(HttpStatusCode.BadRequest, noAgent.Status);
        Assert.Equal("missing User-Agent", noAgent.Body.GetProperty("message").GetString());
        using var http = Http();
        Assert.Equal(HttpStatusCode.NotFound, (await CallAsync(http, dc, HttpMethod.Get, "/guilds/1/nothing")).Status);
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(http, dc, HttpMethod.Get, "/gateway/bot")).Status);
        Assert.Equal([401, 400, 404, 200], dc.Calls.Select(c => c.Status));
    }

    [Fact]
    public async Task RateLimitNext_answers_429_with_retry_after_and_headers_then_normally()
    {
        await using var dc = await FakeDiscord.StartAsync();
        using var http = Http();
        dc.RateLimitNext("/channels/", 1.5);
        dc.RateLimitNext("/channels/", 0.25, global: true);

        var limited = await CallAsync(http, dc, HttpMethod.Post, "/channels/66/messages", new { content = "x" });
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Equal(1.5, limited.Body.GetProperty("retry_after").GetDouble());
        Assert.False(limited.Body.GetProperty("global").GetBoolean());
        Assert.Equal(("2", "user", "0", "1.500"), (limited.Header("Retry-After"), limited.Header("X-RateLimit-Scope"), limited.Header("X-RateLimit-Remaining"), limited.Header("X-RateLimit-Reset-After")));
        Assert.Equal("", limited.Header("X-RateLimit-Global"));

        var global = await CallAsync(http, dc, HttpMethod.Post, "/channels/66/messages", new { content = "x" });
        Assert.Equal(HttpStatusCode.TooManyRequests, global.Status);
        Assert.True(global.Body.GetProperty("global").GetBoolean());
        Assert.Equal(("1", "global", "true"), (global.Header("Retry-After"), global.Header("X-RateLimit-Scope"), global.Header("X-RateLimit-Global")));

        Assert.Equal(HttpStatusCode.OK, (await CallAsync(http, dc, HttpMethod.Post, "/channels/66/messages", new { content = "x" })).Status);
        Assert.Single(dc.Messages);

        dc.FailNext("/channels/66", 403, 50013, "Missing Permissions");
        var failed = await CallAsync(http, dc, HttpMethod.Post, "/channels/66/messages", new { content = "x" });
        Assert.Equal((HttpStatusCode.Forbidden, 50013), (failed.Status, failed.Code));
    }

    [Fact]
    public async Task Embed_and_component_limits_give_50035_with_a_reason()
    {
        await using var dc = await FakeDiscord.StartAsync();
        using var http = Http();
        object Fields(int n) => new { embeds = new[] { new { title = "t", fields = Enumerable.Range(0, n).Select(i => new { name = $"f{i}", value = "v" }).ToArray() } } };

        Assert.Equal(HttpStatusCode.OK, (await CallAsync(http, dc, HttpMethod.Post, "/channels/66/messages", Fields(25))).Status);
        var tooMany = await CallAsync(http, dc, HttpMethod.Post, "/channels/66/messages", Fields(26));
        Assert.Equal((HttpStatusCode.BadRequest, 50035), (tooMany.Status, tooMany.Code));
        Assert.Contains("embeds[0].fields", tooMany.Body.GetRawText(), StringComparison.Ordinal);

        var big = new { embeds = new[] { new { description = new string('a', 4000) }, new { description = new string('b', 2001) } } };
        var tooBig = await CallAsync(http, dc, HttpMethod.Post, "/channels/66/messages", big);
        Assert.Equal((HttpStatusCode.BadRequest, 50035), (tooBig.Status, tooBig.Code));
        Assert.Contains("6000", tooBig.Body.GetRawText(), StringComparison.Ordinal);

        var button = new { type = 2, style = 2, label = "Snooze", custom_id = "sz" };
        var duplicate = await CallAsync(http, dc, HttpMethod.Post, "/channels/66/messages", new { content = "x", components = new[] { new { type = 1, components = new[] { button, button } } } });
        Assert.Equal(50035, duplicate.Code);
        Assert.Contains("custom id", duplicate.Body.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(50006, (await CallAsync(http, dc, HttpMethod.Post, "/channels/66/messages", new { content = "" })).Code);
        Assert.Single(dc.Messages);
    }

    [Fact]
    public async Task Command_registration_rejects_uppercase_names_and_choices_with_autocomplete()
    {
        await using var dc = await FakeDiscord.StartAsync();
        using var http = Http();
        var global = $"/applications/{FakeDiscord.ApplicationId}/commands";
        const string valid = """
            [{"name":"alert","description":"Manage liquidation alerts","type":1,"options":[
               {"type":1,"name":"add","description":"Alert near liquidation","options":[
                  {"type":3,"name":"symbol","description":"Perp symbol","required":true,"autocomplete":true},
                  {"type":4,"name":"cooldown_min","description":"Minutes between repeats","min_value":1}]},
               {"type":1,"name":"snooze","description":"Pause alerts","options":[
                  {"type":4,"name":"minutes","description":"How long","required":true,"choices":[{"name":"15 min","value":15}]}]}]},
             {"name":"status","description":"Open positions"}]
            """;
        var ok = await CallAsync(http, dc, HttpMethod.Put, global, valid);
        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.Equal("cmd-alert", ok.Body[0].GetProperty("id").GetString());
        Assert.Equal(2, dc.RegisteredCommands().Count);

        var upper = await CallAsync(http, dc, HttpMethod.Put, global, """[{"name":"Status","description":"Open positions"}]""");
        Assert.Equal((HttpStatusCode.BadRequest, 50035), (upper.Status, upper.Code));
        Assert.Contains("lowercase", upper.Body.GetRawText(), StringComparison.Ordinal);
        var both = await CallAsync(http, dc, HttpMethod.Put, global, valid.Replace("\"required\":true,\"choices\"", "\"required\":true,\"autocomplete\":true,\"choices\"", StringComparison.Ordinal));
        Assert.Equal((HttpStatusCode.BadRequest, 50035), (both.Status, both.Code));
        Assert.Contains("options[1].options[0].autocomplete", both.Body.GetRawText(), StringComparison.Ordinal);
        var order = await CallAsync(http, dc, HttpMethod.Put, global, valid.Replace("\"required\":true,\"autocomplete\":true", "\"autocomplete\":true", StringComparison.Ordinal).Replace("\"min_value\":1", "\"min_value\":1,\"required\":true", StringComparison.Ordinal));
        Assert.Contains("Required options", order.Body.GetRawText(), StringComparison.Ordinal);

        Assert.Equal(2, dc.RegisteredCommands().Count); // failed PUTs change nothing
        Assert.Empty(dc.RegisteredCommands("55"));
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(http, dc, HttpMethod.Put, $"/applications/{FakeDiscord.ApplicationId}/guilds/55/commands", "[]")).Status);
        Assert.Empty(dc.RegisteredCommands("55"));
        Assert.Equal(2, dc.RegisteredCommands().Count);
    }

    [Fact]
    public async Task Enforced_nonce_returns_the_original_message_once()
    {
        await using var dc = await FakeDiscord.StartAsync();
        using var http = Http();
        var alert = new { content = "BTC near liquidation", nonce = "alert-17", enforce_nonce = true };

        var first = await CallAsync(http, dc, HttpMethod.Post, "/channels/66/messages", alert);
        var retry = await CallAsync(http, dc, HttpMethod.Post, "/channels/66/messages", alert);
        Assert.Equal(first.Body.GetProperty("id").GetString(), retry.Body.GetProperty("id").GetString());
        Assert.Equal("alert-17", retry.Body.GetProperty("nonce").GetString());
        Assert.Single(dc.Messages);

        var elsewhere = await CallAsync(http, dc, HttpMethod.Post, "/channels/67/messages", alert);
        var unenforced = await CallAsync(http, dc, HttpMethod.Post, "/channels/66/messages", new { content = "x", nonce = "alert-17" });
        Assert.NotEqual(first.Body.GetProperty("id").GetString(), elsewhere.Body.GetProperty("id").GetString());
        Assert.NotEqual(first.Body.GetProperty("id").GetString(), unenforced.Body.GetProperty("id").GetString());
        Assert.Equal(3, dc.Messages.Count);
        var tooLong = await CallAsync(http, dc, HttpMethod.Post, "/channels/66/messages", new { content = "x", nonce = new string('n', 26), enforce_nonce = true });
        Assert.Equal(50035, tooLong.Code);
    }
}
