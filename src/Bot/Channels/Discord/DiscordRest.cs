using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace PerpGuard.Bot.Channels.Discord;

/// <summary>
/// Discord refused a request or did not answer. <see cref="Status"/> is the HTTP status (0: no answer), <see cref="Code"/>
/// Discord's JSON error code (50007 DMs closed, 10062 unknown interaction...). The message names the route, never the token.
/// </summary>
public sealed class DiscordApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DiscordApiException(string route, int status, int code, string description, TimeSpan? retryAfter = null, Exception? inner = null)
        : base($"Discord {route}: {status}{(code != 0 ? $" ({code.ToString(CultureInfo.InvariantCulture)})" : "")} {description}", inner)
    {
        Route = route;
        Status = status;
        Code = code;
        Description = description;
        RetryAfter = retryAfter;
    }

    /// <summary>Creates the exception.</summary>
    public DiscordApiException() : this("?", 0, 0, "unknown error") { }
    /// <summary>Creates the exception.</summary>
    public DiscordApiException(string message) : this("?", 0, 0, message) { }
    /// <summary>Creates the exception.</summary>
    public DiscordApiException(string message, Exception inner) : this("?", 0, 0, message, null, inner) { }

    /// <summary>Method and route template, e.g. <c>POST /channels/{id}/messages</c>.</summary>
    public string Route { get; }
    /// <summary>HTTP status, 0 without an answer.</summary>
    public int Status { get; }
    /// <summary>Discord's JSON error code, 0 when none.</summary>
    public int Code { get; }
    /// <summary>Discord's message.</summary>
    public string Description { get; }
    /// <summary>How long to wait (429, or a rate-limit wait longer than allowed).</summary>
    public TimeSpan? RetryAfter { get; }
    /// <summary>No answer, a 5xx or a rate limit: later may work.</summary>
    public bool Transient => Status is 0 or 429 or >= 500;
}

/// <summary>
/// A small Discord REST client: JSON over one <see cref="HttpClient"/> on <see cref="DiscordOptions.ApiBaseUrl"/>,
/// <c>Authorization: Bot</c> and the <c>DiscordBot (url, version)</c> user agent Discord requires, per-route buckets
/// and the global limit from <see cref="DiscordRateLimiter"/>. A 429 is honoured and the request retried while the
/// wait stays within <see cref="DiscordOptions.RateLimitWaitMax"/>; past it, the caller gets the wait.
/// </summary>
internal sealed class DiscordRest(HttpClient http, DiscordOptions options, DiscordRateLimiter limiter, TimeProvider time)
{
    /// <summary>The HttpClient name (its request logging is removed: nothing about a bot's traffic belongs in logs by default).</summary>
    public const string HttpClientName = "discord";

    /// <summary>The user agent Discord requires.</summary>
    public const string UserAgent = "DiscordBot (https://github.com/perpguard/perpguard, 1.0)";

    private const int Attempts = 4;
    private readonly string _base = options.ApiBaseUrl.TrimEnd('/');

    public Task<GatewayBotInfo> GatewayBotAsync(CancellationToken ct) =>
        SendAsync<object, GatewayBotInfo>(HttpMethod.Get, "/gateway/bot", "GET /gateway/bot", "", null, null, DiscordJsonContext.Default.GatewayBotInfo, exempt: false, ct)!;

    public Task RegisterCommandsAsync(IReadOnlyList<DiscordCommand> commands, CancellationToken ct)
    {
        var app = options.ApplicationId!;
        var (path, route) = options.GuildId is { Length: > 0 } guild
            ? ($"/applications/{app}/guilds/{guild}/commands", "PUT /applications/{app}/guilds/{guild}/commands")
            : ($"/applications/{app}/commands", "PUT /applications/{app}/commands");
        return SendAsync<IReadOnlyList<DiscordCommand>, DiscordCreated>(HttpMethod.Put, path, route, app, commands, DiscordJsonContext.Default.IReadOnlyListDiscordCommand, null, exempt: false, ct);
    }

    // Interaction callbacks and webhook follow-ups are exempt from the global limit; their bucket is per interaction.
    public Task RespondAsync(string interactionId, string token, DiscordInteractionResponse response, CancellationToken ct) =>
        SendAsync<DiscordInteractionResponse, DiscordCreated>(HttpMethod.Post, $"/interactions/{interactionId}/{token}/callback", "POST /interactions/{id}/{token}/callback",
            interactionId, response, DiscordJsonContext.Default.DiscordInteractionResponse, null, exempt: true, ct);

    public Task AutocompleteAsync(string interactionId, string token, DiscordAutocompleteResponse response, CancellationToken ct) =>
        SendAsync<DiscordAutocompleteResponse, DiscordCreated>(HttpMethod.Post, $"/interactions/{interactionId}/{token}/callback", "POST /interactions/{id}/{token}/callback",
            interactionId, response, DiscordJsonContext.Default.DiscordAutocompleteResponse, null, exempt: true, ct);

