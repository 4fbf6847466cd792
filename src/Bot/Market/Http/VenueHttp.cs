using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Market.Http;

/// <summary>
/// The one send path of every venue client: waits for the rate limiter, bounds the request by the venue's timeout,
/// turns every failure (status, Retry-After, HTML error page, plain-text error, truncated JSON, network) into a
/// <see cref="MarketDataException"/> with a one-line message, and hands back the body bytes for parsing.
/// </summary>
public sealed class VenueHttp(HttpClient http, Venue venue, VenueRateLimiter limiter, TimeSpan timeout, TimeProvider time)
{
    private const int MaxErrorText = 160;
    private const int MaxErrorBody = 4096;

    /// <summary>The venue.</summary>
    public Venue Venue => venue;

    /// <summary>The rate limiter (shared by every request to this venue).</summary>
    public VenueRateLimiter Limiter => limiter;

    /// <summary>GET <paramref name="pathAndQuery"/> (relative to the base URL, or absolute for a second host such as Binance spot).</summary>
    public Task<byte[]> GetAsync(string pathAndQuery, int weight, CancellationToken cancellationToken) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Get, pathAndQuery), pathAndQuery, weight, cancellationToken);

    /// <summary>POST a JSON body (Hyperliquid's <c>/info</c>).</summary>
    public Task<byte[]> PostJsonAsync(string path, string json, int weight, CancellationToken cancellationToken) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") },
            $"{path} {json}", weight, cancellationToken);

    /// <summary>Deserialises a body with source-generated metadata; a parse failure is <see cref="MarketFault.Malformed"/>.</summary>
    public T Parse<T>(byte[] body, JsonTypeInfo<T> info, string what)
    {
        try
        {
            return JsonSerializer.Deserialize(body, info) ?? throw Malformed(what, "the body is JSON null");
        }
        catch (JsonException ex)
        {
            throw Malformed(what, $"unreadable JSON ({Shorten(ex.Message)})", ex);
        }
    }

    /// <summary>A <see cref="MarketFault.Malformed"/> error about <paramref name="what"/>.</summary>
    public MarketDataException Malformed(string what, string problem, Exception? inner = null) =>
        new(venue, MarketFault.Malformed, $"{venue.Name()} {what}: {problem}", null, inner);

    /// <summary>A <see cref="MarketFault.VenueError"/> (or <see cref="MarketFault.UnknownSymbol"/>) the venue reported inside a 200.</summary>
    public MarketDataException VenueError(string what, string code, string? message, bool unknownSymbol = false) =>
        new(venue, unknownSymbol ? MarketFault.UnknownSymbol : MarketFault.VenueError, $"{venue.Name()} {what}: error {code}{(string.IsNullOrWhiteSpace(message) ? "" : $" {Shorten(message)}")}");

    private async Task<byte[]> SendAsync(Func<HttpRequestMessage> create, string what, int weight, CancellationToken cancellationToken)
    {
        await limiter.AcquireAsync(weight, cancellationToken).ConfigureAwait(false);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var label = Shorten(what);
        try
        {
            using var request = create();
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline.Token).ConfigureAwait(false);
            limiter.Observe(response.Headers);
            var body = await response.Content.ReadAsByteArrayAsync(deadline.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (limiter.Limits.BlockStatuses.Contains(status))
            {
                var retryAfter = RetryAfter(response, time.GetUtcNow());
                var until = limiter.Block(retryAfter);
                throw new MarketDataException(venue, MarketFault.RateLimited,
                    $"{venue.Name()} {label}: HTTP {status}{Describe(body)}; backing off until {until:HH:mm:ss} UTC", retryAfter);
            }
            if (!response.IsSuccessStatusCode)
            {
                var fault = status == (int)HttpStatusCode.UnprocessableEntity || LooksLikeJson(body) ? MarketFault.VenueError : MarketFault.Http;
                throw new MarketDataException(venue, fault, $"{venue.Name()} {label}: HTTP {status}{Describe(body)}")
                {
                    Body = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, MaxErrorBody)),
                };
            }
            if (!LooksLikeJson(body))
                throw Malformed(label, body.Length == 0 ? "empty body" : $"not JSON{Describe(body)}");
            return body;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MarketDataException(venue, MarketFault.Timeout, $"{venue.Name()} {label}: no answer within {timeout.TotalSeconds:0.#} s", null, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new MarketDataException(venue, MarketFault.Network, $"{venue.Name()} {label}: {Shorten(ex.Message)}", null, ex);
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date) return date > now ? date - now : TimeSpan.Zero;
        return null;
    }

    private static bool LooksLikeJson(byte[] body)
    {
        foreach (var b in body)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF) continue;
            return b is (byte)'{' or (byte)'[';
        }
        return false;
    }

    // ": {"code":-1121,"msg":"Invalid symbol."}" / ": an HTML page" / ": Failed to deserialize…", kept to one short line.
    private static string Describe(byte[] body)
    {
        if (body.Length == 0) return "";
        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 4 * MaxErrorText)).Trim();
        if (text.StartsWith('<')) return " (an HTML page, not the API)";
        return $" ({Shorten(text)})";
    }

    private static string Shorten(string text)
    {
        var oneLine = text.ReplaceLineEndings(" ");
        return oneLine.Length <= MaxErrorText ? oneLine : oneLine[..MaxErrorText] + "…";
    }
}
