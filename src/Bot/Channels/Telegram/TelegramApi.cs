using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace PerpGuard.Bot.Channels.Telegram;

/// <summary>
/// The Bot API said no (<c>ok:false</c>), or answered something that is not the API. <see cref="ErrorCode"/> is the
/// API's code (the HTTP status for transport failures, 0 when there was no answer). The message names the method and
/// the API's description, never the token.
/// </summary>
public sealed class TelegramApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TelegramApiException(string method, int errorCode, string description, TimeSpan? retryAfter = null, Exception? inner = null)
        : base($"Telegram {method}: {errorCode} {description}", inner)
    {
        Method = method;
        ErrorCode = errorCode;
        Description = description;
        RetryAfter = retryAfter;
    }

    /// <summary>Creates the exception.</summary>
    public TelegramApiException() : this("?", 0, "unknown error") { }
    /// <summary>Creates the exception.</summary>
    public TelegramApiException(string message) : this("?", 0, message) { }
    /// <summary>Creates the exception.</summary>
    public TelegramApiException(string message, Exception inner) : this("?", 0, message, null, inner) { }

    /// <summary>The Bot API method called.</summary>
    public string Method { get; }
    /// <summary><c>error_code</c> (400, 401, 403, 409, 429...), or the HTTP status, or 0 without an answer.</summary>
    public int ErrorCode { get; }
    /// <summary>The API's description, free text (match substrings, never exact).</summary>
    public string Description { get; }
    /// <summary><c>parameters.retry_after</c> on 429.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>No answer, a 5xx or an unreadable body: retrying later can help.</summary>
    public bool Transient => ErrorCode is 0 or >= 500 || ErrorCode == 429;

    /// <summary>Whether <see cref="Description"/> contains <paramref name="text"/> (case-insensitive).</summary>
    public bool Says(string text) => Description.Contains(text, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// A small typed Bot API client: JSON POST to <c>{ApiBaseUrl}/bot{token}/{method}</c> and one send path that unwraps
/// <c>{ok, result, error_code, description, parameters}</c>, reading the body on every status. Each call has its own
/// deadline (a long poll's server wait plus <see cref="TelegramOptions.RequestTimeout"/>), so a stalled connection
/// is abandoned and a shutdown is told apart from a timeout. The token lives only in the request path of an
/// <see cref="HttpClient"/> whose logging is removed (see <c>AddTelegram</c>); nothing here formats it.
/// </summary>
internal sealed class TelegramApi(HttpClient http, TelegramOptions options)
{
    /// <summary>The HttpClient name; its default request logging is removed because the URL carries the token.</summary>
    public const string HttpClientName = "telegram";

    /// <summary>The updates PerpGuard asks for; sent on every poll because the setting is sticky on Telegram's side.</summary>
    public static readonly IReadOnlyList<string> AllowedUpdates = ["message", "callback_query", "my_chat_member"];

    private readonly string _prefix = $"{options.ApiBaseUrl.TrimEnd('/')}/bot{options.Token}/";

    public Task<TelegramBotUser> GetMeAsync(CancellationToken ct) =>
        CallAsync("getMe", new EmptyRequest(), TelegramJsonContext.Default.EmptyRequest, TelegramJsonContext.Default.TelegramResponseTelegramBotUser, TimeSpan.Zero, ct);

    public Task<TelegramUpdate[]> GetUpdatesAsync(long? offset, CancellationToken ct) =>
        CallAsync("getUpdates", new GetUpdatesRequest(offset, 100, (int)options.PollTimeout.TotalSeconds, AllowedUpdates),
            TelegramJsonContext.Default.GetUpdatesRequest, TelegramJsonContext.Default.TelegramResponseTelegramUpdateArray, options.PollTimeout, ct);

    public Task<TelegramMessage> SendMessageAsync(SendMessageRequest request, CancellationToken ct) =>
        CallAsync("sendMessage", request, TelegramJsonContext.Default.SendMessageRequest, TelegramJsonContext.Default.TelegramResponseTelegramMessage, TimeSpan.Zero, ct);

    // editMessageText answers a Message for ordinary messages (true only for inline-mode ones, which PerpGuard never sends).
    public Task<TelegramMessage> EditMessageTextAsync(EditMessageTextRequest request, CancellationToken ct) =>
        CallAsync("editMessageText", request, TelegramJsonContext.Default.EditMessageTextRequest, TelegramJsonContext.Default.TelegramResponseTelegramMessage, TimeSpan.Zero, ct);

    public Task<bool> AnswerCallbackQueryAsync(AnswerCallbackQueryRequest request, CancellationToken ct) =>
        CallAsync("answerCallbackQuery", request, TelegramJsonContext.Default.AnswerCallbackQueryRequest, TelegramJsonContext.Default.TelegramResponseBoolean, TimeSpan.Zero, ct);

    public Task<bool> SetMyCommandsAsync(SetMyCommandsRequest request, CancellationToken ct) =>
        CallAsync("setMyCommands", request, TelegramJsonContext.Default.SetMyCommandsRequest, TelegramJsonContext.Default.TelegramResponseBoolean, TimeSpan.Zero, ct);

    public Task<bool> DeleteWebhookAsync(bool dropPending, CancellationToken ct) =>
        CallAsync("deleteWebhook", new DeleteWebhookRequest(dropPending), TelegramJsonContext.Default.DeleteWebhookRequest, TelegramJsonContext.Default.TelegramResponseBoolean, TimeSpan.Zero, ct);

    public Task<bool> SetWebhookAsync(SetWebhookRequest request, CancellationToken ct) =>
        CallAsync("setWebhook", request, TelegramJsonContext.Default.SetWebhookRequest, TelegramJsonContext.Default.TelegramResponseBoolean, TimeSpan.Zero, ct);

    private async Task<TResult> CallAsync<TRequest, TResult>(string method, TRequest request, JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TelegramResponse<TResult>> responseType, TimeSpan serverWait, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(serverWait + options.RequestTimeout);
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(request, requestType));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync(new Uri(_prefix + method), content, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new TelegramApiException(method, 0, $"no answer within {(serverWait + options.RequestTimeout).TotalSeconds:0.#} s", inner: ex);
        }
        catch (HttpRequestException ex)
        {
            // Transport messages name host and port at most; the request path (and so the token) is not in them.
            throw new TelegramApiException(method, 0, $"network error: {ex.Message}", inner: ex);
        }
        using (response)
        {
            byte[] body;
            try
            {
                body = await response.Content.ReadAsByteArrayAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException && !ct.IsCancellationRequested)
            {
                throw new TelegramApiException(method, 0, "the answer was cut off", inner: ex);
            }
            TelegramResponse<TResult>? envelope;
            try
            {
                envelope = JsonSerializer.Deserialize(body, responseType);
            }
            catch (JsonException ex)
            {
                // A proxy's HTML error page or a truncated body: report the status and a short, safe excerpt.
                throw new TelegramApiException(method, (int)response.StatusCode, $"unreadable answer ({Excerpt(body)})", inner: ex);
            }
            if (envelope is null) throw new TelegramApiException(method, (int)response.StatusCode, "empty answer");
            if (envelope.Ok && envelope.Result is { } result) return result;
            if (envelope.Ok) throw new TelegramApiException(method, (int)response.StatusCode, "ok without a result");
            var retryAfter = envelope.Parameters?.RetryAfter is int seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
            throw new TelegramApiException(method, envelope.ErrorCode ?? (int)response.StatusCode, envelope.Description ?? "no description", retryAfter);
        }
    }

    private static string Excerpt(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 80)).ReplaceLineEndings(" ");
        return text.Length == 0 ? "empty" : text;
    }
}
