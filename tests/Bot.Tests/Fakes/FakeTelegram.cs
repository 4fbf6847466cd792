using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

using static PerpGuard.Bot.Tests.Fakes.FakeJson;

namespace PerpGuard.Bot.Tests.Fakes;

/// <summary>A Bot API call the fake received (valid token only). Method is canonical ("sendMessage") when known, else lower-cased.</summary>
internal sealed record TelegramCall(string Method, JsonElement Body, DateTimeOffset At);

/// <summary>An accepted sendMessage or editMessageText. Text is the raw text sent (HTML source when parse_mode is HTML).</summary>
internal sealed record TelegramSent(long ChatId, long MessageId, string Text, string? ParseMode, string? ReplyMarkupJson, bool Edited, bool DisableNotification);

/// <summary>A scripted failure for <see cref="FakeTelegram.FailNext"/>.</summary>
internal abstract record TelegramFault
{
    private TelegramFault() { }
    public sealed record ErrorReply(int Code, string Description, int? RetryAfter) : TelegramFault;
    public sealed record BadGatewayReply : TelegramFault;
    public sealed record StallReply(TimeSpan Duration) : TelegramFault;
    public sealed record MalformedReply : TelegramFault;

    public static TelegramFault TooManyRequests(int retryAfterSeconds) =>
        new ErrorReply(429, $"Too Many Requests: retry after {retryAfterSeconds.ToString(CultureInfo.InvariantCulture)}", retryAfterSeconds);
    public static TelegramFault Forbidden(string description = "Forbidden: bot was blocked by the user") => new ErrorReply(403, description, null);
    public static TelegramFault Conflict(string description = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running") =>
        new ErrorReply(409, description, null);
    public static TelegramFault BadRequest(string description) => new ErrorReply(400, description, null);
    public static TelegramFault ServerError() => new BadGatewayReply();
    public static TelegramFault Stall(TimeSpan duration) => new StallReply(duration);
    public static TelegramFault Malformed() => new MalformedReply();
}

/// <summary>
/// The Telegram Bot API for one bot token on a real Kestrel loopback server: long polling with offsets, sendMessage /
/// editMessageText with Telegram's validation (HTML entities, 4096 chars, inline keyboards), callback answers, commands,
/// webhook switching and scripted faults. All state is under one lock.
/// </summary>
internal sealed partial class FakeTelegram : IAsyncDisposable
{
    public const string Token = "123456789:AAF-fake-SECRET-token_for_tests";
    public const long BotId = 123456789;
    public const string BotUsername = "PerpGuardTestBot";
    private const string NotModified = "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";
    private const string TooOld = "Bad Request: query is too old and response timeout expired or query ID is invalid";
    private static readonly string[] KnownMethods =
        ["getMe", "getUpdates", "sendMessage", "editMessageText", "answerCallbackQuery", "setMyCommands", "getMyCommands", "deleteWebhook", "setWebhook", "getWebhookInfo"];
    private static readonly HashSet<string> AllowedTags = ["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "code", "pre", "blockquote"];

    private readonly object _gate = new();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly List<TelegramCall> _calls = [];
    private readonly List<TelegramSent> _sent = [];
    private readonly SortedDictionary<long, string> _pending = [];
    private readonly Dictionary<string, Queue<TelegramFault>> _faults = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<(long Chat, long Id), (string Text, string? ParseMode, string? Markup)> _messages = [];
    private readonly Dictionary<long, long> _incomingIds = [];
    private readonly Dictionary<long, string> _chatTypes = [];
    private readonly Dictionary<string, bool> _callbacks = []; // id -> answered
    private readonly HashSet<long> _blocked = [];
    private List<(string Command, string Description)> _commands = [];
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _nextUpdateId = 100000, _nextMessageId = 5000, _confirmed;
    private bool _webhookActive;
    private string? _webhookUrl, _webhookSecret;
    private IReadOnlyList<string>? _allowedUpdates;
    private WebApplication? _app;

    private FakeTelegram() { }

    public string BaseUrl { get; private set; } = "";
    public IReadOnlyList<TelegramCall> Calls { get { lock (_gate) return [.. _calls]; } }
    public IReadOnlyList<TelegramSent> Sent { get { lock (_gate) return [.. _sent]; } }
    public long Confirmed { get { lock (_gate) return _confirmed; } }
    public IReadOnlyList<long> Pending { get { lock (_gate) return [.. _pending.Keys]; } }
    public string? WebhookUrl { get { lock (_gate) return _webhookUrl; } }
    public string? WebhookSecret { get { lock (_gate) return _webhookSecret; } }
    /// <summary>The last non-null allowed_updates sent to getUpdates or setWebhook (sticky, like Telegram).</summary>
    public IReadOnlyList<string>? AllowedUpdates { get { lock (_gate) return _allowedUpdates; } }
    public IReadOnlyList<(string Command, string Description)> Commands { get { lock (_gate) return [.. _commands]; } }

    public static async Task<FakeTelegram> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var fake = new FakeTelegram();
        fake._app = builder.Build();
        fake._app.Run(fake.HandleAsync);
        await fake._app.StartAsync();
        var addresses = ((IServer)fake._app.Services.GetService(typeof(IServer))!).Features.Get<IServerAddressesFeature>()!;
        fake.BaseUrl = addresses.Addresses.First().TrimEnd('/');
        return fake;
    }

