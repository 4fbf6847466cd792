using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

using static PerpGuard.Bot.Tests.Fakes.FakeJson;

namespace PerpGuard.Bot.Tests.Fakes;

/// <summary>A REST request the fake received (every one, even rejected). Path is without the /api/v10 prefix; Body is null when empty or not JSON.</summary>
internal sealed record DiscordCall(string Method, string Path, JsonElement? Body, DateTimeOffset At)
{
    /// <summary>The HTTP status the fake answered.</summary>
    public int Status { get; init; }
    /// <summary>The query string, e.g. "?wait=true", or "".</summary>
    public string Query { get; init; } = "";
}

/// <summary>A gateway frame the CLIENT sent.</summary>
internal sealed record GatewayFrame(int Op, string? T, JsonElement? D, DateTimeOffset At);

/// <summary>
/// Discord's REST API v10 and gateway for one bot on a real Kestrel loopback server: sessions with resume and replay,
/// heartbeats, interactions with the 3 s / 15 min windows, message, embed, component and command validation, DMs,
/// nonce dedupe, rate-limit headers and scripted faults. All state is under one lock.
/// </summary>
internal sealed partial class FakeDiscord : IAsyncDisposable
{
    public const string Token = "MTIz.fake-SECRET.discord_token";
    public const string ApplicationId = "700000000000000001";
    public const string BotUserId = "700000000000000002";
    private const int BucketLimit = 5;
    private static readonly string[] EchoedFields = ["embeds", "components", "flags"];

    private readonly object _gate = new();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly int _heartbeatMs;
    private readonly List<DiscordCall> _calls = [];
    private readonly List<Fault> _faults = [];
    private readonly HashSet<string> _closedDms = [];
    private readonly Dictionary<string, List<JsonElement>> _commands = []; // "" = global
    private readonly Dictionary<string, Interaction> _interactions = [], _byToken = [];
    private readonly List<(string ChannelId, JsonElement Body)> _messages = [];
    private readonly Dictionary<(string Channel, string Nonce), (JsonObject Reply, DateTimeOffset At)> _nonces = [];
    private readonly Dictionary<string, (DateTimeOffset Reset, int Count)> _windows = [];
    private readonly List<string> _connectionPaths = [];
    private readonly List<GatewayFrame> _received = [];
    private readonly List<int> _clientCloseCodes = [];
    private readonly List<(int S, string Json)> _history = [];
    private readonly List<(string T, JsonObject D)> _undelivered = [];
    private Connection? _current;
    private string? _sessionId;
    private int _seq, _sessions, _connections, _identifies, _nextToken;
    private long _nextSnowflake = 1_200_000_000_000_000_000, _nextMessageId = 9_000_000_000_000_000_000;
    private bool _acknowledgeHeartbeats = true;
    private WebApplication? _app;

    private FakeDiscord(int heartbeatMs) => _heartbeatMs = heartbeatMs;

    public string BaseUrl { get; private set; } = "";
    public string ApiBaseUrl => BaseUrl + "/api/v10";
    public string GatewayUrl => "ws" + BaseUrl["http".Length..];
    public IReadOnlyList<DiscordCall> Calls { get { lock (_gate) return [.. _calls]; } }
    public int Connections { get { lock (_gate) return _connections; } }
    /// <summary>Path and query each websocket connection used, e.g. "/?v=10&amp;encoding=json" or "/resume?v=10&amp;encoding=json".</summary>
    public IReadOnlyList<string> ConnectionPaths { get { lock (_gate) return [.. _connectionPaths]; } }
    public IReadOnlyList<GatewayFrame> Received { get { lock (_gate) return [.. _received]; } }
    public IReadOnlyList<int> ClientCloseCodes { get { lock (_gate) return [.. _clientCloseCodes]; } }
    public bool AcknowledgeHeartbeats { get { lock (_gate) return _acknowledgeHeartbeats; } set { lock (_gate) _acknowledgeHeartbeats = value; } }
    public string? SessionId { get { lock (_gate) return _sessionId; } }
    /// <summary>True while a socket that identified or resumed into the live session is open.</summary>
    public bool SessionConnected { get { lock (_gate) return _current is { } c && c.SessionId is not null && c.SessionId == _sessionId; } }
    public IReadOnlyList<(string ChannelId, JsonElement Body)> Messages { get { lock (_gate) return [.. _messages]; } }

    public static async Task<FakeDiscord> StartAsync(TimeSpan? heartbeatInterval = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var fake = new FakeDiscord((int)(heartbeatInterval ?? TimeSpan.FromMilliseconds(45_000)).TotalMilliseconds);
        fake._app = builder.Build();
        fake._app.UseWebSockets();
        fake._app.Run(context => context.WebSockets.IsWebSocketRequest ? fake.GatewayAsync(context) : fake.RestAsync(context));
        await fake._app.StartAsync();
        var addresses = ((IServer)fake._app.Services.GetService(typeof(IServer))!).Features.Get<IServerAddressesFeature>()!;
        fake.BaseUrl = addresses.Addresses.First().TrimEnd('/');
        return fake;
    }

    public IReadOnlyList<DiscordCall> CallsTo(string method, string pathPrefix)
    {
        lock (_gate) return [.. _calls.Where(c => c.Method.Equals(method, StringComparison.OrdinalIgnoreCase) && c.Path.StartsWith(pathPrefix, StringComparison.Ordinal))];
    }

    public void RateLimitNext(string pathPrefix, double retryAfterSeconds, bool global = false, int times = 1)
    {
        lock (_gate) _faults.Add(new Fault(pathPrefix, times, bucket => RateLimited(bucket, retryAfterSeconds, global)));
    }

    public void FailNext(string pathPrefix, int status, int code, string message, int times = 1)
    {
        lock (_gate) _faults.Add(new Fault(pathPrefix, times, _ => Error(status, code, message)));
    }