    public Task EditOriginalAsync(string token, DiscordMessage message, CancellationToken ct) =>
        SendAsync<DiscordMessage, DiscordCreated>(HttpMethod.Patch, $"/webhooks/{options.ApplicationId}/{token}/messages/@original", "PATCH /webhooks/{app}/{token}/messages/@original",
            token, message, DiscordJsonContext.Default.DiscordMessage, null, exempt: true, ct);

    public Task FollowupAsync(string token, DiscordMessage message, CancellationToken ct) =>
        SendAsync<DiscordMessage, DiscordCreated>(HttpMethod.Post, $"/webhooks/{options.ApplicationId}/{token}?wait=true", "POST /webhooks/{app}/{token}",
            token, message, DiscordJsonContext.Default.DiscordMessage, null, exempt: true, ct);

    public async Task<string> CreateDmAsync(string userId, CancellationToken ct) =>
        (await SendAsync(HttpMethod.Post, "/users/@me/channels", "POST /users/@me/channels", "", new DiscordCreateDm(userId),
            DiscordJsonContext.Default.DiscordCreateDm, DiscordJsonContext.Default.DiscordCreated, exempt: false, ct).ConfigureAwait(false))!.Id;

    public Task CreateMessageAsync(string channelId, DiscordMessage message, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, $"/channels/{channelId}/messages", "POST /channels/{id}/messages", channelId, message,
            DiscordJsonContext.Default.DiscordMessage, DiscordJsonContext.Default.DiscordCreated, exempt: false, ct);

    private async Task<TResult?> SendAsync<TBody, TResult>(HttpMethod method, string path, string route, string major, TBody? body,
        JsonTypeInfo<TBody>? bodyType, JsonTypeInfo<TResult>? resultType, bool exempt, CancellationToken ct) where TResult : class
    {
        for (var attempt = 1; ; attempt++)
        {
            var wait = limiter.Acquire(route, major, exempt);
            if (wait > options.RateLimitWaitMax) throw new DiscordApiException(route, 429, 0, $"rate limited: the next slot is in {wait.TotalSeconds:0.#} s", wait);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, ct).ConfigureAwait(false);
                attempt--;
                continue;
            }
            using var request = new HttpRequestMessage(method, new Uri(_base + path));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bot", options.Token);
            request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
            if (body is not null && bodyType is not null)
            {
                request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, bodyType));
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            }
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(options.RequestTimeout);
            HttpResponseMessage response;
            byte[] bytes;
            try
            {
                response = await http.SendAsync(request, deadline.Token).ConfigureAwait(false);
                bytes = await response.Content.ReadAsByteArrayAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
            {
                throw new DiscordApiException(route, 0, 0, $"no answer within {options.RequestTimeout.TotalSeconds:0.#} s", inner: ex);
            }
            catch (HttpRequestException ex)
            {
                throw new DiscordApiException(route, 0, 0, $"network error: {ex.Message}", inner: ex);
            }
            using (response)
            {
                limiter.Update(route, major, response.Headers);
                if (response.IsSuccessStatusCode)
                    return resultType is null || bytes.Length == 0 || response.StatusCode == HttpStatusCode.NoContent ? null : Read(bytes, resultType, route, (int)response.StatusCode);
                var error = ReadError(bytes);
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    var retryAfter = TimeSpan.FromSeconds(error?.RetryAfter ?? response.Headers.RetryAfter?.Delta?.TotalSeconds ?? 1);
                    var global = error?.Global == true || response.Headers.Contains("X-RateLimit-Global");
                    limiter.TooManyRequests(route, major, retryAfter, global);
                    if (attempt < Attempts && retryAfter <= options.RateLimitWaitMax) continue;
                    throw new DiscordApiException(route, 429, error?.Code ?? 0, error?.Message ?? "rate limited", retryAfter);
                }
                throw new DiscordApiException(route, (int)response.StatusCode, error?.Code ?? 0, error?.Message ?? response.ReasonPhrase ?? "error");
            }
        }
    }

    private static TResult Read<TResult>(byte[] bytes, JsonTypeInfo<TResult> type, string route, int status)
    {
        try
        {
            return JsonSerializer.Deserialize(bytes, type) ?? throw new DiscordApiException(route, status, 0, "empty answer");
        }
        catch (JsonException ex)
        {
            throw new DiscordApiException(route, status, 0, "unreadable answer", inner: ex);
        }
    }

    private static DiscordErrorBody? ReadError(byte[] bytes)
    {
        try
        {
            return bytes.Length == 0 ? null : JsonSerializer.Deserialize(bytes, DiscordJsonContext.Default.DiscordErrorBody);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