    public IReadOnlyList<TelegramCall> CallsTo(string method) { lock (_gate) return [.. _calls.Where(c => c.Method.Equals(method, StringComparison.OrdinalIgnoreCase))]; }
    public IReadOnlyList<TelegramSent> SentTo(long chatId) { lock (_gate) return [.. _sent.Where(s => s.ChatId == chatId)]; }
    public void Block(long chatId) { lock (_gate) _blocked.Add(chatId); }
    public void Unblock(long chatId) { lock (_gate) _blocked.Remove(chatId); }
    public void SetWebhookActive(bool active) { lock (_gate) { _webhookActive = active; if (!active) _webhookUrl = _webhookSecret = null; } }

    public void FailNext(string method, TelegramFault fault, int times = 1)
    {
        lock (_gate)
        {
            if (!_faults.TryGetValue(method, out var queue)) _faults[method] = queue = new();
            for (var i = 0; i < times; i++) queue.Enqueue(fault);
        }
    }

    // ---- incoming traffic ----

    /// <summary>A user writes <paramref name="text"/> (a private message unblocks the bot, as in Telegram).</summary>
    public long SendText(long fromUserId, string text, long? chatId = null, string chatType = "private", DateTimeOffset? date = null, string firstName = "Alice")
    {
        var chat = chatId ?? fromUserId;
        lock (_gate)
        {
            _chatTypes[chat] = chatType;
            if (chatType == "private") _blocked.Remove(chat);
            var messageId = _incomingIds[chat] = _incomingIds.GetValueOrDefault(chat) + 1;
            var message = new JsonObject
            {
                ["message_id"] = messageId,
                ["from"] = new JsonObject { ["id"] = fromUserId, ["is_bot"] = false, ["first_name"] = firstName },
                ["chat"] = ChatJson(chat),
                ["date"] = (date ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(),
                ["text"] = text,
            };
            if (text.StartsWith('/'))
            {
                var length = text.IndexOfAny([' ', '\n']) is var end and >= 0 ? end : text.Length;
                message["entities"] = new JsonArray(new JsonObject { ["type"] = "bot_command", ["offset"] = 0, ["length"] = length });
            }
            return Enqueue("message", message);
        }
    }

    /// <summary>A user presses an inline button with callback <paramref name="data"/> under message <paramref name="messageId"/>.</summary>
    public long PressButton(long fromUserId, long messageId, string data, long? chatId = null)
    {
        var chat = chatId ?? fromUserId;
        lock (_gate)
        {
            var id = Guid.NewGuid().ToString("N");
            _callbacks[id] = false;
            var text = _messages.TryGetValue((chat, messageId), out var m) ? (m.ParseMode == "HTML" ? VisibleText(m.Text) : m.Text) : "...";
            return Enqueue("callback_query", new JsonObject
            {
                ["id"] = id,
                ["from"] = new JsonObject { ["id"] = fromUserId, ["is_bot"] = false, ["first_name"] = "Alice" },
                ["message"] = new JsonObject { ["message_id"] = messageId, ["chat"] = ChatJson(chat), ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["text"] = text },
                ["chat_instance"] = "-" + Guid.NewGuid().GetHashCode().ToString("D", CultureInfo.InvariantCulture).TrimStart('-'),
                ["data"] = data,
            });
        }
    }

    /// <summary>The user blocks the bot: a my_chat_member "kicked" update, and sends to that chat get 403 from now on.</summary>
    public long BlockedBy(long userId)
    {
        lock (_gate)
        {
            _blocked.Add(userId);
            return Enqueue("my_chat_member", new JsonObject
            {
                ["chat"] = new JsonObject { ["id"] = userId, ["type"] = "private" },
                ["from"] = new JsonObject { ["id"] = userId, ["is_bot"] = false, ["first_name"] = "Alice" },
                ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["old_chat_member"] = new JsonObject { ["status"] = "member", ["user"] = BotUser() },
                ["new_chat_member"] = new JsonObject { ["status"] = "kicked", ["user"] = BotUser(), ["until_date"] = 0 },
            });
        }
    }

    private long Enqueue(string kind, JsonObject payload)
    {
        var id = _nextUpdateId++;
        _pending[id] = new JsonObject { ["update_id"] = id, [kind] = payload }.ToJsonString();
        var arrived = _arrived;
        _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        arrived.TrySetResult();
        return id;
    }

    private JsonObject ChatJson(long chat) => new() { ["id"] = chat, ["type"] = _chatTypes.GetValueOrDefault(chat) ?? (chat > 0 ? "private" : chat < -1_000_000_000_000 ? "supergroup" : "group") };
    private static JsonObject BotUser() => new() { ["id"] = BotId, ["is_bot"] = true, ["first_name"] = "PerpGuard", ["username"] = BotUsername };

    // ---- waiting ----

    public Task<TelegramCall> WaitForCallAsync(string method, Func<TelegramCall, bool>? match = null, TimeSpan? timeout = null) =>
        PollAsync(() => CallsTo(method).FirstOrDefault(c => match?.Invoke(c) ?? true), timeout,
            () => $"no {method} call{(match is null ? "" : " matching")}; recent calls: " + string.Join(" | ", Calls.TakeLast(10).Select(c => $"{c.Method} {Shorten(c.Body.GetRawText())}")));

    public Task<TelegramSent> WaitForSentAsync(long chatId, Func<TelegramSent, bool>? match = null, TimeSpan? timeout = null) =>
        PollAsync(() => SentTo(chatId).FirstOrDefault(s => match?.Invoke(s) ?? true), timeout,
            () => $"nothing sent to chat {chatId}{(match is null ? "" : " matching")}; recent sends: " + string.Join(" | ", Sent.TakeLast(10).Select(s => $"{s.ChatId}#{s.MessageId}{(s.Edited ? " (edit)" : "")}: {Shorten(s.Text)}")));

    public Task WaitUntilConfirmedAsync(long updateId, TimeSpan? timeout = null) =>
        PollAsync(() => Confirmed >= updateId ? "" : null, timeout, () => $"update {updateId} not confirmed; confirmed up to {Confirmed}, pending [{string.Join(", ", Pending)}]");

    private static Task<T> PollAsync<T>(Func<T?> probe, TimeSpan? timeout, Func<string> describe) where T : class =>
        Eventually.FindAsync(probe, timeout, () => "FakeTelegram: " + describe());

    private static string Shorten(string s) => s.Length <= 120 ? s : s[..117] + "...";

    // ---- HTML ----

    /// <summary>What a user sees: tags stripped and the entities Telegram knows decoded.</summary>
    public static string VisibleText(string html) => EntityRegex().Replace(TagRegex().Replace(html, ""), m => m.Groups[1].Value switch
    {
        "lt" => "<", "gt" => ">", "amp" => "&", "quot" => "\"",
        var n when n.StartsWith("#x", StringComparison.OrdinalIgnoreCase) => CodePoint(int.Parse(n.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture), m.Value),
        var n => CodePoint(int.Parse(n.AsSpan(1), CultureInfo.InvariantCulture), m.Value),
    });

    private static string CodePoint(int cp, string fallback) => cp is > 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF) ? char.ConvertFromUtf32(cp) : fallback;