    public void CloseDms(string userId) { lock (_gate) _closedDms.Add(userId); }
    public void OpenDms(string userId) { lock (_gate) _closedDms.Remove(userId); }
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Instance API: fake.DmChannelOf(user).")]
    public string DmChannelOf(string userId) => "8" + userId;

    public IReadOnlyList<JsonElement> RegisteredCommands(string? guildId = null)
    {
        lock (_gate) return _commands.TryGetValue(guildId ?? "", out var list) ? [.. list] : [];
    }

    public IReadOnlyList<JsonElement> Responses(string interactionId) { lock (_gate) return _interactions.TryGetValue(interactionId, out var i) ? [.. i.Responses] : []; }
    public IReadOnlyList<JsonElement> Edits(string interactionToken) { lock (_gate) return _byToken.TryGetValue(interactionToken, out var i) ? [.. i.Edits] : []; }
    public IReadOnlyList<JsonElement> Followups(string interactionToken) { lock (_gate) return _byToken.TryGetValue(interactionToken, out var i) ? [.. i.Followups] : []; }

    /// <summary>Test hook: pretend the interaction was created <paramref name="by"/> earlier (3 s and 15 min windows) instead of sleeping.</summary>
    public void AgeInteraction(string interactionId, TimeSpan by)
    {
        lock (_gate) _interactions[interactionId].CreatedAt -= by;
    }

    // ---- waiting (past or future) ----

    public Task<DiscordCall> WaitForCallAsync(string method, string pathPrefix, Func<DiscordCall, bool>? match = null, TimeSpan? timeout = null) =>
        PollAsync(() => CallsTo(method, pathPrefix).FirstOrDefault(c => match?.Invoke(c) ?? true), timeout,
            () => $"no {method} {pathPrefix}* call{(match is null ? "" : " matching")}; recent calls: " +
                  string.Join(" | ", Calls.TakeLast(10).Select(c => $"{c.Method} {c.Path} -> {c.Status} {Shorten(c.Body?.GetRawText() ?? "")}")));

    public Task<GatewayFrame> WaitForFrameAsync(int op, Func<GatewayFrame, bool>? match = null, TimeSpan? timeout = null) =>
        PollAsync(() => Received.FirstOrDefault(f => f.Op == op && (match?.Invoke(f) ?? true)), timeout,
            () => $"no op {op} frame{(match is null ? "" : " matching")}; received: " +
                  string.Join(" | ", Received.TakeLast(10).Select(f => $"op {f.Op} {Shorten(f.D?.GetRawText() ?? "")}")));

    /// <summary>Waits until at least <paramref name="count"/> websocket connections were accepted.</summary>
    public Task WaitForConnectionsAsync(int count, TimeSpan? timeout = null) =>
        PollAsync(() => Connections >= count ? "" : null, timeout, () => $"{Connections} connection(s), waited for {count}");

    private static Task<T> PollAsync<T>(Func<T?> probe, TimeSpan? timeout, Func<string> describe) where T : class =>
        Eventually.FindAsync(probe, timeout, () => "FakeDiscord: " + describe());

    private static string Shorten(string s) => s.Length <= 160 ? s : s[..157] + "...";

    // ---- interactions ----

    private sealed class Interaction(string id, string token, int type, string channelId, string? messageId, DateTimeOffset createdAt)
    {
        public string Id => id;
        public string Token => token;
        public int Type => type;
        public string ChannelId => channelId;
        public string? ClickedMessageId => messageId;
        public DateTimeOffset CreatedAt { get; set; } = createdAt;
        public int? ResponseType { get; set; }
        public string? OriginalMessageId { get; set; }
        public List<JsonElement> Responses { get; } = [];
        public List<JsonElement> Edits { get; } = [];
        public List<JsonElement> Followups { get; } = [];
    }

    public (string Id, string Token) SlashCommand(string userId, string name, JsonArray? options = null, string? guildId = null, string? channelId = null) =>
        CreateInteraction(2, userId, guildId, channelId, null,
            new JsonObject { ["id"] = "cmd-" + name, ["name"] = name, ["type"] = 1, ["options"] = options?.DeepClone() ?? new JsonArray() });

    public (string Id, string Token) ButtonClick(string userId, string customId, string messageId, string? guildId = null, string? channelId = null) =>
        CreateInteraction(3, userId, guildId, channelId, messageId, new JsonObject { ["custom_id"] = customId, ["component_type"] = 2 });

    public (string Id, string Token) Autocomplete(string userId, string name, JsonArray options, string? guildId = null) =>
        CreateInteraction(4, userId, guildId, null, null,
            new JsonObject { ["id"] = "cmd-" + name, ["name"] = name, ["type"] = 1, ["options"] = options.DeepClone() });

    /// <summary>Any dispatch (op 0) to the current session, e.g. GUILD_CREATE.</summary>
    public void Dispatch(string eventName, JsonObject data) { lock (_gate) DispatchLocked(eventName, (JsonObject)data.DeepClone()); }

    private (string Id, string Token) CreateInteraction(int type, string userId, string? guildId, string? channelId, string? messageId, JsonObject data)
    {
        lock (_gate)
        {
            var id = (_nextSnowflake++).ToString(CultureInfo.InvariantCulture);
            var token = "itok-" + (++_nextToken).ToString(CultureInfo.InvariantCulture);
            var channel = channelId ?? DmChannelOf(userId);
            var user = new JsonObject { ["id"] = userId, ["username"] = "user" + userId, ["global_name"] = null };
            var payload = new JsonObject
            {
                ["id"] = id, ["application_id"] = ApplicationId, ["type"] = type, ["token"] = token, ["version"] = 1,
                ["channel_id"] = channel, ["channel"] = new JsonObject { ["id"] = channel, ["type"] = guildId is null ? 1 : 0 },
                ["locale"] = "en-US", ["app_permissions"] = "442368", ["context"] = guildId is null ? 1 : 0, ["data"] = data,
            };
            if (guildId is null) payload["user"] = user;
            else
            {
                payload["guild_id"] = guildId;
                payload["member"] = new JsonObject { ["user"] = user, ["permissions"] = "2147483647", ["roles"] = new JsonArray() };
            }
            if (messageId is not null)
            {
                payload["message"] = new JsonObject
                {
                    ["id"] = messageId, ["channel_id"] = channel,
                    ["author"] = new JsonObject { ["id"] = BotUserId, ["username"] = "PerpGuard", ["bot"] = true },
                };
            }
            var interaction = new Interaction(id, token, type, channel, messageId, DateTimeOffset.UtcNow);
            _interactions[id] = _byToken[token] = interaction;
            DispatchLocked("INTERACTION_CREATE", payload);
            return (id, token);
        }
    }