    [GeneratedRegex("<[^>]*>")] private static partial Regex TagRegex();
    [GeneratedRegex("&(lt|gt|amp|quot|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")] private static partial Regex EntityRegex();
    [GeneratedRegex("\\G&(lt|gt|amp|quot|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")] private static partial Regex EntityHereRegex();
    [GeneratedRegex("\\Gclass\\s*=\\s*\"tg-spoiler\"\\s*$|\\Gclass\\s*=\\s*'tg-spoiler'\\s*$")] private static partial Regex SpoilerClassRegex();

    /// <summary>Why Telegram would reject <paramref name="html"/> with "can't parse entities", or null when it parses.</summary>
    private static string? HtmlError(string html)
    {
        var open = new Stack<string>();
        for (var i = 0; i < html.Length; i++)
        {
            var at = $"at byte offset {Encoding.UTF8.GetByteCount(html.AsSpan(0, i)).ToString(CultureInfo.InvariantCulture)}";
            if (html[i] == '&')
            {
                if (!EntityHereRegex().IsMatch(html, i)) return $"Unsupported HTML entity {at}";
            }
            else if (html[i] == '<')
            {
                var end = html.IndexOf('>', i);
                if (end < 0) return $"Unclosed start tag {at}";
                var inner = html[(i + 1)..end].Trim();
                if (inner.StartsWith('/'))
                {
                    var name = inner[1..].Trim().ToLowerInvariant();
                    if (open.Count == 0) return $"Unexpected end tag {at}";
                    if (open.Pop() is var top && top != name) return $"Unmatched end tag {at}, expected \"</{top}>\", found \"</{name}>\"";
                }
                else
                {
                    var space = inner.IndexOfAny([' ', '\t', '\n']);
                    var name = (space < 0 ? inner : inner[..space]).ToLowerInvariant();
                    var attributes = space < 0 ? "" : inner[(space + 1)..].Trim();
                    if (!AllowedTags.Contains(name)) return $"Unsupported start tag \"{name}\" {at}";
                    if (name == "span" && !SpoilerClassRegex().IsMatch(attributes)) return $"Tag \"span\" must have class \"tg-spoiler\" {at}";
                    if (name == "a" && !attributes.StartsWith("href", StringComparison.OrdinalIgnoreCase)) return $"Tag \"a\" must have attribute \"href\" {at}";
                    open.Push(name);
                }
                i = end;
            }
        }
        return open.Count == 0 ? null : $"Can't find end tag corresponding to start tag \"{open.Peek()}\"";
    }