    // ---- gateway ----

    private sealed record Outgoing(string? Text, int? CloseCode, string? Reason)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Connection(WebSocket socket, HttpContext context, CancellationToken shutdown) : IDisposable
    {
        public WebSocket Socket { get; } = socket;
        public HttpContext Context { get; } = context;
        public CancellationTokenSource Life { get; } = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, shutdown);
        public Channel<Outgoing> Outbox { get; } = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });
        public string? SessionId { get; set; }
        public bool Closing { get; set; }
        public bool ServerClosed { get; set; }

        public Task Enqueue(string? text, int? closeCode = null, string? reason = null)
        {
            var item = new Outgoing(text, closeCode, reason);
            if (!Outbox.Writer.TryWrite(item)) item.Done.TrySetResult();
            return item.Done.Task;
        }

        public void Dispose() => Life.Dispose();
    }

    private async Task GatewayAsync(HttpContext context)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var c = new Connection(socket, context, _shutdown.Token);
        lock (_gate)
        {
            _connections++;
            _connectionPaths.Add((context.Request.Path.Value ?? "") + context.Request.QueryString.Value);
            _current = c;
            c.Enqueue(Frame(10, new JsonObject { ["heartbeat_interval"] = _heartbeatMs }));
        }
        var pump = PumpAsync(c);
        var buffer = new byte[8192];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), c.Life.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    lock (_gate)
                    {
                        if (!c.ServerClosed && socket.CloseStatus is { } status)
                        {
                            _clientCloseCodes.Add((int)status);
                            if (status is WebSocketCloseStatus.NormalClosure or WebSocketCloseStatus.EndpointUnavailable && c.SessionId == _sessionId) ForgetSessionLocked();
                        }
                        if (socket.State == WebSocketState.CloseReceived) CloseLocked(c, (int)(socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure), "");
                    }
                    break;
                }
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage) continue;
                var bytes = message.ToArray();
                message.SetLength(0);
                lock (_gate) HandleFrameLocked(c, bytes, result.MessageType);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException) { }
        finally
        {
            lock (_gate) if (_current == c) _current = null;
            c.Outbox.Writer.TryComplete();
            await pump;
        }
    }

    private static async Task PumpAsync(Connection c)
    {
        await foreach (var item in c.Outbox.Reader.ReadAllAsync())
        {
            try
            {
                if (item.CloseCode is { } code)
                {
                    c.ServerClosed = true;
                    c.Life.CancelAfter(TimeSpan.FromSeconds(2)); // a client that never answers the close is aborted
                    await c.Socket.CloseOutputAsync((WebSocketCloseStatus)code, item.Reason, c.Life.Token);
                }
                else if (!c.ServerClosed) await c.Socket.SendAsync(Encoding.UTF8.GetBytes(item.Text!), WebSocketMessageType.Text, true, c.Life.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException) { }
            item.Done.TrySetResult();
        }
    }

    private static string Frame(int op, JsonNode? d) => new JsonObject { ["op"] = op, ["d"] = d }.ToJsonString();

    private void CloseLocked(Connection c, int code, string reason)
    {
        c.Closing = true;
        if (_current == c) _current = null;
        c.Enqueue(null, code, reason);
    }

    private void ForgetSessionLocked()
    {
        _sessionId = null;
        _seq = 0;
        _history.Clear();
    }

    private void HandleFrameLocked(Connection c, byte[] bytes, WebSocketMessageType type)
    {
        if (c.Closing) return;
        JsonElement root;
        try { root = type == WebSocketMessageType.Text && bytes.Length <= 4096 ? ParseElement(Encoding.UTF8.GetString(bytes)) : default; }
        catch (JsonException) { root = default; }
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("op", out var opElement) || !opElement.TryGetInt32(out var op))
        {
            CloseLocked(c, 4002, "Error while decoding payload.");
            return;
        }
        JsonElement? d = root.TryGetProperty("d", out var dElement) && dElement.ValueKind != JsonValueKind.Null ? dElement : null;
        _received.Add(new GatewayFrame(op, Str(root, "t"), d, DateTimeOffset.UtcNow));
        var data = d ?? default;
        var authenticated = c.SessionId is not null && c.SessionId == _sessionId;
        switch (op)
        {
            case 1:
                if (_acknowledgeHeartbeats) c.Enqueue(new JsonObject { ["op"] = 11 }.ToJsonString());
                break;
            case 2 when authenticated:
                CloseLocked(c, 4005, "Already authenticated.");
                break;
            case 2 when Str(data, "token") != Token:
                CloseLocked(c, 4004, "Authentication failed.");
                break;
            case 2 when !(data.ValueKind == JsonValueKind.Object && data.TryGetProperty("intents", out var intents) && intents.ValueKind == JsonValueKind.Number):
                CloseLocked(c, 4013, "Invalid intent(s).");
                break;
            case 2:
                ForgetSessionLocked();
                _identifies++;
                _sessionId = "sess-" + (++_sessions).ToString(CultureInfo.InvariantCulture);
                c.SessionId = _sessionId;
                _current = c;
                DispatchLocked("READY", new JsonObject
                {
                    ["v"] = 10,
                    ["user"] = new JsonObject { ["id"] = BotUserId, ["username"] = "PerpGuard", ["discriminator"] = "0", ["bot"] = true },
                    ["guilds"] = new JsonArray(), ["session_id"] = _sessionId, ["resume_gateway_url"] = GatewayUrl + "/resume",
                    ["application"] = new JsonObject { ["id"] = ApplicationId, ["flags"] = 0 },
                });
                foreach (var (t, payload) in _undelivered) DispatchLocked(t, payload);
                _undelivered.Clear();
                break;
            case 6 when authenticated:
                CloseLocked(c, 4005, "Already authenticated.");
                break;
            case 6 when Str(data, "token") != Token:
                CloseLocked(c, 4004, "Authentication failed.");
                break;
            case 6 when _sessionId is null || Str(data, "session_id") != _sessionId:
                c.Enqueue(Frame(9, false));
                break;
            case 6 when (Long(data, "seq") ?? 0) > _seq:
                ForgetSessionLocked();
                CloseLocked(c, 4007, "Invalid seq.");
                break;
            case 6:
                var after = Long(data, "seq") ?? 0;
                c.SessionId = _sessionId;
                _current = c;
                foreach (var (_, json) in _history.Where(h => h.S > after)) c.Enqueue(json);
                DispatchLocked("RESUMED", new JsonObject());
                break;
            case 3 or 4 or 8 when !authenticated:
                CloseLocked(c, 4003, "Not authenticated.");
                break;
            case 3 or 4 or 8:
                break; // presence / voice state / request guild members: accepted and ignored
            default:
                CloseLocked(c, 4001, "Unknown opcode.");
                break;
        }
    }

    /// <summary>Sends a dispatch with the session's next seq to the session's socket; with no socket it stays in the history for RESUME.</summary>
    private void DispatchLocked(string t, JsonObject d)
    {
        if (_sessionId is null)
        {
            _undelivered.Add((t, d)); // no session yet: delivered after the next READY
            return;
        }
        var json = new JsonObject { ["op"] = 0, ["t"] = t, ["s"] = ++_seq, ["d"] = d }.ToJsonString();
        _history.Add((_seq, json));
        if (_current is { } c && c.SessionId == _sessionId) c.Enqueue(json);
    }

    private Task SendToCurrentAsync(string? text, int? closeCode = null, string reason = "")
    {
        lock (_gate)
        {
            var c = _current ?? throw new InvalidOperationException("FakeDiscord: no gateway connection is open");
            if (closeCode is not { } code) return c.Enqueue(text);
            c.Closing = true;
            _current = null;
            if (code is 4007 or 4009) ForgetSessionLocked();
            return c.Enqueue(null, code, reason);
        }
    }

    public Task SendReconnectAsync() => SendToCurrentAsync(Frame(7, null));
    public Task RequestHeartbeatAsync() => SendToCurrentAsync(Frame(1, null));
    /// <summary>Server closes the current socket with <paramref name="code"/> (4007 and 4009 also end the session, as Discord does).</summary>
    public Task CloseAsync(int code, string reason) => SendToCurrentAsync(null, code, reason);

    public Task SendInvalidSessionAsync(bool resumable)
    {
        lock (_gate)
        {
            var sent = SendToCurrentAsync(Frame(9, resumable));
            if (!resumable) ForgetSessionLocked();
            return sent;
        }
    }

    /// <summary>Aborts the current socket without a close frame (TCP reset); the session stays resumable.</summary>
    public void DropConnection()
    {
        Connection? c;
        lock (_gate)
        {
            c = _current;
            _current = null;
            if (c is not null) c.Closing = true;
        }
        if (c is null) return;
        try
        {
            // The connection first (a TCP reset for the client), then the socket; once the socket is aborted the handler
            // may finish and dispose the context, so aborting it after would race.
            c.Context.Abort();
        }
        catch (ObjectDisposedException)
        {
            // The handler had already ended the request.
        }
        c.Socket.Abort();
    }

    // ---- REST ----

    private sealed record Reply(int Status, JsonNode? Body)
    {
        public Dictionary<string, string> Headers { get; } = [];
    }

    private sealed class Fault(string prefix, int times, Func<string, Reply> make)
    {
        public string Prefix => prefix;
        public int Left { get; set; } = times;
        public Func<string, Reply> Make => make;
    }

    private static Reply Error(int status, int code, string message) => new(status, new JsonObject { ["message"] = message, ["code"] = code });
    private static Reply NotFound() => Error(404, 0, "404: Not Found");
    private static Reply Invalid(string what, string code = "BASE_TYPE_INVALID") => new(400, new JsonObject
    {
        ["code"] = 50035, ["message"] = "Invalid Form Body",
        ["errors"] = new JsonObject { ["_errors"] = new JsonArray(new JsonObject { ["code"] = code, ["message"] = what }) },
    });

    private static Reply RateLimited(string bucket, double retryAfter, bool global)
    {
        var reply = new Reply(429, new JsonObject { ["message"] = "You are being rate limited.", ["retry_after"] = retryAfter, ["global"] = global });
        reply.Headers["Retry-After"] = Math.Ceiling(retryAfter).ToString(CultureInfo.InvariantCulture);
        reply.Headers["X-RateLimit-Scope"] = global ? "global" : "user";
        if (global) reply.Headers["X-RateLimit-Global"] = "true";
        reply.Headers["X-RateLimit-Limit"] = BucketLimit.ToString(CultureInfo.InvariantCulture);
        reply.Headers["X-RateLimit-Remaining"] = "0";
        reply.Headers["X-RateLimit-Reset-After"] = retryAfter.ToString("F3", CultureInfo.InvariantCulture);
        reply.Headers["X-RateLimit-Reset"] = ((DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0) + retryAfter).ToString("F3", CultureInfo.InvariantCulture);
        reply.Headers["X-RateLimit-Bucket"] = bucket;
        return reply;
    }

    private async Task RestAsync(HttpContext context)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _shutdown.Token);
        try
        {
            string text;
            using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8)) text = await reader.ReadToEndAsync(cancel.Token);
            var reply = Answer(context.Request, text);
            context.Response.StatusCode = reply.Status;
            foreach (var (name, value) in reply.Headers) context.Response.Headers[name] = value;
            if (reply.Body is not null)
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(reply.Body.ToJsonString(), cancel.Token);
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested) { context.Abort(); }
    }

    private Reply Answer(HttpRequest request, string text)
    {
        var now = DateTimeOffset.UtcNow;
        var full = request.Path.Value ?? "";
        var path = full.StartsWith("/api/v10/", StringComparison.Ordinal) ? full["/api/v10".Length..] : null;
        JsonElement? body = null;
        var badJson = false;
        if (!string.IsNullOrWhiteSpace(text))
        {
            try { body = ParseElement(text); }
            catch (JsonException) { badJson = true; }
        }
        lock (_gate)
        {
            var reply = AnswerLocked(request, path, body, badJson, text.Length > 0, now);
            _calls.Add(new DiscordCall(request.Method, path ?? full, body, now) { Status = reply.Status, Query = request.QueryString.Value ?? "" });
            return reply;
        }
    }

    private Reply AnswerLocked(HttpRequest request, string? path, JsonElement? parsed, bool badJson, bool hasBody, DateTimeOffset now)
    {
        if (path is null) return NotFound();
        if (request.Headers.Authorization.ToString() != "Bot " + Token) return Error(401, 0, "401: Unauthorized");
        if (!request.Headers.UserAgent.ToString().StartsWith("DiscordBot (", StringComparison.Ordinal)) return Error(400, 0, "missing User-Agent");
        var body = parsed ?? default;
        string[] p = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        (string Bucket, string Major, Func<Reply> Handle)? route = (request.Method.ToUpperInvariant(), p) switch
        {
            ("GET", ["gateway", "bot"]) => ("b-gateway-bot", "", GatewayBot),
            ("GET", ["users", "@me"]) => ("b-users-me", "", () => new Reply(200, BotUser())),
            ("POST", ["users", "@me", "channels"]) => ("b-dm", "", () => OpenDm(body)),
            ("POST", ["channels", var channel, "messages"]) => ("b-channels-messages", channel, () => PostMessage(channel, body, now)),
            ("PUT", ["applications", var app, "commands"]) => ("b-applications-commands", "", () => PutCommands(app, null, body)),
            ("PUT", ["applications", var app, "guilds", var guild, "commands"]) => ("b-applications-guilds-commands", guild, () => PutCommands(app, guild, body)),
            ("GET", ["applications", var app, "commands"]) => ("b-applications-commands", "", () => GetCommands(app, null)),
            ("GET", ["applications", var app, "guilds", var guild, "commands"]) => ("b-applications-guilds-commands", guild, () => GetCommands(app, guild)),
            ("POST", ["interactions", var id, var token, "callback"]) => ("b-interactions-callback", id + "/" + token, () => Callback(id, token, body, now)),
            ("PATCH", ["webhooks", var app, var token, "messages", "@original"]) => ("b-webhooks-messages-original", app + "/" + token, () => Webhook(app, token, body, now, edit: true)),
            ("POST", ["webhooks", var app, var token]) => ("b-webhooks", app + "/" + token, () => Webhook(app, token, body, now, edit: false)),
            _ => null,
        };
        if (route is not { } r) return NotFound();
        if (hasBody && !(request.ContentType ?? "").StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            return Invalid("Content-Type must be application/json (this fake does not take multipart)", "CONTENT_TYPE_INVALID");
        if (badJson) return Error(400, 50109, "The request body contains invalid JSON.");
        if (_faults.FirstOrDefault(f => f.Left > 0 && path.StartsWith(f.Prefix, StringComparison.Ordinal)) is { } fault)
        {
            fault.Left--;
            return fault.Make(r.Bucket);
        }
        var reply = r.Handle();
        var key = r.Bucket + ":" + r.Major;
        var window = _windows.TryGetValue(key, out var w) && now < w.Reset ? w : (Reset: now.AddSeconds(1), Count: 0);
        _windows[key] = window = (window.Reset, window.Count + 1);
        reply.Headers["X-RateLimit-Limit"] = BucketLimit.ToString(CultureInfo.InvariantCulture);
        reply.Headers["X-RateLimit-Remaining"] = Math.Max(0, BucketLimit - window.Count).ToString(CultureInfo.InvariantCulture);
        reply.Headers["X-RateLimit-Reset"] = (window.Reset.ToUnixTimeMilliseconds() / 1000.0).ToString("F3", CultureInfo.InvariantCulture);
        reply.Headers["X-RateLimit-Reset-After"] = (window.Reset - now).TotalSeconds.ToString("F3", CultureInfo.InvariantCulture);
        reply.Headers["X-RateLimit-Bucket"] = r.Bucket;
        return reply;
    }

    private static JsonObject BotUser() => new() { ["id"] = BotUserId, ["username"] = "PerpGuard", ["discriminator"] = "0", ["bot"] = true };

    private Reply GatewayBot() => new(200, new JsonObject
    {
        ["url"] = GatewayUrl, ["shards"] = 1,
        ["session_start_limit"] = new JsonObject { ["total"] = 1000, ["remaining"] = 1000 - _identifies, ["reset_after"] = 14_400_000, ["max_concurrency"] = 1 },
    });

    private Reply OpenDm(JsonElement body)
    {
        if (Str(body, "recipient_id") is not { Length: > 0 } user) return Invalid("recipient_id: This field is required", "BASE_TYPE_REQUIRED");
        return new(200, new JsonObject { ["id"] = DmChannelOf(user), ["type"] = 1, ["recipients"] = new JsonArray(new JsonObject { ["id"] = user, ["username"] = "user" + user }) });
    }

    private Reply PostMessage(string channel, JsonElement body, DateTimeOffset now)
    {
        if (MessageProblem(body, edit: false) is { } problem) return problem;
        if (channel.StartsWith('8') && _closedDms.Contains(channel[1..])) return Error(403, 50007, "Cannot send messages to this user");
        var nonce = Str(body, "nonce");
        if (nonce is { Length: > 25 }) return Invalid("nonce: Must be 25 or fewer in length.", "BASE_TYPE_MAX_LENGTH");
        var enforce = body.TryGetProperty("enforce_nonce", out var e) && e.ValueKind == JsonValueKind.True;
        if (nonce is not null && enforce && _nonces.TryGetValue((channel, nonce), out var seen) && now - seen.At < TimeSpan.FromMinutes(5))
            return new(200, seen.Reply.DeepClone());
        var message = MessageObject(NextMessageId(), channel, body);
        if (nonce is not null) message["nonce"] = nonce;
        if (nonce is not null && enforce) _nonces[(channel, nonce)] = ((JsonObject)message.DeepClone(), now);
        _messages.Add((channel, body));
        return new(200, message);
    }

    private string NextMessageId() => (_nextMessageId++).ToString(CultureInfo.InvariantCulture);

    private static JsonObject MessageObject(string id, string channel, JsonElement body)
    {
        var message = new JsonObject
        {
            ["id"] = id, ["channel_id"] = channel, ["type"] = 0, ["author"] = BotUser(), ["timestamp"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["content"] = Str(body, "content") ?? "", ["embeds"] = new JsonArray(), ["components"] = new JsonArray(),
        };
        foreach (var name in EchoedFields)
            if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null) message[name] = JsonNode.Parse(v.GetRawText());
        return message;
    }

    private Reply Callback(string id, string token, JsonElement body, DateTimeOffset now)
    {
        if (!_interactions.TryGetValue(id, out var it) || it.Token != token) return Error(404, 10062, "Unknown interaction");
        if (it.ResponseType is not null) return Error(400, 40060, "Interaction has already been acknowledged.");
        if (now - it.CreatedAt > TimeSpan.FromSeconds(3)) return Error(404, 10062, "Unknown interaction");
        var type = (int)(Long(body, "type") ?? 0);
        var data = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("data", out var dd) && dd.ValueKind != JsonValueKind.Null ? dd : default;
        if (type is not (4 or 5 or 6 or 7 or 8)) return Invalid("type: Value must be one of (4, 5, 6, 7, 8).", "BASE_TYPE_CHOICES");
        if ((it.Type == 4) != (type == 8)) return Invalid($"type: callback type {type} is not valid for interaction type {it.Type} (autocomplete takes 8 and only 8)", "INTERACTION_RESPONSE_TYPE_INVALID");
        if (type is 6 or 7 && it.Type != 3) return Invalid($"type: callback type {type} is only valid for component interactions", "INTERACTION_RESPONSE_TYPE_INVALID");
        if (type is 4 or 7 && MessageProblem(data, edit: type == 7, "data.") is { } problem) return problem;
        if (type == 5 && ((Long(data, "flags") ?? 0) & ~64L) != 0) return Invalid("data.flags: only EPHEMERAL (64) may be set on a deferred response");
        if (type == 8 && !(data.ValueKind == JsonValueKind.Object && data.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array))
            return Invalid("data.choices: This field is required", "BASE_TYPE_REQUIRED");
        if (type == 8 && data.GetProperty("choices").GetArrayLength() > 25) return Invalid("data.choices: Must be 25 or fewer in length.", "BASE_TYPE_MAX_LENGTH");
        it.ResponseType = type;
        it.OriginalMessageId = type switch { 6 or 7 => it.ClickedMessageId, 8 => null, _ => NextMessageId() };
        it.Responses.Add(body);
        return new(204, null);
    }

    private Reply Webhook(string app, string token, JsonElement body, DateTimeOffset now, bool edit)
    {
        if (app != ApplicationId || !_byToken.TryGetValue(token, out var it) || it.ResponseType is null or 8) return Error(404, 10015, "Unknown Webhook");
        if (now - it.CreatedAt > TimeSpan.FromMinutes(15)) return Error(401, 50027, "Invalid Webhook Token");
        if (MessageProblem(body, edit) is { } problem) return problem;
        (edit ? it.Edits : it.Followups).Add(body);
        return new(200, MessageObject(edit ? it.OriginalMessageId ?? NextMessageId() : NextMessageId(), it.ChannelId, body));
    }

    // ---- validation ----

    [GeneratedRegex(@"^[-_'\p{L}\p{N}]{1,32}$")] private static partial Regex NameRegex();

    /// <summary>Why Discord would refuse this message data (400), or null. New messages must not be empty; edits may be partial.</summary>
    private static Reply? MessageProblem(JsonElement body, bool edit, string at = "")
    {
        if (body.ValueKind != JsonValueKind.Object) return edit ? Invalid($"{(at.Length > 0 ? at.TrimEnd('.') : "body")}: Must be a JSON object.", "MODEL_TYPE_CONVERT") : Error(400, 50006, "Cannot send an empty message");
        var content = "";
        if (body.TryGetProperty("content", out var c) && c.ValueKind != JsonValueKind.Null)
        {
            if (c.ValueKind != JsonValueKind.String) return Invalid($"{at}content: Must be a string.", "BASE_TYPE_STRING");
            content = c.GetString()!;
            if (content.Length > 2000) return Invalid($"{at}content: Must be 2000 or fewer in length (got {content.Length}).", "BASE_TYPE_MAX_LENGTH");
        }
        var embedCount = 0;
        if (body.TryGetProperty("embeds", out var embeds) && embeds.ValueKind != JsonValueKind.Null)
        {
            if (embeds.ValueKind != JsonValueKind.Array) return Invalid($"{at}embeds: Must be an array.", "BASE_TYPE_ARRAY");
            embedCount = embeds.GetArrayLength();
            if (embedCount > 10) return Invalid($"{at}embeds: Must be 10 or fewer in length (got {embedCount}).", "BASE_TYPE_MAX_LENGTH");
            var total = 0;
            var i = 0;
            foreach (var embed in embeds.EnumerateArray())
            {
                var e = $"{at}embeds[{i++}]";
                if (embed.ValueKind != JsonValueKind.Object) return Invalid($"{e}: Must be an object.", "MODEL_TYPE_CONVERT");
                if (TooLong(embed, "title", 256, e, ref total) is { } badTitle) return badTitle;
                if (TooLong(embed, "description", 4096, e, ref total) is { } badDescription) return badDescription;
                if (Nested(embed, "footer") is { } footer && TooLong(footer, "text", 2048, e + ".footer", ref total) is { } badFooter) return badFooter;
                if (Nested(embed, "author") is { } author && TooLong(author, "name", 256, e + ".author", ref total) is { } badAuthor) return badAuthor;
                if (embed.TryGetProperty("fields", out var fields) && fields.ValueKind == JsonValueKind.Array)
                {
                    if (fields.GetArrayLength() > 25) return Invalid($"{e}.fields: Must be 25 or fewer in length (got {fields.GetArrayLength()}).", "BASE_TYPE_MAX_LENGTH");
                    var j = 0;
                    foreach (var field in fields.EnumerateArray())
                    {
                        var f = $"{e}.fields[{j++}]";
                        var (name, value) = (Str(field, "name") ?? "", Str(field, "value") ?? "");
                        if (name.Length is < 1 or > 256) return Invalid($"{f}.name: Must be between 1 and 256 in length (got {name.Length}).", "BASE_TYPE_BAD_LENGTH");
                        if (value.Length is < 1 or > 1024) return Invalid($"{f}.value: Must be between 1 and 1024 in length (got {value.Length}).", "BASE_TYPE_BAD_LENGTH");
                        total += name.Length + value.Length;
                    }
                }
            }
            if (total > 6000) return Invalid($"{at}embeds: Embed size exceeds maximum size of 6000 (got {total} characters in total).", "MAX_EMBED_SIZE_EXCEEDED");
        }
        var rowCount = 0;
        if (body.TryGetProperty("components", out var rows) && rows.ValueKind != JsonValueKind.Null)
        {
            if (rows.ValueKind != JsonValueKind.Array) return Invalid($"{at}components: Must be an array.", "BASE_TYPE_ARRAY");
            rowCount = rows.GetArrayLength();
            if (rowCount > 5) return Invalid($"{at}components: Must be 5 or fewer in length (got {rowCount}).", "BASE_TYPE_MAX_LENGTH");
            var ids = new HashSet<string>(StringComparer.Ordinal);
            var i = 0;
            foreach (var row in rows.EnumerateArray())
            {
                var rw = $"{at}components[{i++}]";
                if (Long(row, "type") != 1 || !row.TryGetProperty("components", out var items) || items.ValueKind != JsonValueKind.Array)
                    return Invalid($"{rw}: a top-level component must be an action row (type 1) with a components array.", "UNION_TYPE_CHOICES");
                if (items.GetArrayLength() is < 1 or > 5) return Invalid($"{rw}.components: Must be between 1 and 5 in length (got {items.GetArrayLength()}).", "BASE_TYPE_BAD_LENGTH");
                var j = 0;
                foreach (var item in items.EnumerateArray())
                {
                    var b = $"{rw}.components[{j++}]";
                    var kind = Long(item, "type");
                    if (kind != 2 && items.GetArrayLength() > 1) return Invalid($"{b}: a select menu must be alone in its action row.", "COMPONENT_LAYOUT_WIDTH_EXCEEDED");
                    if (kind is not (2 or 3 or 5 or 6 or 7 or 8)) return Invalid($"{b}.type: not a component an action row can hold (got {kind}).", "UNION_TYPE_CHOICES");
                    if ((Str(item, "label") ?? "").Length > 80) return Invalid($"{b}.label: Must be 80 or fewer in length.", "BASE_TYPE_MAX_LENGTH");
                    if (kind == 2 && Long(item, "style") == 5)
                    {
                        if (string.IsNullOrEmpty(Str(item, "url")) || Str(item, "custom_id") is not null) return Invalid($"{b}: a link button (style 5) needs a url and no custom_id.", "BUTTON_COMPONENT_URL_REQUIRED");
                        continue;
                    }
                    if (kind == 2 && Long(item, "style") is not (>= 1 and <= 4)) return Invalid($"{b}.style: Value must be one of (1, 2, 3, 4, 5).", "BASE_TYPE_CHOICES");
                    if (kind == 2 && string.IsNullOrEmpty(Str(item, "label")) && Nested(item, "emoji") is null) return Invalid($"{b}: a button needs a label or an emoji.", "BUTTON_COMPONENT_LABEL_REQUIRED");
                    var id = Str(item, "custom_id") ?? "";
                    if (id.Length is < 1 or > 100) return Invalid($"{b}.custom_id: Must be between 1 and 100 in length (got {id.Length}).", "BASE_TYPE_BAD_LENGTH");
                    if (!ids.Add(id)) return Invalid($"{b}.custom_id: Component custom id cannot be duplicated (\"{id}\").", "COMPONENT_CUSTOM_ID_DUPLICATED");
                }
            }
        }
        if (body.TryGetProperty("flags", out var flags) && flags.ValueKind != JsonValueKind.Null && !(flags.ValueKind == JsonValueKind.Number && flags.TryGetInt64(out var fl) && fl >= 0))
            return Invalid($"{at}flags: Must be a non-negative integer.", "NUMBER_TYPE_COERCE");
        if (body.TryGetProperty("allowed_mentions", out var am) && am.ValueKind != JsonValueKind.Null)
        {
            if (am.ValueKind != JsonValueKind.Object) return Invalid($"{at}allowed_mentions: Must be an object.", "MODEL_TYPE_CONVERT");
            if (am.TryGetProperty("parse", out var parse) && (parse.ValueKind != JsonValueKind.Array || parse.EnumerateArray().Any(x => x.GetString() is not ("roles" or "users" or "everyone"))))
                return Invalid($"{at}allowed_mentions.parse: Must be an array of \"roles\", \"users\", \"everyone\".", "BASE_TYPE_CHOICES");
        }
        if (!edit && content.Length == 0 && embedCount == 0 && rowCount == 0) return Error(400, 50006, "Cannot send an empty message");
        return null;
    }

    private static JsonElement? Nested(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : null;

    private static Reply? TooLong(JsonElement obj, string name, int max, string at, ref int total)
    {
        var length = (Str(obj, name) ?? "").Length;
        total += length;
        return length > max ? Invalid($"{at}.{name}: Must be {max} or fewer in length (got {length}).", "BASE_TYPE_MAX_LENGTH") : null;
    }

    private Reply PutCommands(string app, string? guild, JsonElement body)
    {
        if (app != ApplicationId) return Error(404, 10002, "Unknown Application");
        if (body.ValueKind != JsonValueKind.Array) return Invalid("body: Must be an array of application commands.", "BASE_TYPE_ARRAY");
        var names = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var command in body.EnumerateArray())
        {
            var at = $"[{i++}]";
            var type = Long(command, "type") ?? 1;
            if (type == 1 && CommandProblem(command, at, isCommand: true) is { } problem) return problem;
            if (type != 1 && (Str(command, "name") ?? "").Length is < 1 or > 32) return Invalid($"{at}.name: Must be between 1 and 32 in length.", "BASE_TYPE_BAD_LENGTH");
            if (!names.Add(type.ToString(CultureInfo.InvariantCulture) + ":" + Str(command, "name"))) return Invalid($"{at}.name: Application command names must be unique (\"{Str(command, "name")}\").", "APPLICATION_COMMANDS_DUPLICATE_NAME");
        }
        _commands[guild ?? ""] = [.. body.EnumerateArray()];
        return new(200, new JsonArray([.. body.EnumerateArray().Select(c => CommandObject(c, guild))]));
    }

    private Reply GetCommands(string app, string? guild) => app != ApplicationId ? Error(404, 10002, "Unknown Application")
        : new(200, new JsonArray([.. (_commands.TryGetValue(guild ?? "", out var list) ? list : []).Select(c => CommandObject(c, guild))]));

    private static JsonObject CommandObject(JsonElement command, string? guild)
    {
        var node = JsonNode.Parse(command.GetRawText())!.AsObject();
        node["id"] = "cmd-" + Str(command, "name");
        node["application_id"] = ApplicationId;
        node["version"] = "1";
        if (guild is not null) node["guild_id"] = guild;
        return node;
    }

    private static Reply? CommandProblem(JsonElement item, string at, bool isCommand)
    {
        if (item.ValueKind != JsonValueKind.Object) return Invalid($"{at}: Must be an object.", "MODEL_TYPE_CONVERT");
        var name = Str(item, "name") ?? "";
        if (!NameRegex().IsMatch(name)) return Invalid($"{at}.name: \"{name}\" must match ^[-_'\\p{{L}}\\p{{N}}]{{1,32}}$", "APPLICATION_COMMAND_INVALID_NAME");
        if (!string.Equals(name, name.ToLowerInvariant(), StringComparison.Ordinal)) return Invalid($"{at}.name: \"{name}\" must be lowercase", "APPLICATION_COMMAND_INVALID_NAME");
        var description = Str(item, "description") ?? "";
        if (description.Length is < 1 or > 100) return Invalid($"{at}.description: Must be between 1 and 100 in length (got {description.Length}).", "BASE_TYPE_BAD_LENGTH");
        var optionType = isCommand ? 1 : Long(item, "type") ?? 0;
        if (!isCommand && optionType is < 1 or > 11) return Invalid($"{at}.type: Value must be one of (1..11) (got {optionType}).", "BASE_TYPE_CHOICES");
        if (item.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array)
        {
            if (choices.GetArrayLength() > 25) return Invalid($"{at}.choices: Must be 25 or fewer in length.", "BASE_TYPE_MAX_LENGTH");
            if (item.TryGetProperty("autocomplete", out var ac) && ac.ValueKind == JsonValueKind.True && choices.GetArrayLength() > 0)
                return Invalid($"{at}.autocomplete: Autocomplete cannot be set for options with choices.", "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_AND_CHOICES");
            var j = 0;
            foreach (var choice in choices.EnumerateArray())
            {
                if ((Str(choice, "name") ?? "").Length is < 1 or > 100) return Invalid($"{at}.choices[{j}].name: Must be between 1 and 100 in length.", "BASE_TYPE_BAD_LENGTH");
                if (!choice.TryGetProperty("value", out _)) return Invalid($"{at}.choices[{j}].value: This field is required", "BASE_TYPE_REQUIRED");
                j++;
            }
        }
        if (!item.TryGetProperty("options", out var options) || options.ValueKind != JsonValueKind.Array) return null;
        if (optionType is > 2) return Invalid($"{at}.options: only commands, subcommands and groups have options.", "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID");
        if (options.GetArrayLength() > 25) return Invalid($"{at}.options: Must be 25 or fewer in length (got {options.GetArrayLength()}).", "BASE_TYPE_MAX_LENGTH");
        var names = new HashSet<string>(StringComparer.Ordinal);
        var optional = false;
        var k = 0;
        foreach (var option in options.EnumerateArray())
        {
            var o = $"{at}.options[{k++}]";
            if (CommandProblem(option, o, isCommand: false) is { } problem) return problem;
            if (!names.Add(Str(option, "name") ?? "")) return Invalid($"{o}.name: Option names must be unique.", "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS");
            var required = option.TryGetProperty("required", out var req) && req.ValueKind == JsonValueKind.True;
            if (required && optional) return Invalid($"{o}.required: Required options must be placed before non-required options.", "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID");
            optional |= !required && Long(option, "type") is not (1 or 2);
        }
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _shutdown.CancelAsync();
        if (_app is not null)
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _app.StopAsync(stop.Token);
            await _app.DisposeAsync();
        }
        _shutdown.Dispose();
    }
}