    // ---- HTTP ----

    private sealed record Reply(int Status, string Body, string ContentType = "application/json");

    private static Reply Ok(JsonNode? result) => new(200, new JsonObject { ["ok"] = true, ["result"] = result }.ToJsonString());
    private static Reply Error(int code, string description, int? retryAfter = null)
    {
        var body = new JsonObject { ["ok"] = false, ["error_code"] = code, ["description"] = description };
        if (retryAfter is { } s) body["parameters"] = new JsonObject { ["retry_after"] = s };
        return new(code, body.ToJsonString());
    }
    private static Reply Bad(string description) => Error(400, "Bad Request: " + description);

    private async Task HandleAsync(HttpContext context)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _shutdown.Token);
        try
        {
            var reply = await AnswerAsync(context.Request, cancel.Token);
            context.Response.StatusCode = reply.Status;
            context.Response.ContentType = reply.ContentType;
            await context.Response.WriteAsync(reply.Body, cancel.Token);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested) { context.Abort(); } // client gone or fake disposed: drop the connection
    }

    private async Task<Reply> AnswerAsync(HttpRequest request, CancellationToken cancel)
    {
        var parts = (request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !parts[0].StartsWith("bot", StringComparison.Ordinal)) return Error(404, "Not Found");
        if (parts[0][3..] != Token) return Error(401, "Unauthorized");
        var method = KnownMethods.FirstOrDefault(m => m.Equals(parts[1], StringComparison.OrdinalIgnoreCase)) ?? parts[1].ToLowerInvariant();

        // JSON body; query-string and form parameters (plain strings) are accepted too, as Telegram does.
        var fields = new JsonObject();
        foreach (var (key, value) in request.Query) fields[key] = value.ToString();
        var text = "";
        if (request.HasFormContentType) foreach (var (key, value) in await request.ReadFormAsync(cancel)) fields[key] = value.ToString();
        else using (var reader = new StreamReader(request.Body, Encoding.UTF8)) text = await reader.ReadToEndAsync(cancel);
        JsonElement body;
        try { body = string.IsNullOrWhiteSpace(text) ? JsonSerializer.SerializeToElement(fields) : ParseElement(text); }
        catch (JsonException) { return Bad("can't parse JSON object"); }
        if (body.ValueKind != JsonValueKind.Object) return Bad("can't parse JSON object");

        TelegramFault? fault;
        lock (_gate)
        {
            _calls.Add(new TelegramCall(method, body, DateTimeOffset.UtcNow));
            fault = _faults.TryGetValue(method, out var queue) && queue.Count > 0 ? queue.Dequeue() : null;
        }
        switch (fault)
        {
            case TelegramFault.ErrorReply e: return Error(e.Code, e.Description, e.RetryAfter);
            case TelegramFault.BadGatewayReply: return new(502, "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n", "text/html");
            case TelegramFault.MalformedReply: return new(200, "{\"ok\":tru");
            case TelegramFault.StallReply s: await Task.Delay(s.Duration, cancel); break;
        }

        if (method == "getUpdates") return await GetUpdatesAsync(body, cancel);
        lock (_gate)
        {
            return method switch
            {
                "getMe" => Ok(new JsonObject
                {
                    ["id"] = BotId, ["is_bot"] = true, ["first_name"] = "PerpGuard", ["username"] = BotUsername,
                    ["can_join_groups"] = true, ["can_read_all_group_messages"] = false, ["supports_inline_queries"] = false,
                }),
                "sendMessage" or "editMessageText" => SendOrEdit(body, method == "editMessageText"),
                "answerCallbackQuery" => AnswerCallback(body),
                "setMyCommands" => SetCommands(body),
                "getMyCommands" => Ok(new JsonArray([.. _commands.Select(c => new JsonObject { ["command"] = c.Command, ["description"] = c.Description })])),
                "deleteWebhook" or "setWebhook" => SetWebhook(body, method == "setWebhook" ? Str(body, "url") : null),
                "getWebhookInfo" => Ok(new JsonObject { ["url"] = _webhookUrl ?? "", ["has_custom_certificate"] = false, ["pending_update_count"] = _pending.Count }),
                _ => Error(404, "Not Found: method not found"),
            };
        }
    }

    private async Task<Reply> GetUpdatesAsync(JsonElement body, CancellationToken cancel)
    {
        var offset = Long(body, "offset") ?? 0;
        var limit = (int)Math.Clamp(Long(body, "limit") ?? 100, 1, 100);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(Math.Max(0, Long(body, "timeout") ?? 0));
        lock (_gate)
        {
            if (_webhookActive) return Error(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
            if (body.TryGetProperty("allowed_updates", out var allowed) && allowed.ValueKind == JsonValueKind.Array)
                _allowedUpdates = [.. allowed.EnumerateArray().Select(a => a.GetString() ?? "")];
            var drop = offset > 0 ? _pending.Keys.Where(id => id < offset) : offset < 0 ? _pending.Keys.SkipLast((int)Math.Min(-offset, int.MaxValue)) : [];
            ConfirmLocked([.. drop]);
        }
        while (true)
        {
            Task arrived;
            lock (_gate)
            {
                if (_pending.Count > 0 || DateTime.UtcNow >= deadline)
                    return Ok(new JsonArray([.. _pending.Values.Take(limit).Select(u => JsonNode.Parse(u))]));
                arrived = _arrived.Task;
            }
            var left = deadline - DateTime.UtcNow;
            if (left > TimeSpan.Zero) await Task.WhenAny(arrived, Task.Delay(left, cancel));
            cancel.ThrowIfCancellationRequested();
        }
    }

    private void ConfirmLocked(IReadOnlyList<long> ids)
    {
        foreach (var id in ids) { _pending.Remove(id); _confirmed = Math.Max(_confirmed, id); }
    }

    private Reply SendOrEdit(JsonElement body, bool edit)
    {
        if (Long(body, "chat_id") is not { } chat) return Bad("chat_id is empty");
        if (_blocked.Contains(chat)) return Error(403, "Forbidden: bot was blocked by the user");
        var text = Str(body, "text") ?? "";
        var parseMode = Str(body, "parse_mode");
        var html = string.Equals(parseMode, "HTML", StringComparison.OrdinalIgnoreCase);
        if (html && HtmlError(text) is { } why) return Bad("can't parse entities: " + why);
        var visible = html ? VisibleText(text) : text;
        if (string.IsNullOrWhiteSpace(visible)) return Bad("message text is empty");
        if (visible.Length > 4096) return Bad("message is too long");
        string? markup = null;
        if (body.TryGetProperty("reply_markup", out var rm) && rm.ValueKind is not JsonValueKind.Null)
        {
            if (rm.ValueKind == JsonValueKind.String)
            {
                try { rm = ParseElement(rm.GetString()!); }
                catch (JsonException) { return Bad("can't parse reply keyboard markup JSON object"); }
            }
            if (KeyboardError(rm) is { } bad) return Bad(bad);
            markup = JsonNode.Parse(rm.GetRawText())!.ToJsonString();
        }
        long messageId;
        if (edit)
        {
            messageId = Long(body, "message_id") ?? 0;
            if (!_messages.TryGetValue((chat, messageId), out var current)) return Bad("message to edit not found");
            if (current.Text == text && current.ParseMode == parseMode && current.Markup == markup) return Error(400, NotModified);
        }
        else messageId = _nextMessageId++;
        _messages[(chat, messageId)] = (text, parseMode, markup);
        _sent.Add(new TelegramSent(chat, messageId, text, parseMode, markup, edit, body.TryGetProperty("disable_notification", out var dn) && dn.ValueKind == JsonValueKind.True));
        var message = new JsonObject { ["message_id"] = messageId, ["from"] = BotUser(), ["chat"] = ChatJson(chat), ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["text"] = visible };
        if (edit) message["edit_date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (markup is not null) message["reply_markup"] = JsonNode.Parse(markup);
        return Ok(message);
    }

    private static string? KeyboardError(JsonElement markup)
    {
        if (markup.ValueKind != JsonValueKind.Object) return "can't parse reply keyboard markup JSON object";
        if (!markup.TryGetProperty("inline_keyboard", out var rows)) return null;
        if (rows.ValueKind != JsonValueKind.Array || rows.EnumerateArray().Any(r => r.ValueKind != JsonValueKind.Array)) return "field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array of Arrays";
        foreach (var button in rows.EnumerateArray().SelectMany(r => r.EnumerateArray()))
        {
            if (button.ValueKind != JsonValueKind.Object || string.IsNullOrEmpty(Str(button, "text"))) return "can't parse inline keyboard button: Field \"text\" must be of type String";
            var data = Str(button, "callback_data");
            var url = Str(button, "url");
            if ((data is null) == (url is null)) return "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard";
            if (data is not null && Encoding.UTF8.GetByteCount(data) is < 1 or > 64) return "BUTTON_DATA_INVALID";
        }
        return null;
    }

    private Reply AnswerCallback(JsonElement body)
    {
        var id = Str(body, "callback_query_id") ?? "";
        if (!_callbacks.TryGetValue(id, out var answered) || answered) return Error(400, TooOld);
        if ((Str(body, "text") ?? "").Length > 200) return Bad("MESSAGE_TOO_LONG");
        _callbacks[id] = true;
        return Ok(true);
    }

    private Reply SetCommands(JsonElement body)
    {
        var list = new List<(string, string)>();
        if (body.TryGetProperty("commands", out var commands) && commands.ValueKind == JsonValueKind.Array)
        {
            foreach (var c in commands.EnumerateArray())
            {
                var (command, description) = (Str(c, "command") ?? "", Str(c, "description") ?? "");
                if (command.Length is < 1 or > 32 || !command.All(ch => ch is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_')) return Bad("BOT_COMMAND_INVALID");
                if (description.Length is < 1 or > 256) return Bad("BOT_COMMAND_DESCRIPTION_INVALID");
                list.Add((command, description));
            }
        }
        if (list.Count > 100) return Bad("BOT_COMMANDS_TOO_MUCH");
        _commands = list;
        return Ok(true);
    }

    /// <summary>setWebhook with a url activates the webhook; deleteWebhook (or an empty url) clears it.</summary>
    private Reply SetWebhook(JsonElement body, string? url)
    {
        if (body.TryGetProperty("drop_pending_updates", out var drop) && drop.ValueKind == JsonValueKind.True) ConfirmLocked([.. _pending.Keys]);
        if (body.TryGetProperty("allowed_updates", out var allowed) && allowed.ValueKind == JsonValueKind.Array)
            _allowedUpdates = [.. allowed.EnumerateArray().Select(a => a.GetString() ?? "")];
        _webhookActive = !string.IsNullOrEmpty(url);
        (_webhookUrl, _webhookSecret) = _webhookActive ? (url, Str(body, "secret_token")) : (null, null);
        return Ok(true);
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
